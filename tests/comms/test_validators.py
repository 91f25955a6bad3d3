"""Web addresses: http and https only, on the model field and on its form field."""

from django.core.exceptions import ValidationError

import pytest

from comms.validators import HTTP_URL_MESSAGE, HttpURLField, HttpURLFormField, http_url_validator


@pytest.mark.parametrize(
    "address", ["javascript:alert(1)", "ftp://example.org/file", "data:text/html,hi"]
)
def test_other_schemes_are_refused_with_a_clear_message(address):
    with pytest.raises(ValidationError) as error:
        http_url_validator(address)
    assert error.value.messages == [HTTP_URL_MESSAGE]
    with pytest.raises(ValidationError) as error:
        HttpURLField().clean(address, None)
    assert HTTP_URL_MESSAGE in error.value.messages
    with pytest.raises(ValidationError) as error:
        HttpURLFormField().clean(address)
    assert error.value.messages == [HTTP_URL_MESSAGE]


@pytest.mark.parametrize(
    "address", ["http://example.org/page", "https://www.npsa.gov.uk/trusted-research"]
)
def test_http_and_https_are_accepted(address):
    http_url_validator(address)
    assert HttpURLField().clean(address, None) == address
    assert HttpURLFormField().clean(address) == address


def test_the_model_field_offers_the_http_form_field():
    form_field = HttpURLField(blank=True).formfield()
    assert isinstance(form_field, HttpURLFormField)
    assert form_field.clean("www.example.org") == "https://www.example.org"

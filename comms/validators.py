"""Validators shared by forms and imports.

- Web addresses the portal links to: http and https only (never javascript:, data:, ftp:).
- Names and addresses that go into email headers: no control characters. A line break in a
  name would end a header early (header injection); NUL cannot be stored in PostgreSQL; the
  rest (C0, DEL, C1 such as U+0085 "next line") have no place in a name either.
"""

import re

from django import forms
from django.core.validators import RegexValidator, URLValidator
from django.db import models

HTTP_URL_MESSAGE = "Enter a web address starting with http:// or https://."
http_url_validator = URLValidator(schemes=["http", "https"], message=HTTP_URL_MESSAGE)


class HttpURLFormField(forms.URLField):
    """An http(s) web address; one typed without a scheme ("www.example.org") gets https://."""

    default_validators = [http_url_validator]
    default_error_messages = {"invalid": HTTP_URL_MESSAGE}

    def __init__(self, *, assume_scheme: str = "https", **kwargs):
        super().__init__(assume_scheme=assume_scheme, **kwargs)


class HttpURLField(models.URLField):
    """A web address that must be http(s), checked on the form field as well as the model."""

    default_validators = [http_url_validator]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": HttpURLFormField, **kwargs})


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_CHARACTER_PROBLEM = "contains a line break or control character; remove it."


def has_control_characters(text: str) -> bool:
    """True if the text holds any C0 or C1 control character (CR, LF, NUL, tab, DEL, ...)."""
    return bool(CONTROL_CHARACTERS.search(text or ""))


no_control_characters = RegexValidator(
    CONTROL_CHARACTERS,
    inverse_match=True,
    message=f"This {CONTROL_CHARACTER_PROBLEM}",
    code="control_characters",
)

"""Web addresses the portal links to: http and https only (never javascript:, data:, ftp:)."""

from django import forms
from django.core.validators import URLValidator
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

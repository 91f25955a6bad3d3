"""Production: everything from the environment; refuses to start without the essentials."""

from .base import *  # noqa: F403
from .env import (
    env_bool,
    env_broker,
    env_database,
    env_https_url,
    env_int,
    env_list,
    env_sender,
    env_str,
)

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", required=True)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
DATABASES = {"default": env_database()}
CELERY_BROKER_URL = env_broker()
# Every link in a mailed issue, List-Unsubscribe and workflow emails use the public address;
# the sender's domain is in every Message-ID and List-Id. The dev defaults would mail out
# http://127.0.0.1:8000 links and "localhost" ids.
WAGTAILADMIN_BASE_URL = env_https_url("WAGTAILADMIN_BASE_URL")
DEFAULT_FROM_EMAIL = env_sender("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail's preview views opt in to same-origin frames themselves.

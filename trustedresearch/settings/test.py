"""Tests: DATABASE_URL (PostgreSQL in CI) or SQLite; Redis as broker; fast hashing."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR
from .env import env_broker, env_cache, env_database, env_str

DEBUG = False
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["*"]
DATABASES = {"default": env_database(default=f"sqlite:///{BASE_DIR / 'data' / 'test.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = 0
CELERY_BROKER_URL = env_broker(default="redis://127.0.0.1:6379/15")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
MEDIA_ROOT = BASE_DIR / "data" / "test-media"
WAGTAILADMIN_BASE_URL = "http://testserver"
AXES_FAILURE_LIMIT = 5
WHITENOISE_AUTOREFRESH = True
# One process's memory (the live server runs in the test process); CACHE_URL to use Redis.
# Not REDIS_URL: tests empty the cache before each test (tests/conftest.py).
CACHES = {"default": env_cache(default="locmem://", redis_url_fallback=False)}

# Each pytest-xdist worker gets its own Celery queue, so the worker and beat processes an
# integration test starts only take that test run's tasks (they inherit this environment).
if os.environ.get("PYTEST_XDIST_WORKER"):
    CELERY_TASK_DEFAULT_QUEUE = f"tests-{os.environ['PYTEST_XDIST_WORKER']}"

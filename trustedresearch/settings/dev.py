"""Development: the embedded default. SQLite and a broker in data/, no services needed."""

from .base import *  # noqa: F403
from .base import DATA_DIR
from .env import env_broker, env_database, env_list, env_str

DEBUG = True
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# The address `make run` serves (Procfile.dev: runserver 127.0.0.1:${PORTAL_PORT:-8000}): links
# in emails and the default Site (comms/services/site.py) use it.
SERVED_AT = f"http://127.0.0.1:{env_str('PORTAL_PORT', '8000')}"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", SERVED_AT)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SERVED_AT])

DATABASES = {"default": env_database(default=f"sqlite:///{DATA_DIR / 'portal.sqlite3'}")}

# kombu's filesystem transport: messages are files in data/broker, shared by the web process,
# the worker and beat on one machine. It needs no server and no extra package.
CELERY_BROKER_URL = env_broker(default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = DATA_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "processed_folder": str(_broker_dir / "processed"),
        "store_processed": False,
    }
    for _sub in ("queue", "control", "processed"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# The demo's mail goes to a local SMTP catcher (aiosmtpd, started by `make run`) that keeps
# every message as a file in data/mail/new/.
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")

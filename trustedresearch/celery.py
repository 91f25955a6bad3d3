"""The Celery app and the portal's one beat schedule.

Workers: ``celery -A trustedresearch worker``; beat: ``celery -A trustedresearch beat``.
Periodic work is listed here and nowhere else.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustedresearch.settings.dev")

app = Celery("trustedresearch")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# name -> {"task": dotted task name, "schedule": seconds}. Apps add their periodic tasks here.
app.conf.beat_schedule = {
    "portal-heartbeat": {"task": "comms.tasks.heartbeat", "schedule": 60.0},
}

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

# Seconds between newsletter dispatcher runs (settings.NEWSLETTER_DISPATCH_INTERVAL).
_DISPATCH_INTERVAL = float(os.environ.get("NEWSLETTER_DISPATCH_INTERVAL", "5"))

# Seconds between heartbeats (settings.HEALTH_HEARTBEAT_INTERVAL); /healthz answers 503 when
# no worker processed one for HEALTH_HEARTBEAT_MAX_AGE (3 minutes).
_HEARTBEAT_INTERVAL = float(os.environ.get("HEALTH_HEARTBEAT_INTERVAL", "30"))

# Seconds between folds of the raw read marks into the daily read counts.
_READS_FOLD_INTERVAL = 300.0

# Seconds between LDAP directory syncs (settings.LDAP_SYNC_INTERVAL).
_LDAP_SYNC_INTERVAL = float(os.environ.get("LDAP_SYNC_INTERVAL") or "3600")

# Seconds between reads of the bounce mailbox (settings.BOUNCE_IMAP_INTERVAL).
_BOUNCE_IMAP_INTERVAL = float(os.environ.get("BOUNCE_IMAP_INTERVAL") or "300")

# name -> {"task": dotted task name, "schedule": seconds}. Apps add their periodic tasks here.
app.conf.beat_schedule = {
    # A worker records it (comms.models.Heartbeat); expires so a worker back from the dead
    # does not work through a pile of them.
    "portal-heartbeat": {
        "task": "comms.tasks.heartbeat",
        "schedule": _HEARTBEAT_INTERVAL,
        "options": {"expires": max(_HEARTBEAT_INTERVAL, 1.0)},
    },
    # The newsletter engine's dispatcher (newsletter/services/engine.py): starts due sends,
    # sweeps expired leases and queues batches. Expires so a stopped worker does not come back
    # to a pile of them.
    "newsletter-dispatch": {
        "task": "newsletter.tasks.dispatch",
        "schedule": _DISPATCH_INTERVAL,
        "options": {"expires": max(_DISPATCH_INTERVAL * 2, 2.0)},
    },
    # Raw click data past ENGAGEMENT_RETENTION_DAYS deleted, the counts kept; with Redis, the
    # distinct-clicker counts copied to the database (newsletter/services/clicks.py).
    "newsletter-clicks-retention": {
        "task": "newsletter.tasks.clicks_retention",
        "schedule": 3600.0,
        "options": {"expires": 3600.0},
    },
    # Reads counted privately (comms.services.engagement_reads): the raw marks folded into
    # the daily counts, and those of days that are over deleted. Idempotent.
    "engagement-reads-fold": {
        "task": "comms.tasks.reads_fold",
        "schedule": _READS_FOLD_INTERVAL,
        "options": {"expires": _READS_FOLD_INTERVAL},
    },
    # The month's "Staff engagement with research security comms" figure from the reads and
    # clicks counted so far, never over one an editor entered (newsletter/services/engagement.py).
    "newsletter-engagement-metric": {
        "task": "newsletter.tasks.engagement_metric_refresh",
        "schedule": 900.0,
        "options": {"expires": 900.0},
    },
    # People and groups from LDAP / Active Directory (directory/services/ldap.py), all or
    # nothing; returns at once when LDAP_URL is not set.
    "directory-ldap-sync": {
        "task": "directory.tasks.ldap_sync",
        "schedule": _LDAP_SYNC_INTERVAL,
        "options": {"expires": _LDAP_SYNC_INTERVAL},
    },
    # The bounce mailbox read over IMAP (newsletter/services/bounce_mailbox.py): bounces handed
    # to the parser and filed in Processed or Review; returns at once when BOUNCE_IMAP_URL is
    # not set.
    "newsletter-bounce-mailbox": {
        "task": "newsletter.tasks.bounce_mailbox_poll",
        "schedule": _BOUNCE_IMAP_INTERVAL,
        "options": {"expires": _BOUNCE_IMAP_INTERVAL},
    },
}

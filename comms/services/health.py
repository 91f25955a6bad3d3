"""Liveness checks for /healthz: the database and the broker, each with a short timeout, and
the age of the last beat heartbeat a worker processed (a stopped worker or beat shows)."""

import logging
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

from kombu import Connection

logger = logging.getLogger(__name__)


def database_check() -> str:
    """Run ``SELECT 1``; return "ok" or a short reason (never credentials)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        logger.warning("Health check: database unreachable: %s", type(exc).__name__)
        return "unavailable"
    return "ok"


def broker_check(*, timeout: float = 2.0) -> str:
    """Open and close one connection to the Celery broker; return "ok" or "unavailable"."""
    try:
        with Connection(
            settings.CELERY_BROKER_URL,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
            connect_timeout=timeout,
        ) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
    except Exception as exc:
        logger.warning("Health check: broker unreachable: %s", type(exc).__name__)
        return "unavailable"
    return "ok"


def heartbeat_record(*, at: datetime | None = None) -> None:
    """Record that a worker processed beat's heartbeat now (or ``at``). One row, upserted:
    idempotent, and safe from several workers at once."""
    from comms.models import Heartbeat

    Heartbeat.objects.update_or_create(
        pk=Heartbeat.SINGLETON, defaults={"processed_at": at or timezone.now()}
    )


def heartbeat_check() -> dict:
    """{"ok": bool, "age_seconds": whole seconds or None}: ok when a worker processed a beat
    heartbeat within HEALTH_HEARTBEAT_MAX_AGE seconds. None when none was ever recorded (or
    the database cannot say)."""
    from comms.models import Heartbeat

    try:
        processed_at = (
            Heartbeat.objects.filter(pk=Heartbeat.SINGLETON)
            .values_list("processed_at", flat=True)
            .first()
        )
    except Exception as exc:
        logger.warning("Health check: heartbeat unreadable: %s", type(exc).__name__)
        processed_at = None
    if processed_at is None:
        return {"ok": False, "age_seconds": None}
    age = max(0, int((timezone.now() - processed_at).total_seconds()))
    return {"ok": age <= settings.HEALTH_HEARTBEAT_MAX_AGE, "age_seconds": age}


def health_report() -> dict:
    """What /healthz shows: "database" and "broker" ("ok" or "unavailable"), "heartbeat"."""
    return {
        "database": database_check(),
        "broker": broker_check(),
        "heartbeat": heartbeat_check(),
    }


def health_ok(report: dict) -> bool:
    return report["database"] == "ok" and report["broker"] == "ok" and report["heartbeat"]["ok"]

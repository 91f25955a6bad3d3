"""Liveness checks for /healthz: the database and the broker, each with a short timeout."""

import logging

from django.conf import settings
from django.db import connection

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


def health_report() -> dict[str, str]:
    return {"database": database_check(), "broker": broker_check()}

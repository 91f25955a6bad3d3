import logging

from django.utils import timezone

from celery import shared_task

from comms.services.health import heartbeat_record

logger = logging.getLogger(__name__)


@shared_task(name="comms.tasks.heartbeat")
def heartbeat() -> str:
    """Record that beat scheduled and a worker ran a task (``comms.models.Heartbeat``, read by
    /healthz): a sign both are alive. Idempotent; a late duplicate only moves the time on."""
    now = timezone.now()
    heartbeat_record(at=now)
    logger.debug("Heartbeat: beat and worker alive at %s", now.isoformat())
    return now.isoformat()

import logging

from django.utils import timezone

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="comms.tasks.heartbeat")
def heartbeat() -> str:
    """Log that beat scheduled and a worker ran a task: a visible sign both are alive."""
    now = timezone.now().isoformat()
    logger.info("Heartbeat: beat and worker alive at %s", now)
    return now

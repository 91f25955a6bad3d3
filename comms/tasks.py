import logging

from django.utils import timezone

from celery import shared_task

from comms.services import engagement_reads
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


@shared_task(name="comms.tasks.reads_fold")
def reads_fold() -> dict:
    """Fold the raw read marks into the daily read counts and delete those of days that are
    over (``comms.services.engagement_reads.reads_fold``). Idempotent; safe to run twice or
    at once on two workers."""
    result = engagement_reads.reads_fold()
    logger.info(
        "Reads folded: %s daily counts changed, %s raw marks deleted",
        result["changed"],
        result["deleted"],
    )
    return result

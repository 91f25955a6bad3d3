"""Celery tasks of the sending engine. Thin: they take ids and call the services.

Both are safe to run twice or concurrently; the database decides who does what.
The dispatcher runs from the one beat schedule in trustedresearch/celery.py.
"""

import logging
from datetime import UTC, datetime

from django.conf import settings

from celery import shared_task

from newsletter.services import audiences, batches
from newsletter.services.bounce_mailbox import BounceMailboxUnavailable
from newsletter.services.bounce_mailbox import bounce_mailbox_poll as bounce_mailbox_read
from newsletter.services.clicks import clicks_retention_sweep
from newsletter.services.engagement import engagement_metric_refresh
from newsletter.services.engine import sends_dispatch

logger = logging.getLogger(__name__)


def _enqueue(send_id: int, batch_key: str) -> None:
    batch_send.delay(send_id, batch_key)


@shared_task(name="newsletter.tasks.dispatch", ignore_result=True)
def dispatch() -> None:
    """Start due sends, sweep expired leases, finish done sends, queue batches."""
    report = sends_dispatch(enqueue=_enqueue)
    if report.started or report.finished or report.batches or report.swept:
        logger.info(
            "Dispatcher: started %s, finished %s, %s batches queued, %s swept",
            report.started,
            report.finished,
            len(report.batches),
            report.swept,
        )


@shared_task(name="newsletter.tasks.batch_send", ignore_result=True)
def batch_send(send_id: int, batch_key: str) -> None:
    """Send one batch of a send (see newsletter.services.batches.batch_send)."""
    batches.batch_send(send_id=send_id, batch_key=batch_key)


@shared_task(name="newsletter.tasks.clicks_retention", ignore_result=True)
def clicks_retention() -> None:
    """Delete raw click data past ENGAGEMENT_RETENTION_DAYS, keep the counts (see
    newsletter.services.clicks.clicks_retention_sweep)."""
    clicks_retention_sweep()


@shared_task(name="newsletter.tasks.engagement_metric_refresh", ignore_result=True)
def engagement_metric_refresh_task() -> None:
    """This month's staff engagement figure from the reads and clicks counted so far (see
    newsletter.services.engagement)."""
    engagement_metric_refresh()


@shared_task(name="newsletter.tasks.lists_directory_sync", ignore_result=True)
def lists_directory_sync(list_ids: list[int], changed_at: float | None = None) -> None:
    """Bring these lists' directory members up to date (newsletter.services.audiences), those
    not synced since ``changed_at`` (a timestamp) when it is given."""
    when = datetime.fromtimestamp(changed_at, tz=UTC) if changed_at is not None else None
    audiences.lists_directory_sync(list_ids, changed_at=when)


@shared_task(name="newsletter.tasks.bounce_mailbox_poll", ignore_result=True)
def bounce_mailbox_poll() -> None:
    """Read the bounce mailbox once (newsletter.services.bounce_mailbox): each message handed
    to the bounce parser and filed in Processed or Review. Does nothing when BOUNCE_IMAP_URL is
    not set. A mailbox that cannot be opened is logged, not raised: the next poll tries again;
    safe to run twice (a message is filed once)."""
    if not settings.BOUNCE_IMAP_URL:
        return
    try:
        bounce_mailbox_read()
    except BounceMailboxUnavailable as exc:
        logger.warning("Bounce mailbox not read: %s", exc)


# The task's name before it matched its service: messages queued by an older version during
# an upgrade are still taken (losing them would be harmless too: the dispatcher requeues).
shared_task(name="newsletter.tasks.send_batch", ignore_result=True)(batch_send.run)

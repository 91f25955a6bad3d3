"""Clicks on a mailed issue's links: recorded links, counted clicks, retention, erasure.

Only aggregates are kept by default: clicks per link and day, and distinct clickers per send
(``newsletter.clickers``). Who clicked what is recorded only with NEWSLETTER_CLICKS_PER_PERSON
on. See ``newsletter.models.clicks`` for the tables and ``newsletter.links`` for the rewriting.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from newsletter.clickers import clicker_add, clicker_digest, clickers_fold, clickers_retire
from newsletter.links import issue_links, issue_links_tracked
from newsletter.models import Click, ClickerDigest, Delivery, LinkClickDay, Send, SendLink
from newsletter.rendering import RenderedIssue, render_issue

logger = logging.getLogger(__name__)


# One statement, the same in PostgreSQL and SQLite: a click is never lost between two requests.
_TABLE = LinkClickDay._meta.db_table
_CLICK_UPSERT = (
    f'INSERT INTO "{_TABLE}" (link_id, day, clicks) VALUES (%s, %s, 1) '  # noqa: S608
    f'ON CONFLICT (link_id, day) DO UPDATE SET clicks = "{_TABLE}".clicks + 1'
)


def send_links_record(*, send: Send, urls: list[str]) -> dict[str, int]:
    """Record the send's links (url -> position), numbering new ones after those recorded.

    Idempotent, and safe under concurrent batches: the common case (every link recorded by
    the first batch) is one read; new links are numbered under a lock on the send's row, so
    two batches cannot give two links one position, or one link two positions. A link that
    appears only in a later rendering (live content changed) gets the next number; the
    recorded ones never change, so every key already mailed stays valid.
    """
    recorded = dict(SendLink.objects.filter(send=send).values_list("url", "position"))
    if all(url in recorded for url in urls):
        return recorded
    with transaction.atomic():
        Send.objects.select_for_update().filter(pk=send.pk).exists()
        recorded = dict(SendLink.objects.filter(send=send).values_list("url", "position"))
        position = max(recorded.values(), default=0)
        new = []
        for url in urls:
            if url not in recorded:
                position += 1
                recorded[url] = position
                new.append(SendLink(send=send, position=position, url=url))
        SendLink.objects.bulk_create(new)
    logger.info("Send %s: %s link(s) recorded", send.pk, len(new))
    return recorded


def send_rendering(*, send: Send) -> RenderedIssue:
    """The issue as a send mails it: its frozen revision rendered, its links recorded and
    pointed at the click redirect (each recipient's key is filled in per message)."""
    rendered = render_issue(send.revision.as_object())
    positions = send_links_record(send=send, urls=issue_links(rendered))
    return issue_links_tracked(rendered, positions)


def send_link_target(*, send_id: int, position: int) -> SendLink | None:
    """The recorded link (the only addresses the redirect goes to), or None."""
    links = SendLink.objects.filter(send_id=send_id, position=position).order_by()
    return next(iter(links.only("id", "url")[:1]), None)  # one row by its unique key: no sort


def click_record(*, send_id: int, delivery_id: int, link_id: int, now=None) -> None:
    """Count one click: +1 on the link's day (one upsert, so concurrent clicks are never
    lost), the recipient among the send's distinct clickers, and, only with
    NEWSLETTER_CLICKS_PER_PERSON, a ``Click`` row (skipped if the delivery no longer exists)."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(_CLICK_UPSERT, [link_id, timezone.localdate(now)])
    clicker_add(send_id=send_id, delivery_id=delivery_id, now=now)
    if (
        settings.NEWSLETTER_CLICKS_PER_PERSON
        and Delivery.objects.filter(pk=delivery_id, send_id=send_id).exists()
    ):
        Click.objects.create(delivery_id=delivery_id, link_id=link_id, clicked_at=now)


def clicks_retention_sweep(*, now=None) -> dict[str, int]:
    """Delete raw click data older than ENGAGEMENT_RETENTION_DAYS: per-person ``Click`` rows
    and distinct-clicker digests (their count kept in ``SendClickers``); with Redis, copy
    the recent sends' HyperLogLog counts into ``SendClickers`` before their keys expire. The
    aggregates (clicks per link and day, distinct clickers per send) stay. Idempotent, safe
    to run concurrently."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ENGAGEMENT_RETENTION_DAYS)
    clicks, _ = Click.objects.filter(clicked_at__lt=cutoff).delete()
    digests = clickers_retire(ClickerDigest.objects.filter(created_at__lt=cutoff))
    recent = set(
        LinkClickDay.objects.filter(day__gte=(cutoff - timedelta(days=1)).date()).values_list(
            "link__send_id", flat=True
        )
    )
    folded = clickers_fold(sorted(recent))
    if clicks or digests or folded:
        logger.info(
            "Click retention: %s click row(s) and %s digest(s) deleted, %s send(s) folded",
            clicks,
            digests,
            folded,
        )
    return {"clicks": clicks, "digests": digests, "folded": folded}


def clicks_erase(*, delivery_ids: list[int]) -> int:
    """Remove the click data linked to these deliveries (a subscriber's erasure): their
    ``Click`` rows, and their distinct-clicker digests (the send's count kept). Returns the
    rows deleted. Called inside ``subscriber_erase``'s transaction."""
    clicks, _ = Click.objects.filter(delivery_id__in=delivery_ids).delete()
    pairs = Delivery.objects.filter(pk__in=delivery_ids).values_list("send_id", "pk")
    digests = {clicker_digest(send_id=send_id, delivery_id=pk) for send_id, pk in pairs}
    retired = clickers_retire(ClickerDigest.objects.filter(digest__in=digests)) if digests else 0
    return clicks + retired

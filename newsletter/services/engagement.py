"""The portal's own measure of staff engagement fills "Trusted Research in numbers".

The "Staff engagement with research security comms" metric (``comms-engagement``) of a month
is the month's *reader-days* on the portal (for each counted page and statistic and each day,
its distinct signed-in readers) plus the *people who clicked* a link in the newsletter sends
that started that month (each send's distinct clickers). Both are counted without recording
who (``comms.services.engagement_reads``, ``newsletter.clickers``). The note beside the figure
gives its parts and the month's delivered messages, failures and unsubscribes.

Recorded when a send finishes and by the beat (``newsletter.tasks.engagement_metric_refresh``)
so that reads and clicks arriving later are counted. A figure an editor entered by hand
(``entered_by`` set) is never replaced: that office has chosen another measure. Campaign KPIs
that use this metric read their before and after from these values.
"""

import logging
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from newsletter.selectors import engagement_month
from stats.models import Metric, MetricValue
from stats.periods import MONTH

logger = logging.getLogger(__name__)

ENGAGEMENT_METRIC_SLUG = "comms-engagement"


def _month_bounds(day: date) -> tuple[datetime, datetime]:
    start = date(day.year, day.month, 1)
    end = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(end, time.min), tz),
    )


def engagement_note(figures: dict[str, int]) -> str:
    """The note beside a month's figure: its parts, and the month's deliveries."""
    readers, clickers, sends = figures["readers"], figures["clickers"], figures["sends"]
    return (
        f"Recorded by the portal: {readers:,} reader-day{'' if readers == 1 else 's'} on the "
        f"portal + {clickers:,} {'person' if clickers == 1 else 'people'} who clicked in "
        f"{sends} newsletter send{'' if sends == 1 else 's'}. "
        f"{figures['newsletters_sent']:,} messages delivered, "
        f"{figures['newsletter_failures']:,} failed, {figures['unsubscribes']:,} unsubscribed."
    )


@transaction.atomic
def engagement_metric_record(*, day: date) -> MetricValue | None:
    """Record the staff engagement figure of ``day``'s month (module docstring).

    Idempotent: recomputed from the counts each time. Returns the value written, or None when
    the metric does not exist, the month's figure was entered by hand, or the month has nothing
    to count yet (no row is made for a month the portal saw no reads, clicks or sends in)."""
    metric = Metric.objects.filter(slug=ENGAGEMENT_METRIC_SLUG).first()
    if metric is None:
        return None
    period = date(day.year, day.month, 1)
    existing = MetricValue.objects.select_for_update().filter(metric=metric, period=period).first()
    if existing is not None and existing.entered_by_id is not None:
        return None
    start, end = _month_bounds(day)
    figures = engagement_month(start=start, end=end)
    value = figures["readers"] + figures["clickers"]
    if existing is None and not (value or figures["sends"] or figures["newsletters_sent"]):
        return None
    recorded, _ = MetricValue.objects.update_or_create(
        metric=metric,
        period=period,
        defaults={"period_kind": MONTH, "value": value, "note": engagement_note(figures)},
    )
    logger.info("Staff engagement for %s: %s", period, value)
    return recorded


def engagement_metric_refresh(*, today: date | None = None) -> list[MetricValue]:
    """Record this month's figure, and in the first two days of a month last month's too (its
    last reads are folded after midnight). Returns the values written."""
    today = today or timezone.localdate()
    days = [today]
    if today.day <= 2:
        days.append(today.replace(day=1) - timedelta(days=1))
    return [value for day in days if (value := engagement_metric_record(day=day)) is not None]

"""Newsletter delivery and unsubscribe figures feed "Trusted Research in numbers"."""

import logging
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from newsletter.selectors import newsletter_engagement
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


@transaction.atomic
def engagement_metric_record(*, day: date) -> MetricValue | None:
    """Record the month's newsletter messages delivered as the "staff engagement with research
    security comms" figure, with unsubscribes and failures in the note.

    Idempotent (recomputed from the deliveries each time). Never replaces a figure an editor
    entered by hand (``entered_by`` set): that office has chosen another measure. Returns the
    value written, or None when the metric does not exist or was entered by hand.
    """
    metric = Metric.objects.filter(slug=ENGAGEMENT_METRIC_SLUG).first()
    if metric is None:
        return None
    period = date(day.year, day.month, 1)
    existing = MetricValue.objects.select_for_update().filter(metric=metric, period=period).first()
    if existing is not None and existing.entered_by_id is not None:
        return None
    start, end = _month_bounds(day)
    figures = newsletter_engagement(start=start, end=end)
    note = (
        f"Newsletter messages delivered (recorded automatically); "
        f"{figures['unsubscribes']} unsubscribed, {figures['newsletter_failures']} failed."
    )
    value, _ = MetricValue.objects.update_or_create(
        metric=metric,
        period=period,
        defaults={"period_kind": MONTH, "value": figures["newsletters_sent"], "note": note},
    )
    logger.info("Engagement metric for %s: %s delivered", period, figures["newsletters_sent"])
    return value

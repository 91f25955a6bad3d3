"""Reads of the statistics library and 'Trusted Research in numbers' for other apps and
screens. No writes here. The reader queries themselves live on the models' querysets
(``Statistic.objects.for_library()``, ``.stale()``, ``Metric.objects.series()``): the page
models use those, and these functions name them for callers outside the models."""

from datetime import date

from django.db.models import Count, F, QuerySet, Value, Window
from django.db.models.functions import Mod, RowNumber
from django.utils import timezone

from taggit.models import Tag

from stats.models import Metric, MetricSeries, MetricValue, Source, Statistic
from stats.models.library import REVIEW_DUE_SOON_DAYS

__all__ = ["MetricSeries"]  # re-exported: callers outside stats read it here


def statistics_for_readers() -> QuerySet[Statistic]:
    """Every statistic with its source and topics, in a fixed number of queries."""
    return Statistic.objects.for_readers()


def statistics_filter(
    *, topic: str = "", source_id: int | None = None, query: str = ""
) -> QuerySet[Statistic]:
    """The reader library (``StatisticQuerySet.for_library``)."""
    return Statistic.objects.for_library(topic=topic, source_id=source_id, query=query)


def statistic_topics() -> QuerySet[Tag]:
    """Topics in use on statistics, with how many statistics carry each."""
    return Statistic.objects.topics()


def statistic_sources() -> QuerySet[Source]:
    """Sources that at least one statistic cites."""
    return Source.objects.cited()


def statistics_stale(*, today: date | None = None) -> QuerySet[Statistic]:
    """Statistics past their review-by date (``StatisticQuerySet.stale``), with their source.

    The newsletter refuses to send an issue that embeds one of these.
    """
    return Statistic.objects.stale(today).select_related("source")


REVIEW_STATUS_LABELS = {
    "overdue": "Overdue",
    "due_soon": f"Due within {REVIEW_DUE_SOON_DAYS} days",
    "current": "Current",
}


def statistics_by_review_status(
    queryset: QuerySet[Statistic], *, status: str, today: date | None = None
) -> QuerySet[Statistic]:
    """Narrow ``queryset`` to one review status (``StatisticQuerySet.by_review_status``)."""
    return queryset.by_review_status(status, today)


def statistic_of_the_day(*, today: date | None = None) -> Statistic | None:
    """One current statistic, the same all day, a different one each day."""
    today = today or timezone.localdate()
    # The (day number mod count)-th current statistic by id, chosen in SQL: one query, where
    # counting first and then fetching took two.
    return (
        Statistic.objects.current(today)
        .select_related("source")
        .annotate(
            position=Window(RowNumber(), order_by="pk"),
            total=Window(Count("pk")),
        )
        .filter(position=Mod(Value(today.toordinal()), F("total")) + 1)
        .first()
    )


def metric_series() -> list[MetricSeries]:
    """Every metric with all its values, oldest first, in two queries."""
    return Metric.objects.series()


def metric_values_for_period(*, period: date) -> dict[int, MetricValue]:
    """The values entered for one period, by metric id."""
    return {
        value.metric_id: value
        for value in MetricValue.objects.filter(period=period).select_related("metric")
    }


def metric_values_for_export() -> QuerySet[MetricValue]:
    return MetricValue.objects.select_related("metric").order_by("period", "metric__sort_order")

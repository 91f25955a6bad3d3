"""Reads of the statistics library and 'Trusted Research in numbers'. No writes here."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Prefetch, QuerySet, Value, Window
from django.db.models.functions import Mod, RowNumber
from django.utils import timezone

from taggit.models import Tag
from wagtail.search.backends import get_search_backend

from stats.models import Metric, MetricValue, Source, Statistic, StatisticTopic
from stats.models.library import REVIEW_DUE_SOON_DAYS


def statistics_for_readers() -> QuerySet[Statistic]:
    """Every statistic with its source and topics, in a fixed number of queries."""
    return Statistic.objects.select_related("source").prefetch_related(
        Prefetch("tagged_items", queryset=StatisticTopic.objects.select_related("tag"))
    )


ID_MAX = 2**63 - 1  # the largest value of a BigAutoField (DEFAULT_AUTO_FIELD)


def statistics_filter(
    *, topic: str = "", source_id: int | None = None, query: str = ""
) -> QuerySet[Statistic]:
    """The reader library: optionally one topic (tag slug), one source, and a search.

    A ``source_id`` no row can have (negative, or past the largest 64-bit id, as typed into
    ``?source=``) gives no statistics: the database is not asked to compare with a number its
    column cannot hold (SQLite refuses such a number with an error)."""
    statistics = statistics_for_readers()
    if topic:
        statistics = statistics.filter(tagged_items__tag__slug=topic)
    if source_id and not 0 < source_id <= ID_MAX:
        return statistics.none()
    if source_id:
        statistics = statistics.filter(source_id=source_id)
    if query.strip():
        # The search backend finds the ids; the queryset keeps its joins and prefetches.
        found = get_search_backend().search(query.strip(), Statistic, operator="and")
        statistics = statistics.filter(pk__in=[statistic.pk for statistic in found])
    return statistics.distinct()


def statistic_topics() -> QuerySet[Tag]:
    """Topics in use on statistics, with how many statistics carry each."""
    return (
        Tag.objects.filter(stats_statistictopic_items__isnull=False)
        .annotate(statistic_count=Count("stats_statistictopic_items"))
        .order_by("name")
    )


def statistic_sources() -> QuerySet[Source]:
    """Sources that at least one statistic cites."""
    return (
        Source.objects.annotate(statistic_count=Count("statistics"))
        .filter(statistic_count__gt=0)
        .order_by("publisher", "title")
    )


def statistics_stale(*, today: date | None = None) -> QuerySet[Statistic]:
    """Statistics past their review-by date (review_by before today, Europe/London).

    The newsletter refuses to send an issue that embeds one of these.
    """
    today = today or timezone.localdate()
    return Statistic.objects.filter(review_by__lt=today).select_related("source")


REVIEW_STATUS_LABELS = {
    "overdue": "Overdue",
    "due_soon": f"Due within {REVIEW_DUE_SOON_DAYS} days",
    "current": "Current",
}


def statistics_by_review_status(
    queryset: QuerySet[Statistic], *, status: str, today: date | None = None
) -> QuerySet[Statistic]:
    """Narrow ``queryset`` to one review status, the same rule as ``Statistic.review_status``:
    "overdue" (review-by before today), "due_soon" (today to today + REVIEW_DUE_SOON_DAYS) or
    "current" (later). Any other status leaves the queryset as it is."""
    today = today or timezone.localdate()
    soon = today + timedelta(days=REVIEW_DUE_SOON_DAYS)
    if status == "overdue":
        return queryset.filter(review_by__lt=today)
    if status == "due_soon":
        return queryset.filter(review_by__gte=today, review_by__lte=soon)
    if status == "current":
        return queryset.filter(review_by__gt=soon)
    return queryset


def statistic_of_the_day(*, today: date | None = None) -> Statistic | None:
    """One current statistic, the same all day, a different one each day."""
    today = today or timezone.localdate()
    # The (day number mod count)-th current statistic by id, chosen in SQL: one query, where
    # counting first and then fetching took two.
    return (
        Statistic.objects.filter(review_by__gte=today)
        .select_related("source")
        .annotate(
            position=Window(RowNumber(), order_by="pk"),
            total=Window(Count("pk")),
        )
        .filter(position=Mod(Value(today.toordinal()), F("total")) + 1)
        .first()
    )


@dataclass
class MetricSeries:
    """A metric with its values in period order and the change against the previous period."""

    metric: Metric
    values: list[MetricValue] = field(default_factory=list)

    @property
    def latest(self) -> MetricValue | None:
        return self.values[-1] if self.values else None

    @property
    def previous(self) -> MetricValue | None:
        return self.values[-2] if len(self.values) > 1 else None

    @property
    def change(self) -> Decimal | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.value - self.previous.value

    @property
    def change_abs(self) -> Decimal | None:
        return abs(self.change) if self.change is not None else None

    @property
    def change_percent(self) -> Decimal | None:
        if self.change is None or not self.previous.value:
            return None
        return (self.change / abs(self.previous.value) * 100).quantize(Decimal("0.1"))

    @property
    def change_is_good(self) -> bool | None:
        if not self.change:
            return None
        return (self.change > 0) == self.metric.higher_is_better


def metric_series() -> list[MetricSeries]:
    """Every metric with all its values, oldest first, in two queries."""
    metrics = Metric.objects.prefetch_related(
        Prefetch("values", queryset=MetricValue.objects.order_by("period"))
    )
    return [MetricSeries(metric=metric, values=list(metric.values.all())) for metric in metrics]


def metric_values_for_period(*, period: date) -> dict[int, MetricValue]:
    """The values entered for one period, by metric id."""
    return {
        value.metric_id: value
        for value in MetricValue.objects.filter(period=period).select_related("metric")
    }


def metric_values_for_export() -> QuerySet[MetricValue]:
    return MetricValue.objects.select_related("metric").order_by("period", "metric__sort_order")

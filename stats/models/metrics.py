"""'Trusted Research in numbers': what the institution counts, and one value per period."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.models import RevisionMixin
from wagtail.search import index

from stats import periods


class PeriodKind(models.TextChoices):
    MONTH = periods.MONTH, "Month"
    QUARTER = periods.QUARTER, "Quarter"


class MetricQuerySet(models.QuerySet):
    def series(self) -> list["MetricSeries"]:
        """Every metric with all its values, oldest first, in two queries."""
        metrics = self.prefetch_related(
            models.Prefetch("values", queryset=MetricValue.objects.order_by("period"))
        )
        return [MetricSeries(metric=metric, values=list(metric.values.all())) for metric in metrics]


class Metric(RevisionMixin, index.Indexed, models.Model):
    """Something the institution counts each period, e.g. export control licences requested."""

    name = models.CharField(max_length=255)
    slug = models.SlugField(
        max_length=80, unique=True, help_text="Used in CSV files; lower case, no spaces."
    )
    description = models.TextField(blank=True)
    unit = models.CharField(
        max_length=40, blank=True, default="", help_text='e.g. "checks", "events", "%".'
    )
    how_counted = models.TextField(
        "how it is counted",
        blank=True,
        help_text="So next period's figure is counted the same way.",
    )
    higher_is_better = models.BooleanField(
        "up is good",
        default=True,
        help_text="Untick when a fall is the good news (e.g. incidents).",
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    from_pack = models.BooleanField(default=False, editable=False)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="stats_metric")

    objects = MetricQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("unit"),
        FieldPanel("how_counted"),
        FieldPanel("higher_is_better"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("description")]

    class Meta:
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def revisions(self):
        return self._revisions


class MetricValue(models.Model):
    """One metric's figure for one period. A period is stored as its first day."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(help_text="The first day of the month or quarter.")
    period_kind = models.CharField(
        max_length=10, choices=PeriodKind.choices, default=PeriodKind.MONTH
    )
    value = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=500, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["metric__sort_order", "metric__name", "period"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "period"], name="stats_one_value_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.metric}: {self.value} ({self.label})"

    @property
    def label(self) -> str:
        return periods.period_label(self.period, self.period_kind)

    @property
    def display_period(self) -> str:
        return periods.period_display(self.period, self.period_kind)


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

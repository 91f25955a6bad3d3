"""The plan's questions (each with the office's answer) and the Evaluate phase's KPIs."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.safestring import SafeString

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from stats import periods
from stats.models import MetricSeries, MetricValue

from .choices import Section

ANSWER_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class PlanQuestionQuerySet(models.QuerySet):
    def with_editor(self) -> "PlanQuestionQuerySet":
        return self.select_related("answer_edited_by")

    def in_section(self, section: str) -> "PlanQuestionQuerySet":
        return self.with_editor().filter(section=section)


class PlanQuestion(index.Indexed, models.Model):
    """A scoping or phase question of the plan. The question is the pack's; the answer is ours."""

    section = models.CharField(max_length=20, choices=Section.choices)
    pack_key = models.CharField(max_length=40, unique=True, editable=False)
    sort_order = models.PositiveSmallIntegerField(default=0, editable=False)
    text = models.TextField("question")
    detail = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])
    pack_hash = models.CharField(max_length=64, blank=True, editable=False)
    answer = RichTextField(
        blank=True,
        features=ANSWER_FEATURES,
        help_text="Your institution's answer, shown to staff on the campaign pages.",
    )
    answer_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer_edited_at = models.DateTimeField(null=True, blank=True)

    objects = PlanQuestionQuerySet.as_manager()

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("section", read_only=True),
                FieldPanel("text", read_only=True),
                FieldPanel("detail", read_only=True),
            ],
            heading="The plan's question",
        ),
        FieldPanel("answer"),
    ]
    search_fields = [index.SearchField("text"), index.SearchField("answer")]

    class Meta:
        ordering = ["sort_order"]
        verbose_name = "plan question"

    def __str__(self) -> str:
        return self.text

    @property
    def is_answered(self) -> bool:
        return bool(self.answer.strip())


@dataclass
class KpiResult:
    """A KPI's before (baseline period) and after (latest value since) from its metric."""

    kpi: "Kpi"
    before: MetricValue | None = None
    after: MetricValue | None = None
    chart: SafeString = SafeString("")

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after.value - self.before.value

    @property
    def target_reached(self) -> bool | None:
        if self.kpi.target is None or self.after is None:
            return None
        if self.kpi.metric.higher_is_better:
            return self.after.value >= self.kpi.target
        return self.after.value <= self.kpi.target


class KpiQuerySet(models.QuerySet):
    def results(self) -> list[KpiResult]:
        """Every KPI; those with a metric and baseline get before/after values and a chart."""
        from stats.charts import metric_chart_svg

        results = []
        for kpi in self.select_related("metric"):
            result = KpiResult(kpi=kpi)
            if kpi.metric_id and kpi.baseline_period:
                values = MetricValue.objects.filter(metric_id=kpi.metric_id)
                result.before = values.filter(period=kpi.baseline_date).first()
                result.after = values.filter(period__gt=kpi.baseline_date).order_by("period").last()
                shown = [v for v in (result.before, result.after) if v is not None]
                if shown:
                    result.chart = metric_chart_svg(
                        MetricSeries(metric=kpi.metric, values=shown), chart_id=f"kpi-{kpi.pk}"
                    )
            results.append(result)
        return results


class Kpi(models.Model):
    """A key performance indicator, optionally measured by a 'Trusted Research in numbers'
    metric: its value in the baseline period against the latest value and a target."""

    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    metric = models.ForeignKey(
        "stats.Metric",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaign_kpis",
        help_text="The 'Trusted Research in numbers' metric that measures this KPI.",
    )
    baseline_period = models.CharField(
        max_length=10,
        blank=True,
        help_text=f"The period before the campaign: {periods.PERIOD_FORMAT_HELP}.",
    )
    target = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The value you aim for, in the metric's unit.",
    )
    sort_order = models.PositiveSmallIntegerField(default=100)
    pack_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    pack_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = KpiQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("metric"), FieldPanel("baseline_period"), FieldPanel("target")],
            heading="Measure it",
        ),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = "KPI"
        verbose_name_plural = "KPIs"

    def __str__(self) -> str:
        return self.title

    @property
    def baseline_date(self):
        if not self.baseline_period:
            return None
        return periods.period_parse(self.baseline_period)[0]

    def clean(self) -> None:
        errors = {}
        if self.baseline_period:
            try:
                start, kind = periods.period_parse(self.baseline_period)
                self.baseline_period = periods.period_label(start, kind)
            except ValueError as error:
                errors["baseline_period"] = str(error)
        if self.metric_id is None:
            if self.baseline_period:
                errors.setdefault(
                    "baseline_period", "Choose the metric this baseline period belongs to."
                )
            if self.target is not None:
                errors["target"] = "Choose the metric this target is measured by."
        elif self.target is not None and not self.metric.unit.strip():
            errors["target"] = (
                f"The metric “{self.metric.name}” has no unit, so a target would be ambiguous: "
                "give the metric a unit under Statistics, or leave the target empty."
            )
        if errors:
            raise ValidationError(errors)

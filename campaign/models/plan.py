"""The plan's questions (each with the office's answer) and the Evaluate phase's KPIs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.search import index

from stats import periods

from .choices import Section

ANSWER_FEATURES = ["bold", "italic", "link", "ol", "ul"]


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

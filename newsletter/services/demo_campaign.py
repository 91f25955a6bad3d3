"""The demo's campaign plan: answers, endorsers, KPI baselines and activities (``demo_data``).

Each step adds only what is missing and never overwrites an editor's work: a question already
answered, a KPI already measured, an activity or endorser of the same name is left as it is.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from campaign.models import Activity, ActivityStatus, Endorser, Kpi, PlanQuestion
from campaign.services import activity_create, question_answer
from newsletter.services import demo_data
from stats import periods
from stats.models import Metric, MetricValue


def demo_answers_add(*, user, report: list[str]) -> None:
    """Answer the plan's unanswered questions (through ``question_answer``, so the admin shows
    who answered them). Answered questions are kept."""
    answered = 0
    for question in PlanQuestion.objects.filter(pack_key__in=demo_data.ANSWERS):
        if question.is_answered or question.answer_edited_at is not None:
            continue
        question_answer(
            question=question, answer=f"<p>{demo_data.ANSWERS[question.pack_key]}</p>", user=user
        )
        answered += 1
    if answered:
        report.append(f"Campaign questions answered ({answered})")


def demo_endorsers_add(*, report: list[str]) -> None:
    """Add the demo's endorsers that are not there yet (by name)."""
    added = 0
    for order, (name, role, phase, audience) in enumerate(demo_data.ENDORSERS, start=1):
        if not Endorser.objects.filter(name=name).exists():
            Endorser.objects.create(
                name=name, role=role, phase=phase, audience=audience, sort_order=order * 10
            )
            added += 1
    if added:
        report.append(f"Campaign endorsers ({added})")


def _baseline_period() -> str | None:
    first = MetricValue.objects.order_by("period").first()
    return periods.period_label(first.period, periods.MONTH) if first else None


def demo_kpis_measure(*, report: list[str]) -> None:
    """Give the pack's KPIs that a metric can measure a metric, a baseline (the first month of
    figures) and a target, and add one KPI of the office's own. A KPI that already has a metric
    is the editor's and is kept."""
    baseline = _baseline_period()
    metrics = {metric.slug: metric for metric in Metric.objects.all()}
    if baseline is None:
        return
    measured = 0
    for kpi in Kpi.objects.filter(metric__isnull=True, baseline_period=""):
        match = next(
            (m for phrase, m in demo_data.KPI_MEASURES.items() if phrase in kpi.title), None
        )
        if match and match[0] in metrics:
            kpi.metric, kpi.baseline_period, kpi.target = (
                metrics[match[0]],
                baseline,
                Decimal(match[1]),
            )
            kpi.full_clean()
            kpi.save(update_fields=["metric", "baseline_period", "target"])
            measured += 1
    title, slug, target = demo_data.OWN_KPI
    if slug in metrics and not Kpi.objects.filter(title=title).exists():
        kpi = Kpi(title=title, metric=metrics[slug], baseline_period=baseline, target=target)
        kpi.full_clean()
        kpi.save()
        measured += 1
    if measured:
        report.append(f"KPI baselines and targets ({measured})")


def demo_activities_add(*, report: list[str]) -> None:
    """Add the demo's activities (dates from today) that are not there yet (by title)."""
    today = timezone.localdate()
    added = 0
    for title, phase, audience, channel, offset, days, description in demo_data.ACTIVITIES:
        if Activity.objects.filter(title=title).exists():
            continue
        start = today + timedelta(days=offset)
        activity_create(
            title=title,
            phase=phase,
            audience=audience,
            channel=channel,
            owner=f"{demo_data.CONTACT_NAME}, {demo_data.CONTACT_ROLE}",
            start_date=start,
            end_date=start + timedelta(days=days - 1),
            status=ActivityStatus.DONE if offset < 0 else ActivityStatus.PLANNED,
            description=description,
            link_url=demo_data.TRAINING_URL if "training" in channel.lower() else "",
            training="training" in channel.lower(),
        )
        added += 1
    if added:
        report.append(f"Campaign activities ({added}, over the next months)")


def demo_campaign_load(*, user, report: list[str]) -> None:
    """The campaign part of the demo (see the module docstring)."""
    demo_answers_add(user=user, report=report)
    demo_endorsers_add(report=report)
    demo_kpis_measure(report=report)
    demo_activities_add(report=report)

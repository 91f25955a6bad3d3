"""Reads for the campaign pages, the calendar and the feed. No writes, except that the plan
page makes sure the reader has a personal feed token (see ``comms.services.feeds``)."""

import calendar as pycalendar
import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import groupby

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString

from campaign import calendar
from campaign.models import (
    Activity,
    ActivityStatus,
    CampaignIntro,
    CampaignPhasePage,
    Endorser,
    Kpi,
    Phase,
    PlanQuestion,
    Section,
)
from comms.services.feeds import feed_token_get_or_create
from stats.models import MetricSeries, MetricValue

WEEKDAYS = [(name, name[:3]) for name in pycalendar.day_name]


def questions(*, section: str) -> QuerySet[PlanQuestion]:
    return PlanQuestion.objects.filter(section=section).select_related("answer_edited_by")


def plan_progress(
    *,
    questions: Iterable[PlanQuestion],
    phases: Iterable[CampaignPhasePage],
    activities: Iterable[Activity],
) -> dict:
    """Questions answered per section of the plan (each linked to its live phase page), and
    activities by status. Takes rows the plan page reads anyway, so none are read twice."""
    rows = []
    answered: Counter = Counter()
    total: Counter = Counter()
    for question in questions:
        total[question.section] += 1
        answered[question.section] += bool(question.answer.strip())
    pages = {p.phase: p for p in phases}
    for section in Section:
        if total[section.value]:
            page = pages.get(section.value)
            rows.append(
                {
                    "label": section.label,
                    "answered": answered[section.value],
                    "total": total[section.value],
                    "url": page.url if page else "#scoping",
                }
            )
    counts = Counter(activity.status for activity in activities)
    statuses = [
        {"label": s.label, "value": s.value, "count": counts[s.value]} for s in ActivityStatus
    ]
    return {"questions": rows, "activities": statuses, "activity_total": sum(counts.values())}


def activities_for_calendar() -> QuerySet[Activity]:
    return Activity.objects.select_related("link_page").order_by("start_date", "end_date", "pk")


def activities_timeline(
    *, activities: Iterable[Activity] | None = None
) -> list[tuple[date, list[Activity]]]:
    """Activities (all, in calendar order, if not given) grouped by the month they start in,
    earliest first."""
    if activities is None:
        activities = activities_for_calendar()
    return [
        (month, list(items))
        for month, items in groupby(activities, key=lambda a: a.start_date.replace(day=1))
    ]


def training_upcoming(*, count: int, today: date | None = None) -> list[Activity]:
    """The next ``count`` training sessions (``Activity.training``) starting today or later and
    not marked done, soonest first: what a newsletter's learning zone lists."""
    if count <= 0:
        return []
    today = today or timezone.localdate()
    sessions = activities_for_calendar().filter(training=True, start_date__gte=today)
    return list(sessions.exclude(status=ActivityStatus.DONE)[:count])


def training_upcoming_cached(*, count: int) -> list[Activity]:
    """``training_upcoming`` kept in the cache for the current content generation and day (an
    edited activity bumps the generation; tomorrow's list starts afresh), so an issue page or
    a send batch reads the calendar once, not per request."""
    from django.conf import settings
    from django.core.cache import cache

    from comms.caching import CONTENT, generation_current

    if count <= 0:
        return []
    today = timezone.localdate()
    key = f"portal:training-upcoming:{generation_current(CONTENT)}:{today.isoformat()}:{count}"
    sessions = cache.get(key)
    if sessions is None:
        sessions = training_upcoming(count=count, today=today)
        cache.set(key, sessions, getattr(settings, "READER_CACHE_TIMEOUT", 3600))
    return sessions


def activities_in_phase(*, phase: str) -> QuerySet[Activity]:
    return activities_for_calendar().filter(phase=phase)


def endorsers(*, phase: str | None = None) -> QuerySet[Endorser]:
    found = Endorser.objects.all()
    return found.filter(phase=phase) if phase else found


@dataclass
class KpiResult:
    """A KPI's before (baseline period) and after (latest value since) from its metric."""

    kpi: Kpi
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


def kpi_results() -> list[KpiResult]:
    """Every KPI; those with a metric and baseline get before/after values and a chart."""
    from stats.charts import metric_chart_svg

    results = []
    for kpi in Kpi.objects.select_related("metric"):
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


def campaign_intro_live() -> CampaignIntro | None:
    """The campaign introduction published most recently, if any is live."""
    return CampaignIntro.objects.filter(live=True).order_by("-last_published_at", "-pk").first()


def campaign_intro_draft_placeholders() -> list[str]:
    """What still stops the newest campaign intro draft from being published (one line each)."""
    from comms.guard import placeholder_guard_messages, placeholder_guard_scan

    draft = CampaignIntro.objects.order_by("-pk").first()
    if draft is None:
        return []
    latest = draft.get_latest_revision_as_object()
    return placeholder_guard_messages(placeholder_guard_scan(latest))


@dataclass(frozen=True)
class EditorHints:
    """What a user who can edit the campaign may fill in, with the admin screen to do it.

    Empty (all falsy) for readers: the pages then leave the empty parts out. ``key`` varies
    the plan page's cached fragments, so a hint rendered for an editor is never served to a
    reader from the cache (nor a reader's fragment to an editor)."""

    add_activity_url: str = ""
    add_endorser_url: str = ""
    can_answer: bool = False
    can_measure: bool = False

    @property
    def key(self) -> str:
        flags = (self.add_activity_url, self.add_endorser_url, self.can_answer, self.can_measure)
        return "hints-" + "".join("1" if flag else "0" for flag in flags)


def editor_hints(*, user) -> EditorHints:
    """The hints ``user`` may see: one per model permission (add an activity or an endorser,
    answer a question, measure a KPI). No permission, no hint."""
    if user is None or not user.is_authenticated:
        return EditorHints()
    return EditorHints(
        add_activity_url=reverse("wagtailsnippets_campaign_activity:add")
        if user.has_perm("campaign.add_activity")
        else "",
        add_endorser_url=reverse("wagtailsnippets_campaign_endorser:add")
        if user.has_perm("campaign.add_endorser")
        else "",
        can_answer=user.has_perm("campaign.change_planquestion"),
        can_measure=user.has_perm("campaign.change_kpi"),
    )


def plan_page_context(*, page, request) -> dict:
    today = timezone.localdate()
    first = calendar.month_parse(request.GET.get("month"), today=today)
    feed_url = request.build_absolute_uri(reverse("campaign-calendar-feed"))
    if request.user.is_authenticated:
        token = feed_token_get_or_create(user=request.user)
        feed_url += f"?token={token.token}"

    # Read at most once per request, and only if a part that shows them is not cached: the
    # progress table, the scoping questions, the phase cards, the month and the timeline
    # share these three lists (one query each just after an edit, instead of seven).
    @functools.cache
    def all_questions() -> list[PlanQuestion]:
        return list(PlanQuestion.objects.select_related("answer_edited_by"))

    @functools.cache
    def phases() -> list[CampaignPhasePage]:
        return list(CampaignPhasePage.objects.child_of(page).live().order_by("path"))

    @functools.cache
    def activities() -> list[Activity]:
        return list(activities_for_calendar())

    return {
        "progress": SimpleLazyObject(
            lambda: plan_progress(
                questions=all_questions(), phases=phases(), activities=activities()
            )
        ),
        "scoping_questions": SimpleLazyObject(
            lambda: [q for q in all_questions() if q.section == Section.SCOPING]
        ),
        "phases": SimpleLazyObject(phases),
        "month": SimpleLazyObject(
            lambda: calendar.month_grid(first=first, activities=activities(), today=today)
        ),
        "timeline": SimpleLazyObject(lambda: activities_timeline(activities=activities())),
        "feed_url": feed_url,
        "weekdays": WEEKDAYS,
        "hints": editor_hints(user=getattr(request, "user", None)),
    }


def phase_page_context(*, page, request=None) -> dict:
    context = {
        "hints": editor_hints(user=getattr(request, "user", None)),
        "questions": questions(section=page.phase),
        "activities": activities_in_phase(phase=page.phase),
        "endorsers": endorsers(phase=page.phase),
    }
    if page.phase == Phase.EVALUATE:
        context["kpi_results"] = kpi_results()
        context["kpis_measured"] = any(r.kpi.metric_id for r in context["kpi_results"])
    if page.phase == Phase.ENDORSEMENT:
        context["all_endorsers"] = endorsers()
    return context

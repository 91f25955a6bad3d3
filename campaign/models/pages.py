"""The campaign plan as pages: /campaign/ and one page per phase of the 5Es."""

import calendar as pycalendar
import functools
import re
from collections import Counter
from collections.abc import Iterable
from datetime import date
from itertools import groupby

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.html import strip_tags

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from campaign import calendar
from campaign.hints import editor_hints
from comms.models import CachedViewRestrictionsMixin, PersonalPageMixin, ReadsCountedMixin
from comms.services.feeds import feed_token_get_or_create

from .activities import Activity, Endorser
from .choices import ActivityStatus, Phase, Section
from .plan import Kpi, PlanQuestion

PLAN_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul"]
WEEKDAYS = [(name, name[:3]) for name in pycalendar.day_name]


def plan_progress(*, questions: Iterable, phases: Iterable, activities: Iterable) -> dict:
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


def activities_timeline(*, activities: Iterable) -> list[tuple[date, list]]:
    """Activities (in calendar order) grouped by the month they start in, earliest first."""
    return [
        (month, list(items))
        for month, items in groupby(activities, key=lambda a: a.start_date.replace(day=1))
    ]


class CampaignPlanPage(ReadsCountedMixin, PersonalPageMixin, CachedViewRestrictionsMixin, Page):
    """The living 5Es plan: the "Campaign implementation plan" guidance with the office's
    answers, activities and KPIs.

    The activities' iCalendar feed is a plain view at /campaign/calendar.ics (campaign.views),
    so it stays put when an editor renames or moves this page.
    """

    intro = RichTextField(blank=True, features=PLAN_FEATURES)
    audience = RichTextField("who it is for", blank=True, features=PLAN_FEATURES)
    scoping = RichTextField("scoping your campaign", blank=True, features=PLAN_FEATURES)
    implementation = RichTextField(
        "implementation using the 5Es", blank=True, features=PLAN_FEATURES
    )
    useful_links = RichTextField(blank=True, features=PLAN_FEATURES)
    pack_hash = models.CharField(max_length=64, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("audience"),
        FieldPanel("scoping"),
        FieldPanel("implementation"),
        FieldPanel("useful_links"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("audience"),
        index.SearchField("scoping"),
    ]

    max_count = 1
    parent_page_types = ["comms.HomePage"]
    subpage_types = ["campaign.CampaignPhasePage"]
    template = "campaign/campaign_plan_page.html"

    class Meta:
        verbose_name = "campaign plan"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
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
            return list(PlanQuestion.objects.with_editor())

        @functools.cache
        def phases() -> list[CampaignPhasePage]:
            return list(CampaignPhasePage.objects.child_of(self).live().order_by("path"))

        @functools.cache
        def activities() -> list[Activity]:
            return list(Activity.objects.for_calendar())

        context.update(
            progress=SimpleLazyObject(
                lambda: plan_progress(
                    questions=all_questions(), phases=phases(), activities=activities()
                )
            ),
            scoping_questions=SimpleLazyObject(
                lambda: [q for q in all_questions() if q.section == Section.SCOPING]
            ),
            phases=SimpleLazyObject(phases),
            month=SimpleLazyObject(
                lambda: calendar.month_grid(first=first, activities=activities(), today=today)
            ),
            timeline=SimpleLazyObject(lambda: activities_timeline(activities=activities())),
            feed_url=feed_url,
            weekdays=WEEKDAYS,
            hints=editor_hints(user=getattr(request, "user", None)),
        )
        return context


class CampaignPhasePage(ReadsCountedMixin, CachedViewRestrictionsMixin, Page):
    """One phase of the 5Es (or Endorsement): the plan's guidance and the office's layer."""

    phase = models.CharField(max_length=20, choices=Phase.choices)
    guidance = RichTextField(blank=True, features=PLAN_FEATURES)
    questions_heading = models.CharField(
        max_length=100, blank=True, help_text="Heading shown above this phase's questions."
    )
    further_guidance = RichTextField(blank=True, features=PLAN_FEATURES)
    pack_hash = models.CharField(max_length=64, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("phase"),
        FieldPanel("guidance"),
        FieldPanel("questions_heading"),
        FieldPanel("further_guidance"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("guidance"),
        index.SearchField("further_guidance"),
    ]

    parent_page_types = ["campaign.CampaignPlanPage"]
    subpage_types: list[str] = []
    template = "campaign/campaign_phase_page.html"

    class Meta:
        verbose_name = "campaign phase"

    @property
    def summary(self) -> str:
        """The guidance's first paragraph as plain text, for the plan page's cards."""
        first = re.search(r"<p[^>]*>(.*?)</p>", self.guidance or "", re.S)
        return strip_tags(first.group(1)) if first else ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            hints=editor_hints(user=getattr(request, "user", None)),
            questions=PlanQuestion.objects.in_section(self.phase),
            activities=Activity.objects.in_phase(self.phase),
            endorsers=Endorser.objects.in_phase(self.phase),
        )
        if self.phase == Phase.EVALUATE:
            context["kpi_results"] = Kpi.objects.results()
            context["kpis_measured"] = any(r.kpi.metric_id for r in context["kpi_results"])
        if self.phase == Phase.ENDORSEMENT:
            context["all_endorsers"] = Endorser.objects.in_phase()
        return context

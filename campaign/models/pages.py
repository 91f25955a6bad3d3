"""The campaign plan as pages: /campaign/ and one page per phase of the 5Es."""

import re

from django.db import models
from django.http import HttpResponse
from django.utils.html import strip_tags

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from comms.models import CachedViewRestrictionsMixin, PersonalPageMixin

from .choices import Phase

PLAN_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul"]


class CampaignPlanPage(PersonalPageMixin, CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """The living 5Es plan: the "Campaign implementation plan" guidance with the office's
    answers, activities and KPIs.

    Also serves the activities as an iCalendar feed at ``calendar.ics`` (see campaign.views).
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

    @path("calendar.ics/")
    def calendar_feed(self, request):
        """The activities as iCalendar, for the signed-in user or a valid feed token (the same
        rule as the blog feed: ``comms.views.feed_access_refusal``)."""
        from campaign import calendar, selectors
        from comms.views import feed_access_refusal

        refusal = feed_access_refusal(request, copy_from="the campaign page (/campaign/)")
        if refusal is not None:
            return refusal
        return HttpResponse(
            calendar.activities_ics(activities=selectors.activities_for_calendar()),
            content_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": 'inline; filename="campaign.ics"'},
        )

    def get_context(self, request, *args, **kwargs):
        from campaign import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.plan_page_context(page=self, request=request))
        return context


class CampaignPhasePage(CachedViewRestrictionsMixin, Page):
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
        from campaign import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.phase_page_context(page=self, request=request))
        return context

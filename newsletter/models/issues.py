"""Newsletter pages: the archive at /newsletters/ and one page per issue.

An issue's body is a StreamField of the pack's sections (``newsletter.blocks``); it renders
three ways through ``newsletter.rendering`` (web page, HTML email, plain text), previewed in the
admin as "Web", "Email (HTML)" and "Email (text)". The publish guard (``comms.guard``) runs the
pre-send checks (``newsletter.checks.issue_check_list``) when an issue is submitted, approved
or published, and an issue goes live only through the "Senior owner approval" workflow, whose
approver cannot be the issue's author (``comms.models.TwoPersonApprovalTask``).
"""

from django.db import models
from django.http import HttpResponse

from wagtail.admin.panels import FieldPanel, ObjectList, TabbedInterface
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from comms.approval import ApprovalRequiredPageMixin
from comms.guard import PlaceholderGuardMixin
from comms.models import CachedViewRestrictionsMixin, ReadsCountedMixin
from newsletter.blocks import NewsletterBodyBlock
from newsletter.panels import IssueChecksPanel, NewsletterIssueForm

PREVIEW_UNSUBSCRIBE_URL = "#unsubscribe-link-goes-here"


class NewsletterIndexPage(CachedViewRestrictionsMixin, Page):
    """The newsletter archive staff read: published issues, newest first."""

    intro = models.TextField(blank=True, help_text="One or two sentences above the list of issues.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["comms.HomePage"]
    subpage_types = ["newsletter.NewsletterIssuePage"]
    max_count = 1

    class Meta:
        verbose_name = "newsletter archive"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Already the specific model: no .specific(), which would read every issue twice.
        context["issues"] = (
            NewsletterIssuePage.objects.child_of(self).live().order_by("-first_published_at")
        )
        return context


class NewsletterIssuePage(
    ReadsCountedMixin,
    CachedViewRestrictionsMixin,
    ApprovalRequiredPageMixin,
    PlaceholderGuardMixin,
    Page,
):
    """One newsletter issue: a web page and, through the renderer, an email."""

    preheader = models.CharField(
        max_length=150,
        blank=True,
        help_text="The line mail clients show after the subject in the inbox (up to 150 "
        "characters).",
    )
    body = StreamField(
        NewsletterBodyBlock(),
        blank=True,
        help_text="The pack's sections: fill in each [insert …] prompt; sections that show "
        "portal content (posts, figures, statistics, the campaign intro) show it as it is now.",
    )

    placeholder_fields = ("title", "preheader", "body")
    base_form_class = NewsletterIssueForm
    content_panels = [*Page.content_panels, FieldPanel("preheader"), FieldPanel("body")]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList([IssueChecksPanel(heading="Pre-send checks")], heading="Checks"),
            ObjectList(Page.promote_panels, heading="Promote"),
            *(
                [ObjectList(Page.settings_panels, heading="Settings")]
                if Page.settings_panels
                else []
            ),
        ]
    )
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "newsletter issue"

    def publish_problems(self) -> list[str]:
        """The pre-send checks' failures for this version: the guard refuses submitting,
        approving and publishing while there are any."""
        from newsletter.checks import issue_content_problems

        return issue_content_problems(self)

    @property
    def preview_modes(self):
        return [("", "Web"), ("email", "Email (HTML)"), ("text", "Email (text)")]

    def serve_preview(self, request, mode_name):
        from newsletter.rendering import render_issue

        if mode_name == "email":
            html, _ = render_issue(self).personalise(unsubscribe_url=PREVIEW_UNSUBSCRIBE_URL)
            response = HttpResponse(html)
            # An email's styles are inline attributes and its images absolute URLs, as mail
            # clients need: the preview allows those (it has no script).
            response._csp_replace = {"style-src": ["'unsafe-inline'"], "img-src": ["*", "data:"]}
            return response
        if mode_name == "text":
            _, text = render_issue(self).personalise(unsubscribe_url=PREVIEW_UNSUBSCRIBE_URL)
            return HttpResponse(text, content_type="text/plain; charset=utf-8")
        return super().serve_preview(request, mode_name)

    def get_context(self, request, *args, **kwargs):
        from newsletter.rendering import web_context

        context = super().get_context(request, *args, **kwargs)
        context.update(web_context(self))
        return context

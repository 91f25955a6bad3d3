"""Newsletter pages: the archive at /newsletters/ and one page per issue.

Minimal on purpose: the issue's sections, preview modes and test send come with issue 7, which
extends ``NewsletterIssuePage.body``. The sending engine only needs a page with a live revision
that ``newsletter.rendering.render_issue`` can render.
"""

from django.db import models

from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index


class NewsletterIndexPage(Page):
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
        context["issues"] = (
            NewsletterIssuePage.objects.child_of(self)
            .live()
            .order_by("-first_published_at")
            .specific()
        )
        return context


class NewsletterIssuePage(Page):
    """One newsletter issue: a web page and, through the renderer, an email."""

    preheader = models.CharField(
        max_length=150,
        blank=True,
        help_text="The line mail clients show after the subject in the inbox (up to 150 "
        "characters).",
    )
    body = StreamField(
        [
            ("heading", blocks.CharBlock(form_classname="title", icon="title")),
            ("paragraph", blocks.RichTextBlock(features=["bold", "italic", "link", "ol", "ul"])),
        ],
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("preheader"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["newsletter.NewsletterIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "newsletter issue"

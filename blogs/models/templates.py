from django.db import models
from django.http import Http404

from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .posts import BlogBodyBlock

EDITORS_ONLY = "wagtailadmin.access_admin"


class EditorsOnlyPageMixin:
    """Templates are working material: readers get "not found", editors see them."""

    show_in_menus_default = False

    def serve(self, request, *args, **kwargs):
        if not request.user.has_perm(EDITORS_ONLY):
            raise Http404("Blog templates are only for editors.")
        return super().serve(request, *args, **kwargs)


class BlogTemplateLibraryPage(EditorsOnlyPageMixin, Page):
    """Holds the blog templates, outside /blog/ so readers never list them."""

    intro = RichTextField(blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["comms.HomePage"]
    subpage_types = ["blogs.BlogTemplatePage"]
    max_count = 1

    class Meta:
        verbose_name = "blog template library"


class BlogTemplatePage(EditorsOnlyPageMixin, Page):
    """A blog template with [insert …] placeholders; "Write a post from this template" fills it."""

    pack_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    pack_hash = models.CharField(max_length=64, blank=True, editable=False)
    recommended_poster = models.TextField(blank=True, help_text="Who is best placed to post it.")
    notes = RichTextField(blank=True, help_text="Notes for editors; readers never see them.")
    attribution = models.CharField(
        max_length=255, blank=True, help_text="Source and licence of the template's text."
    )
    body = StreamField(BlogBodyBlock(), blank=True)

    content_panels = [
        *Page.content_panels,
        HelpPanel(
            content="<p>Write placeholders in square brackets, e.g. <b>[insert institution "
            "here]</b>. Use “Write a post from this template” in the page's header menu to "
            "fill them in and create a draft post.</p>"
        ),
        FieldPanel("recommended_poster"),
        FieldPanel("notes"),
        FieldPanel("attribution"),
        FieldPanel("body"),
    ]
    parent_page_types = ["blogs.BlogTemplateLibraryPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "blog template"

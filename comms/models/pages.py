from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index


class CachedViewRestrictionsMixin:
    """Reader pages: skip the view-restriction queries when the cached route says none apply.

    ``comms.caching.route_get`` marks a page it loads from a cached route with whether the
    page and its ancestors have no view restrictions (restriction edits invalidate the
    cache). Pages reached any other way (the admin, previews) query as Wagtail does."""

    def get_view_restrictions(self):
        if getattr(self, "_portal_unrestricted", False):
            return PageViewRestriction.objects.none()
        restrictions = super().get_view_restrictions()
        # Evaluated now (Wagtail's serve check iterates it next, from the same result) so the
        # route cache can note the answer without asking the database again.
        self._portal_unrestricted_seen = not restrictions
        return restrictions


class HomePage(CachedViewRestrictionsMixin, Page):
    """The intranet's front page. Later sections (latest posts, statistic of the day,
    the campaign) fill its slots through ``get_context``."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="A short welcome shown at the top of the home page.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = "home page"

from django.db.models import Q
from django.utils.cache import patch_cache_control

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index


def view_restrictions_for(page: Page):
    """The view restrictions that apply to ``page``: Wagtail's ``get_view_restrictions`` in one
    query instead of two (it reads the ancestors first, then their restrictions).

    The same rule: restrictions on the page and each ancestor, except that for an alias its
    original's count instead of its own (aliases always point at an original)."""
    steplen = page.steplen
    paths = [page.path[:end] for end in range(steplen, len(page.path) + 1, steplen)]
    chain = Page.objects.filter(path__in=paths)
    return PageViewRestriction.objects.filter(
        Q(page__in=chain.filter(alias_of__isnull=True))
        | Q(page__in=chain.filter(alias_of__isnull=False).values("alias_of_id"))
    )


class CachedViewRestrictionsMixin:
    """Reader pages: skip the view-restriction queries when the cached route says none apply.

    ``comms.readercache.caching.route_get`` marks a page it loads from a cached route with
    whether the page and its ancestors have no view restrictions (restriction edits invalidate the
    cache). Otherwise the restrictions are read in one query (``view_restrictions_for``)."""

    def get_view_restrictions(self):
        if getattr(self, "_portal_unrestricted", False):
            return PageViewRestriction.objects.none()
        restrictions = view_restrictions_for(self)
        # Evaluated now (Wagtail's serve check iterates it next, from the same result) so the
        # route cache can note the answer without asking the database again.
        self._portal_unrestricted_seen = not restrictions
        return restrictions


class PersonalPageMixin:
    """Pages that show something only the reader should have (their personal feed address):
    answered ``Cache-Control: private, no-store``, so no proxy or browser cache keeps a copy
    another person could be served or read later."""

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    def serve_preview(self, request, *args, **kwargs):
        response = super().serve_preview(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response


class ReadsCountedMixin:
    """Pages whose reads are counted: distinct signed-in readers a day, never who
    (``comms.services.engagement_reads``; ``comms.middleware.ReadCountMiddleware`` asks).

    ``read_item`` names what a successful GET of this page showed, from Wagtail's route
    (the ``args``/``kwargs`` ``route`` returned): the page itself by default. Override it for
    pages with sub-URLs (a ``RoutablePageMixin`` page showing another object, or nothing worth
    counting). It must not query the database: it runs on every reader request."""

    def read_item(self, args, kwargs) -> tuple[int, int] | None:
        """(content type id, object id) of the item read, or None not to count."""
        return self.content_type_id, self.pk


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

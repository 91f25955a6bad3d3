"""/statistics/: the library for readers, a permalink and share card per statistic, and the
'Trusted Research in numbers' page."""

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from comms.licence import OGL_URL, PACK_ATTRIBUTION
from comms.models import CachedViewRestrictionsMixin, ReadsCountedMixin
from stats import pack_data

from .library import Source, Statistic
from .metrics import Metric

# charts and cards import these models, so the routes import them when called.

STATISTICS_PER_PAGE = 50


class StatisticsIndexPage(ReadsCountedMixin, CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """The statistics library. Its sub-URLs are routes, so every statistic has a permalink."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["comms.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "statistics index page"

    def read_item(self, args, kwargs) -> tuple[int, int] | None:
        """The library counts as this page's read, a permalink as its statistic's; the
        numbers page and share cards (images the permalink shows) are not counted."""
        view, _, view_kwargs = args
        name = getattr(view, "__name__", "")
        if name == "library":
            return self.content_type_id, self.pk
        if name == "statistic":
            return ContentType.objects.get_for_model(Statistic).pk, view_kwargs["pk"]
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            base_url=self.get_url(request),
            today=timezone.localdate(),
            pack_attribution=PACK_ATTRIBUTION,
            ogl_url=OGL_URL,
        )
        return context

    @path("")
    def library(self, request):
        topic = request.GET.get("topic", "").strip()
        query = request.GET.get("q", "").strip()
        try:
            source_id = int(request.GET.get("source") or 0) or None
        except ValueError:
            source_id = None
        statistics = Statistic.objects.for_library(topic=topic, source_id=source_id, query=query)
        # Lazy: a cached page (the readercache fragment) does not count the statistics again.
        page_obj = SimpleLazyObject(
            lambda: Paginator(statistics, STATISTICS_PER_PAGE).get_page(request.GET.get("page"))
        )
        # The pack states its bibliometrics caveat once, before its list of statistics: the
        # library does the same (above the list, not on each card) when the page shows any
        # statistic that carries it. A statistic's own page and embeds keep it as a footnote.
        caveat = pack_data.BIBLIOMETRICS_CAVEAT
        list_caveat = SimpleLazyObject(
            lambda: caveat if any(s.footnote == caveat for s in page_obj) else ""
        )
        params = request.GET.copy()
        params.pop("page", None)
        return self.render(
            request,
            context_overrides={
                "statistics": page_obj,
                "list_caveat": list_caveat,
                "topics": Statistic.objects.topics(),
                "sources": Source.objects.cited(),
                "topic": topic,
                "source_id": source_id,
                "query": query,
                "filtered": bool(topic or source_id or query),
                "querystring": params.urlencode(),
            },
        )

    @path("numbers/", name="numbers")
    def numbers(self, request):
        from stats import charts

        series = Metric.objects.series()
        charts_by_metric = {
            s.metric.pk: charts.metric_chart_svg(s, chart_id=f"chart-{s.metric.slug}")
            for s in series
        }
        for item in series:
            item.chart = charts_by_metric[item.metric.pk]
        return self.render(
            request,
            template="stats/metrics_page.html",
            context_overrides={"series": series},
        )

    @path("<int:pk>/", name="statistic")
    def statistic(self, request, pk: int):
        from stats import cards

        statistic = get_object_or_404(Statistic.objects.for_readers(), pk=pk)
        return self.render(
            request,
            template="stats/statistic.html",
            context_overrides={
                "statistic": statistic,
                "card_alt": cards.card_alt_text(statistic),
            },
        )

    # Wagtail serves only paths without dots, so the card lives at .../card/ (a PNG
    # named statistic-<id>.png by its Content-Disposition).
    @path("<int:pk>/card/", name="card")
    def card(self, request, pk: int):
        from stats import cards

        statistic = get_object_or_404(Statistic.objects.select_related("source"), pk=pk)
        png, digest = cards.card_png(statistic)
        etag = f'"{digest[:32]}"'
        if request.headers.get("If-None-Match") == etag:
            return HttpResponse(status=304)
        response = HttpResponse(png, content_type="image/png")
        response["ETag"] = etag
        response["Cache-Control"] = "private, max-age=3600"
        disposition = "attachment" if request.GET.get("download") else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="statistic-{pk}.png"'
        return response

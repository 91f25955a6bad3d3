"""The 'Statistics' admin menu: sources, statistics, metrics, entering figures; and the
dashboard panel of statistics due for review."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

import django_filters

from stats import selectors, views
from stats.models import Metric, Source, Statistic


class StatisticFilterSet(WagtailFilterSet):
    due_for_review = django_filters.BooleanFilter(
        label="Due for review", method="filter_due_for_review"
    )
    review_status = django_filters.ChoiceFilter(
        label="Review status",
        choices=list(selectors.REVIEW_STATUS_LABELS.items()),
        method="filter_review_status",
    )
    topic = django_filters.CharFilter(
        label="Topic", field_name="tagged_items__tag__name", lookup_expr="iexact", distinct=True
    )

    class Meta:
        model = Statistic
        fields = ["source"]

    def filter_due_for_review(self, queryset, name, value):
        if value is True:
            return queryset.stale()
        if value is False:
            return queryset.current()
        return queryset

    def filter_review_status(self, queryset, name, value):
        return selectors.statistics_by_review_status(queryset, status=value)


class ReviewByColumn(Column):
    """The review-by date as a date (Wagtail's DateColumn says "Just now" for any future date)
    with a status tag: overdue, due within 30 days, or current. Sorts by the date."""

    cell_template_name = "stats/admin/review_by_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        status = instance.review_status()
        context["status"] = status
        context["status_label"] = selectors.REVIEW_STATUS_LABELS[status]
        return context


class StatisticViewSet(SnippetViewSet):
    model = Statistic
    icon = "table"
    menu_label = "Statistics"
    list_display = [
        "figure",
        Column("claim", label="Claim"),
        "source",
        ReviewByColumn("review_by", label="Review by", sort_key="review_by"),
    ]
    list_export = ["pack_number", "figure", "claim", "source", "footnote", "as_of", "review_by"]
    filterset_class = StatisticFilterSet
    ordering = ["pack_number", "pk"]


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "link"
    menu_label = "Sources"
    list_display = ["publisher", "title", "year", "url"]
    list_filter = ["year"]


class MetricViewSet(SnippetViewSet):
    model = Metric
    icon = "list-ol"
    menu_label = "Metrics"
    list_display = ["name", "slug", "unit", "higher_is_better"]


class MetricFiguresViewSet(ViewSet):
    """The period entry form and CSV import/export, under the same menu."""

    name = "stats_numbers"
    url_prefix = "trusted-research-in-numbers"
    icon = "form"
    menu_label = "Enter figures"

    def get_urlpatterns(self):
        return [
            path("", views.enter_view, name="enter"),
            path("import/", views.import_view, name="import"),
            path("export.csv", views.export_view, name="export"),
        ]

    @property
    def menu_url(self):
        return reverse("stats_numbers:enter")

    @property
    def menu_item_class(self):
        return FiguresMenuItem


class FiguresMenuItem(MenuItem):
    def is_shown(self, request):
        return views.permission_policy.user_has_any_permission(request.user, ["add", "change"])


class StatisticsGroup(SnippetViewSetGroup):
    menu_label = "Statistics"
    menu_icon = "table"
    menu_order = 250
    items = (StatisticViewSet, SourceViewSet, MetricViewSet, MetricFiguresViewSet)


register_snippet(StatisticsGroup)


class StatisticsDueForReviewPanel(Component):
    name = "statistics_due_for_review"
    template_name = "stats/admin/due_for_review_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        stale = selectors.statistics_stale().order_by("review_by")
        context["statistics"] = stale[:10]
        context["count"] = stale.count()
        context["listing_url"] = (
            reverse("wagtailsnippets_stats_statistic:list") + "?due_for_review=true"
        )
        return context


@hooks.register("construct_homepage_panels")
def add_statistics_due_for_review_panel(request, panels):
    if request.user.has_perm("stats.change_statistic"):
        panels.append(StatisticsDueForReviewPanel())

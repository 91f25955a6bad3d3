"""Admin views for 'Trusted Research in numbers': enter a period, import and export CSV."""

import logging

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, View

from wagtail.admin.auth import PermissionPolicyChecker
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy

from stats import selectors
from stats.forms import MetricCsvImportForm, MetricPeriodForm
from stats.models import Metric, MetricValue, StatisticsIndexPage
from stats.periods import period_display, period_label, period_parse
from stats.services import (
    MetricImportError,
    metric_values_export_csv,
    metric_values_import_csv,
    metric_values_save_period,
)

logger = logging.getLogger(__name__)
permission_policy = ModelPermissionPolicy(MetricValue)
permission_checker = PermissionPolicyChecker(permission_policy)


def _numbers_url() -> str | None:
    page = StatisticsIndexPage.objects.live().first()
    return page.url + page.reverse_subpage("numbers") if page else None


def _default_period() -> str:
    """Last month: the period an office usually reports on."""
    first_of_month = timezone.localdate().replace(day=1)
    last_month = (first_of_month - timezone.timedelta(days=1)).replace(day=1)
    return period_label(last_month, "month")


class _NumbersAdminMixin(WagtailAdminTemplateMixin):
    header_icon = "table"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("stats_numbers:enter"), "label": "Trusted Research in numbers"},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["numbers_url"] = _numbers_url()
        return context


class MetricPeriodEntryView(_NumbersAdminMixin, FormView):
    """All metrics of one period in one form. ``?period=2024-03`` loads that period."""

    template_name = "stats/admin/metric_period_form.html"
    form_class = MetricPeriodForm
    page_title = "Enter figures for a period"

    def dispatch(self, request, *args, **kwargs):
        self.metrics = list(Metric.objects.all())
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "metrics": self.metrics}

    def get_initial(self):
        text = self.request.GET.get("period") or _default_period()
        initial = {"period": text}
        try:
            period, _kind = period_parse(text)
        except ValueError:
            return initial
        for metric_id, value in selectors.metric_values_for_period(period=period).items():
            initial[f"value_{metric_id}"] = f"{value.value.normalize():f}"
            initial[f"note_{metric_id}"] = value.note
        return initial

    def form_valid(self, form):
        period, kind = form.cleaned_data["period"]
        counts = metric_values_save_period(
            period=period, period_kind=kind, entries=form.entries(), user=self.request.user
        )
        messages.success(
            self.request,
            f"Saved {counts['saved']} figure(s) for {period_display(period, kind)}"
            + (f"; removed {counts['removed']}." if counts["removed"] else "."),
        )
        return redirect(f"{reverse('stats_numbers:enter')}?period={period_label(period, kind)}")


class MetricCsvImportView(_NumbersAdminMixin, FormView):
    template_name = "stats/admin/metric_csv_import.html"
    form_class = MetricCsvImportForm
    page_title = "Import figures from CSV"

    def form_valid(self, form):
        try:
            counts = metric_values_import_csv(
                data=form.cleaned_data["file"].read(), user=self.request.user
            )
        except MetricImportError as exc:
            logger.info("Metric CSV import refused: %d bad line(s)", len(exc.errors))
            return self.render_to_response(
                self.get_context_data(form=form, import_errors=exc.errors)
            )
        messages.success(
            self.request,
            f"Imported {counts['created']} new and {counts['updated']} updated figure(s).",
        )
        return redirect("stats_numbers:import")


class MetricCsvExportView(View):
    def get(self, request):
        response = HttpResponse(metric_values_export_csv(), content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = (
            f'attachment; filename="trusted-research-in-numbers-{stamp}.csv"'
        )
        return response


enter_view = permission_checker.require_any("add", "change")(MetricPeriodEntryView.as_view())
import_view = permission_checker.require_any("add", "change")(MetricCsvImportView.as_view())
export_view = permission_checker.require_any("add", "change")(MetricCsvExportView.as_view())

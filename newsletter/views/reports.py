"""One issue's engagement report for comms leads: its sends' figures side by side (sent, failed,
bounced, unsubscribed, clicks, distinct clickers, click-through), readers and clicks per day
with a chart, its links ranked by clicks, and the same as CSV. Figures only: nobody is named."""

from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from newsletter.models import NewsletterIssuePage
from newsletter.scheduling import format_london
from newsletter.selectors import issue_engagement
from newsletter.views.exports import CsvExportView
from newsletter.views.sends import SendPermissionMixin
from stats.charts import BAR_COLOUR, DailySeries, daily_chart_svg

CLICKS_COLOUR = "#9a3412"  # 7.1:1 on white, apart from the readers' blue
CHART_DAYS = 60  # the chart shows the first 60 days; the table and CSV show every day


class IssueReportMixin(SendPermissionMixin):
    """Who may read a send's report may read its issue's (``send_permission_policy`` "view")."""

    @cached_property
    def issue(self) -> NewsletterIssuePage:
        return get_object_or_404(NewsletterIssuePage, pk=self.kwargs["pk"])

    @cached_property
    def engagement(self):
        return issue_engagement(self.issue)


class IssueReportView(IssueReportMixin, TemplateView):
    template_name = "newsletter/admin/issue_report.html"

    def get_context_data(self, **kwargs):
        engagement = self.engagement
        shown = engagement.days[:CHART_DAYS]
        chart = daily_chart_svg(
            chart_id="issue-engagement",
            title=f"Readers on the portal and clicks in the email, each day from "
            f"{shown[0].day.day} {shown[0].day:%B %Y}"
            if shown
            else "",
            days=[day.day for day in shown],
            series=[
                DailySeries("Readers on the portal", [d.readers for d in shown], BAR_COLOUR),
                DailySeries("Clicks in the email", [d.clicks for d in shown], CLICKS_COLOUR),
            ],
        )
        sends = [
            (one, ", ".join(mailing_list.name for mailing_list in one.send.lists.all()))
            for one in engagement.sends
        ]
        return super().get_context_data(
            issue=self.issue,
            engagement=engagement,
            sends=[(one, lists, format_london(one.send.started_at)) for one, lists in sends],
            chart=chart,
            chart_days=len(shown),
            **kwargs,
        )


class IssueReportDaysCsvView(IssueReportMixin, CsvExportView):
    """One row per day: the issue's signed-in readers and the clicks on its email's links."""

    list_export = ["day", "readers", "clicks"]
    export_headings = {"day": "date", "readers": "portal_readers", "clicks": "email_clicks"}

    def get_queryset(self):
        return self.engagement.days

    def get_filename(self):
        return f"issue-{self.issue.pk}-engagement-by-day"


class IssueReportLinksCsvView(IssueReportMixin, CsvExportView):
    """One row per link of the issue's email, most clicked first."""

    list_export = ["url", "clicks"]
    export_headings = {"url": "link", "clicks": "clicks"}

    def get_queryset(self):
        return self.engagement.links

    def get_filename(self):
        return f"issue-{self.issue.pk}-links"

"""Admin: entering a period's figures, CSV upload and download, the review dashboard panel,
and the statistic snippet form's validation."""

from datetime import date, timedelta

import pytest

from stats.models import Metric, MetricValue, Source, Statistic
from tests.csvfiles import quoted_csv_rows
from tests.factories import StatisticFactory

pytestmark = pytest.mark.django_db

ENTER = "/admin/trusted-research-in-numbers/"


def _period_post(values: dict[str, str], period="2024-03") -> dict[str, str]:
    data = {"period": period}
    for metric in Metric.objects.all():
        data[f"value_{metric.pk}"] = values.get(metric.slug, "")
        data[f"note_{metric.pk}"] = ""
    return data


def test_editor_enters_all_metrics_of_a_period_and_the_chart_page_shows_them(
    stats_pack, editor, client_as
):
    client = client_as(editor)
    form = client.get(ENTER + "?period=2024-02")
    assert form.status_code == 200
    assert "National Security and Investment Act notifications" in form.content.decode()

    client.post(ENTER, _period_post({"end-user-checks": "10"}, period="2024-02"))
    response = client.post(
        ENTER, _period_post({"end-user-checks": "14", "training-events": "3"}), follow=True
    )
    assert "Saved 2 figure(s) for March 2024" in response.content.decode()
    assert MetricValue.objects.filter(period=date(2024, 3, 1)).count() == 2

    html = " ".join(client.get("/statistics/numbers/").content.decode().split())
    assert html.count("<h1") == 1
    assert "<svg" in html and 'role="img"' in html
    assert "<caption>End-user checks by period (checks)</caption>" in html
    assert "Up 4 (40.0%)" in html and "since February 2024" in html


def test_bad_figures_are_reported_on_their_field_and_nothing_saved(stats_pack, editor, client_as):
    response = client_as(editor).post(
        ENTER, _period_post({"end-user-checks": "ten"}, period="2024-13")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“2024-13” is not a period" in html
    assert "End-user checks: value “ten” is not a number" in html
    assert MetricValue.objects.count() == 0


def test_csv_upload_reports_bad_lines_and_download_escapes(stats_pack, editor, client_as):
    client = client_as(editor)
    bad = b"period,metric,value,note\n2024-01,nope,1,\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        ENTER + "import/", {"file": SimpleUploadedFile("f.csv", bad, "text/csv")}
    )
    html = response.content.decode()
    assert "Nothing was imported." in html and "Line 2: unknown metric “nope”" in html

    good = b"period,metric,value,note\n2024-01,end-user-checks,5,@risk\n"
    response = client.post(
        ENTER + "import/", {"file": SimpleUploadedFile("f.csv", good, "text/csv")}, follow=True
    )
    assert "Imported 1 new and 0 updated figure(s)." in response.content.decode()

    export = client.get(ENTER + "export.csv")
    assert export["Content-Type"].startswith("text/csv")
    assert "attachment;" in export["Content-Disposition"]
    assert '"2024-01","end-user-checks","5","\'@risk"' in export.content.decode()


def test_figures_download_quotes_every_cell_neutralises_formulas_and_keeps_numbers(
    stats_pack, editor, client_as
):
    metric = Metric.objects.get(slug="end-user-checks")
    MetricValue.objects.create(
        metric=metric,
        period=date(2024, 1, 1),
        period_kind="month",
        value=-5,
        note='=HYPERLINK("http://evil.example","Click"); then Paris;Berlin',
    )
    export = client_as(editor).get(ENTER + "export.csv")
    assert export.status_code == 200
    rows = quoted_csv_rows(export.content)
    assert rows[1] == [
        "2024-01",
        "end-user-checks",
        "-5",  # a negative figure stays a number
        '\'=HYPERLINK("http://evil.example","Click"); then Paris;Berlin',
    ]


def test_statistics_list_export_quotes_every_cell_and_neutralises_formulas(editor, client_as):
    StatisticFactory(
        pack_number=1,
        figure="-40%",
        claim='=HYPERLINK("http://evil.example","Read more")',
        footnote="Survey of staff; 2024",
    )
    response = client_as(editor).get("/admin/snippets/stats/statistic/?export=csv")
    assert response.status_code == 200
    rows = quoted_csv_rows(b"".join(response.streaming_content))
    assert rows[0][:3] == ["Pack number", "Figure", "Claim"]
    assert rows[1][1:3] == ["'-40%", '\'=HYPERLINK("http://evil.example","Read more")']
    assert rows[1][4] == "Survey of staff; 2024"


def test_staff_and_comms_leads_cannot_enter_figures(stats_pack, staff_user, comms_lead, client_as):
    assert client_as(staff_user).get(ENTER).status_code in (302, 403)
    response = client_as(comms_lead).get(ENTER)
    assert response.status_code in (302, 403)


def test_dashboard_lists_statistics_due_for_review(stats_pack, editor, client_as):
    Statistic.objects.filter(pack_number=5).update(review_by=date.today() - timedelta(days=3))
    html = client_as(editor).get("/admin/").content.decode()
    assert "Statistics due for review" in html
    assert "international industry investment in UK university research" in html

    listing = client_as(editor).get("/admin/snippets/stats/statistic/?due_for_review=true")
    assert listing.status_code == 200
    assert "9.7%" in listing.content.decode()
    assert "61.5%" not in listing.content.decode()


def test_statistic_form_refuses_missing_fields_bad_dates_and_bad_urls(
    stats_pack, editor, client_as
):
    client = client_as(editor)
    source = Source.objects.first()
    count = Statistic.objects.count()
    response = client.post(
        "/admin/snippets/stats/statistic/add/",
        {
            "figure": "",
            "claim": "",
            "source": source.pk,
            "as_of": "2024-06-01",
            "review_by": "2024-01-01",
            "topics": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in html
    assert "The review-by date must be on or after" in html
    assert Statistic.objects.count() == count

    response = client.post(
        "/admin/snippets/stats/source/add/",
        {"publisher": "X", "title": "Y", "year": "2024", "url": "ftp://example.org/x"},
    )
    assert "Enter a web address starting with http:// or https://." in response.content.decode()
    assert not Source.objects.filter(publisher="X").exists()


def test_statistic_form_refuses_an_over_long_claim_and_figure(stats_pack, editor, client_as):
    source = Source.objects.first()
    count = Statistic.objects.count()
    response = client_as(editor).post(
        "/admin/snippets/stats/statistic/add/",
        {
            "figure": "9" * 41,
            "claim": "x" * 401,
            "source": source.pk,
            "as_of": "2024-01-01",
            "review_by": "2025-01-01",
            "topics": "",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ensure this value has at most 400 characters (it has 401)." in html
    assert "Ensure this value has at most 40 characters (it has 41)." in html
    assert 'maxlength="400"' in html
    assert Statistic.objects.count() == count


def test_statistics_list_shows_review_date_and_status_sorts_and_filters_by_it(editor, client_as):
    today = date.today()
    StatisticFactory(figure="11%", review_by=today - timedelta(days=2))
    StatisticFactory(figure="22%", review_by=today + timedelta(days=10))
    StatisticFactory(figure="33%", review_by=today + timedelta(days=200))
    client = client_as(editor)
    listing = client.get("/admin/snippets/stats/statistic/")
    html = " ".join(listing.content.decode().split())
    assert "Just now" not in html
    for days, label in ((-2, "Overdue"), (10, "Due within 30 days"), (200, "Current")):
        day = today + timedelta(days=days)
        cell = f'<time datetime="{day:%Y-%m-%d}">{day.day} {day:%b %Y}</time> <span class="w-status'
        assert cell in html
        assert html.split(cell, 1)[1].split("</span>", 1)[0].endswith(f"> {label} ")

    def figures(query):
        body = client.get("/admin/snippets/stats/statistic/" + query).content.decode()
        return [f for f in ("11%", "22%", "33%") if f in body]

    assert figures("?review_status=overdue") == ["11%"]
    assert figures("?review_status=due_soon") == ["22%"]
    assert figures("?review_status=current") == ["33%"]
    body = client.get("/admin/snippets/stats/statistic/?ordering=-review_by").content.decode()
    assert body.index("33%") < body.index("22%") < body.index("11%")

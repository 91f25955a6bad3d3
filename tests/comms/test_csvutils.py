from decimal import Decimal

from wagtail.log_actions import log

import pytest

from comms.csvutils import csv_escape, csv_render, csv_unescape
from tests.csvfiles import quoted_csv_rows
from tests.factories import StatisticFactory, UserFactory


def test_cells_a_spreadsheet_would_run_are_escaped_and_unescaped():
    for cell in ["=SUM(A1)", "+1", "-5", "@cmd", "\tx", "\rx", "＝1+1", "＋1", "－1", "＠cmd"]:
        escaped = csv_escape(cell)
        assert escaped == "'" + cell
        assert csv_unescape(escaped) == cell
    assert csv_escape("plain") == "plain"
    assert csv_escape(None) == ""
    assert csv_unescape("'quoted") == "'quoted"


def test_numbers_written_as_numbers_stay_numbers():
    # A negative figure is a number a spreadsheet should add up, not text; the same
    # characters typed as text (a name, a note) are neutralised.
    assert csv_escape(-5) == "-5"
    assert csv_escape(Decimal("-12.50")) == "-12.50"
    assert csv_escape(Decimal("1E+3")) == "1000"
    assert csv_escape(-0.5) == "-0.5"
    assert csv_escape("-5") == "'-5"
    assert csv_escape(True) == "True"
    assert csv_escape(float("-inf")) == "'-inf"


def test_render_quotes_and_escapes_every_cell():
    text = csv_render(["a", "b", "c"], [["=1+1", "x;y", -3]])
    assert text == '"a","b","c"\r\n"\'=1+1","x;y","-3"\r\n'
    assert quoted_csv_rows(text.encode()) == [["a", "b", "c"], ["'=1+1", "x;y", "-3"]]


@pytest.mark.django_db
def test_wagtail_report_exports_quote_every_cell_and_neutralise_formulas(client_as):
    # Wagtail's own exports (site history here; every report and listing export shares the
    # writer) go through the same cell rule as ours.
    admin = UserFactory(username="csv-admin", is_superuser=True)
    statistic = StatisticFactory(figure='=HYPERLINK("http://evil")', claim="Paris; Berlin")
    log(instance=statistic, action="wagtail.edit", user=admin)
    response = client_as(admin).get("/admin/reports/site-history/?export=csv")
    assert response.status_code == 200
    rows = quoted_csv_rows(b"".join(response.streaming_content))
    assert rows[0][:2] == ["ID", "Name"]
    assert rows[1][1] == '\'=HYPERLINK("http://evil"): Paris; Berlin'

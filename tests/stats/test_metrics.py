"""Recording 'Trusted Research in numbers': CSV import (all or nothing) and export."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from stats.models import MetricValue
from stats.services import (
    MetricImportError,
    metric_values_export_csv,
    metric_values_import_csv,
)

pytestmark = pytest.mark.django_db

GOOD = (
    "period,metric,value,note\n"
    "2024-01,end-user-checks,12,\n"
    "2024-02,end-user-checks,15,busy month\n"
    '2024-Q1,training-events,3,=HYPERLINK("http://evil")\n'
)


def test_import_then_export_round_trips(stats_pack, editor):
    counts = metric_values_import_csv(data=GOOD.encode(), user=editor)
    assert counts == {"created": 3, "updated": 0}
    value = MetricValue.objects.get(metric__slug="training-events")
    assert value.period == date(2024, 1, 1) and value.period_kind == "quarter"
    assert value.entered_by == editor

    exported = metric_values_export_csv()
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0] == ["period", "metric", "value", "note"]
    assert ["2024-02", "end-user-checks", "15", "busy month"] in rows
    # The formula-looking note is escaped so a spreadsheet shows it as text.
    assert ["2024-Q1", "training-events", "3", '\'=HYPERLINK("http://evil")'] in rows

    MetricValue.objects.all().delete()
    assert metric_values_import_csv(data=exported.encode(), user=editor)["created"] == 3
    assert MetricValue.objects.get(metric__slug="training-events").note.startswith("=HYPER")


def test_reimport_updates_values(stats_pack, editor):
    metric_values_import_csv(data=GOOD.encode(), user=editor)
    counts = metric_values_import_csv(
        data=b"period,metric,value,note\n2024-01,end-user-checks,1,234\n", user=editor
    )
    assert counts == {"created": 0, "updated": 1}
    assert MetricValue.objects.get(
        period=date(2024, 1, 1), metric__slug="end-user-checks"
    ).value == Decimal(1)


def test_every_bad_row_is_reported_by_line_and_nothing_is_imported(stats_pack, editor):
    data = (
        b"period,metric,value,note\n"
        b"2024-01,end-user-checks,12,ok\n"
        b"2024-02,not-a-metric,5,\n"
        b"2024-03,end-user-checks,lots,\n"
        b"March 2024,end-user-checks,4,\n"
        b"2024-01,end-user-checks,13,again\n"
    )
    with pytest.raises(MetricImportError) as caught:
        metric_values_import_csv(data=data, user=editor)
    errors = caught.value.errors
    assert len(errors) == 4
    assert errors[0].startswith("Line 3: unknown metric “not-a-metric”")
    assert errors[1].startswith("Line 4: value “lots” is not a number")
    assert errors[2].startswith("Line 5: “March 2024” is not a period")
    assert errors[3] == "Line 6: end-user-checks for 2024-01 is already on line 2."
    assert MetricValue.objects.count() == 0


def test_wrong_headers_and_non_utf8_are_refused(stats_pack, editor):
    with pytest.raises(MetricImportError) as caught:
        metric_values_import_csv(data=b"month,metric,figure\n2024-01,x,1\n", user=editor)
    assert caught.value.errors[0].startswith("Line 1: the header must be")
    with pytest.raises(MetricImportError) as caught:
        metric_values_import_csv(
            data="period,metric,value,note\n2024-01,end-user-checks,1,café\n".encode("latin-1"),
            user=editor,
        )
    assert "Line 2: the file is not UTF-8" in caught.value.errors[0]
    assert MetricValue.objects.count() == 0

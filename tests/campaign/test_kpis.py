import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

import pytest

from campaign import pack
from campaign.models import Kpi
from tests.factories import MetricFactory, MetricValueFactory

pytestmark = pytest.mark.django_db


def test_kpi_target_on_a_metric_without_unit_is_a_field_error():
    metric = MetricFactory(unit="")
    kpi = Kpi(title="Due diligence checks", metric=metric, baseline_period="2024-01", target=40)
    with pytest.raises(ValidationError) as error:
        kpi.full_clean()
    assert "has no unit" in error.value.message_dict["target"][0]


def test_kpi_baseline_period_must_be_a_period():
    kpi = Kpi(title="Checks", metric=MetricFactory(), baseline_period="spring")
    with pytest.raises(ValidationError) as error:
        kpi.full_clean()
    assert "is not a period" in error.value.message_dict["baseline_period"][0]


def test_kpi_baseline_period_is_normalised():
    kpi = Kpi(title="Checks", metric=MetricFactory(), baseline_period="2024q1")
    kpi.full_clean()
    assert kpi.baseline_period == "2024-Q1"


def test_evaluate_page_shows_before_and_after_from_metric_values(client_as, staff_user):
    pack.load()
    metric = MetricFactory(name="Due diligence checks completed", unit="checks")
    for month, value in ((1, 12), (2, 15), (6, 31)):
        MetricValueFactory(metric=metric, period=datetime.date(2024, month, 1), value=value)
    kpi = Kpi.objects.get(pack_key="kpi-2")
    kpi.metric = metric
    kpi.baseline_period = "2024-02"
    kpi.target = Decimal("30")
    kpi.full_clean()
    kpi.save()

    html = client_as(staff_user).get("/campaign/evaluate/").content.decode()
    assert "Due diligence checks completed (checks)" in html
    assert "February 2024" in html and "June 2024" in html
    assert "+16" in html  # 31 after, 15 before
    assert "reached" in html
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in html and 'role="img"' in html
    # The other KPIs have no metric: readers see them listed, not as empty rows of the table.
    assert "Not measured yet" not in html
    table = html.split('class="table table-sm campaign-kpis"', 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="row"') == 1
    assert (
        "Source: “Campaign implementation plan”" in html and "Crown" not in html.split("</main>")[0]
    )

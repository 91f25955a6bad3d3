"""The portal measures staff engagement itself: each month's "Staff engagement with research
security comms" figure is the month's reader-days on the portal plus the people who clicked a
link in that month's sends, recorded when a send finishes and by the beat, never over a figure
an editor entered; "Trusted Research in numbers" and the campaign KPIs show it."""

import datetime
import re
from decimal import Decimal

from django.test import Client
from django.utils import timezone

import pytest

from campaign.models import Kpi
from comms import roles
from comms.services.engagement_reads import reads_fold
from newsletter.services.engagement import engagement_metric_record, engagement_metric_refresh
from stats.models import Metric, MetricValue
from stats.services import stats_pack_load
from tests.factories import UserFactory, blog_post
from tests.newsletter.test_clicks import NPSA, lead, link_to, path_of, sent  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def metric(db):
    stats_pack_load(reset=False)
    return Metric.objects.get(slug="comms-engagement")


def month_value(metric) -> MetricValue:
    return MetricValue.objects.get(metric=metric, period=timezone.localdate().replace(day=1))


def read(page_url: str, readers: int) -> None:
    for _ in range(readers):
        client = Client()
        client.force_login(UserFactory(role=roles.STAFF))
        assert client.get(page_url).status_code == 200


def test_a_finished_send_records_the_month_with_its_deliveries_in_the_note(metric, sent):  # noqa: F811
    value = month_value(metric)
    assert value.value == Decimal(0)  # nobody has read or clicked yet
    assert value.entered_by is None
    assert value.note.startswith("Recorded by the portal: 0 reader-days")
    assert "in 1 newsletter send. 3 messages delivered, 0 failed, 0 unsubscribed." in value.note


def test_the_figure_is_reader_days_plus_people_who_clicked(metric, sent):  # noqa: F811
    send, received = sent
    read(send.issue.url, readers=2)
    read(blog_post("Protecting our research").url, readers=1)
    for who in ("ann", "ann", "bob"):
        Client().get(path_of(link_to(received[f"{who}@example.ac.uk"], NPSA)))
    reads_fold()

    [value] = engagement_metric_refresh()

    assert value.value == Decimal(2 + 1 + 2)  # three reader-days, two people who clicked
    assert value.note.startswith("Recorded by the portal: 3 reader-days on the portal + 2 people")
    assert month_value(metric).value == Decimal(5)


def test_a_figure_entered_by_an_editor_is_never_replaced(metric, sent):  # noqa: F811
    editor = UserFactory(role=roles.EDITORS)
    MetricValue.objects.filter(metric=metric).update(value=42, entered_by=editor, note="Views")
    read(sent[0].issue.url, readers=1)
    reads_fold()

    assert engagement_metric_refresh() == []
    kept = month_value(metric)
    assert (kept.value, kept.note) == (Decimal(42), "Views")


def test_a_month_with_nothing_counted_gets_no_row(metric):
    assert engagement_metric_record(day=timezone.localdate()) is None
    assert not MetricValue.objects.filter(metric=metric).exists()


def test_the_first_days_of_a_month_also_finish_last_month(metric, sent):  # noqa: F811
    today = timezone.localdate()
    first = today.replace(day=1)
    last_month = (first - datetime.timedelta(days=1)).replace(day=1)
    MetricValue.objects.create(metric=metric, period=last_month, value=7, note="old count")
    written = engagement_metric_refresh(today=first)
    assert sorted(value.period for value in written) == [last_month, first]
    assert MetricValue.objects.get(metric=metric, period=last_month).value == Decimal(0)
    written = engagement_metric_refresh(today=first + datetime.timedelta(days=5))
    assert [value.period for value in written] == [first]


def test_trusted_research_in_numbers_and_the_campaign_kpi_show_it(metric, sent, staff_user):  # noqa: F811
    send, received = sent
    read(send.issue.url, readers=3)
    Client().get(path_of(link_to(received["cat@example.ac.uk"], NPSA)))
    reads_fold()
    engagement_metric_refresh()
    first = timezone.localdate().replace(day=1)
    baseline = (first - datetime.timedelta(days=1)).replace(day=1)
    MetricValue.objects.create(metric=metric, period=baseline, value=1, note="before the campaign")
    Kpi.objects.create(
        title="More staff engage with our comms",
        metric=metric,
        baseline_period=f"{baseline:%Y-%m}",
    )

    [result] = [r for r in Kpi.objects.results() if r.kpi.metric_id == metric.pk]
    assert (result.before.value, result.after.value, result.change) == (1, 4, 3)

    client = Client()
    client.force_login(staff_user)
    page = client.get("/statistics/numbers/").text
    section = re.search(r"Staff engagement with research security comms.*?</table>", page, re.S)
    assert section, "the metric is on the page"
    assert "Recorded by the portal: 3 reader-days" in section.group(0)
    assert re.search(r">\s*4\s*<", section.group(0))


def test_the_refresh_is_in_the_one_beat_schedule():
    from trustedresearch.celery import app

    entries = [
        entry
        for entry in app.conf.beat_schedule.values()
        if entry["task"] == "newsletter.tasks.engagement_metric_refresh"
    ]
    assert len(entries) == 1 and entries[0]["schedule"] <= 3600

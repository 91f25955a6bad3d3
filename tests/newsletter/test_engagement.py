"""Delivery figures feed the "staff engagement with research security comms" metric."""

from decimal import Decimal

from django.utils import timezone

import pytest

from comms import roles
from newsletter.services.engagement import engagement_metric_record
from newsletter.services.sends import send_schedule
from stats.models import Metric, MetricValue
from stats.services import stats_pack_load
from tests.factories import MailingListFactory, UserFactory, newsletter_issue, subscribe_many
from tests.newsletter.test_engine import run_until_finished

pytestmark = pytest.mark.django_db


def test_a_finished_send_records_the_months_deliveries(smtp, django_capture_on_commit_callbacks):
    stats_pack_load(reset=False)
    lead = UserFactory(role=roles.COMMS_LEADS)
    staff = MailingListFactory(name="All staff")
    subscribe_many(staff, ["a@example.ac.uk", "b@example.ac.uk", "c@example.ac.uk"])
    send = send_schedule(issue=newsletter_issue(), lists=[staff], at=None, user=lead)

    run_until_finished(send, django_capture_on_commit_callbacks)

    value = MetricValue.objects.get(metric__slug="comms-engagement")
    today = timezone.localdate()
    assert value.period == today.replace(day=1)
    assert value.value == Decimal(3)
    assert "Newsletter messages delivered" in value.note
    assert value.entered_by is None


def test_a_figure_entered_by_an_editor_is_never_replaced():
    stats_pack_load(reset=False)
    editor = UserFactory(role=roles.EDITORS)
    metric = Metric.objects.get(slug="comms-engagement")
    today = timezone.localdate()
    MetricValue.objects.create(
        metric=metric, period=today.replace(day=1), value=42, entered_by=editor, note="Page views"
    )

    assert engagement_metric_record(day=today) is None
    kept = MetricValue.objects.get(metric=metric)
    assert (kept.value, kept.note) == (Decimal(42), "Page views")

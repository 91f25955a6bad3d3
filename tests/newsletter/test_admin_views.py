"""The admin schedule form: a confirmation step restating what will happen before anything is
scheduled, and the send-again rule (refusal naming the earlier send, "send again anyway" with a
reason). Real database, a comms lead signed in."""

import re
from datetime import UTC, datetime

from django.utils import timezone

from wagtail.models import PageLogEntry

import pytest

from newsletter.models import Membership, Send, Subscriber
from newsletter.services.sends import send_schedule
from tests.factories import MailingListFactory, newsletter_issue, subscribe_many

pytestmark = pytest.mark.django_db

REASON = "The first send went out with last month's date in the introduction."


@pytest.fixture
def two_lists():
    """Staff: a, b, c; researchers: c, d, e, f. e unsubscribed from researchers; f has
    unsubscribed from everything. Unique people who would get it: a, b, c, d = 4."""
    staff = MailingListFactory(name="All staff")
    researchers = MailingListFactory(name="Researchers")
    subscribe_many(staff, ["a@example.ac.uk", "b@example.ac.uk", "c@example.ac.uk"])
    subscribe_many(
        researchers, ["c@example.ac.uk", "d@example.ac.uk", "e@example.ac.uk", "f@example.ac.uk"]
    )
    Membership.objects.filter(subscriber__email="e@example.ac.uk").update(
        unsubscribed_at=timezone.now()
    )
    Subscriber.objects.filter(email="f@example.ac.uk").update(status=Subscriber.Status.UNSUBSCRIBED)
    return staff, researchers


def _url(issue):
    return f"/admin/newsletter/schedule/{issue.pk}/"


def test_send_at_hint_is_a_format_hint_not_a_value(client_as, comms_lead, two_lists):
    html = client_as(comms_lead).get(_url(newsletter_issue())).content.decode()
    assert "Leave empty to send now. Format: YYYY-MM-DD HH:MM, UK time" in html
    field = re.search(r'<input[^>]*name="at"[^>]*>', html).group(0)
    assert "placeholder" not in field


def test_confirmation_question_wording():
    from newsletter.scheduling import confirmation_question

    assert confirmation_question(at=None, count=1240) == "Send now to 1,240 people?"
    assert confirmation_question(at=datetime(2099, 3, 2, 9, 30, tzinfo=UTC), count=1) == (
        "Send on Monday 2 March 2099 at 09:30 (UK time) to 1 person?"
    )
    assert confirmation_question(at=datetime(2099, 7, 6, 8, 0, tzinfo=UTC), count=2) == (
        "Send on Monday 6 July 2099 at 09:00 (UK time) to 2 people?"
    )


def test_review_schedules_nothing_and_restates_the_send(client_as, comms_lead, two_lists):
    staff, researchers = two_lists
    issue = newsletter_issue(title="Trusted Research newsletter – March")
    response = client_as(comms_lead).post(
        _url(issue), {"lists": [staff.pk, researchers.pk], "at": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not Send.objects.exists()
    assert "Send now to 4 people?" in html
    assert "Trusted Research newsletter – March" in html
    assert "All staff" in html and "Researchers" in html
    assert re.search(r'<button[^>]*name="confirm"[^>]*value="schedule"[^>]*>\s*Confirm', html)
    assert re.search(r'<button[^>]*name="confirm"[^>]*value="edit"[^>]*>\s*Back', html)
    for pk in (staff.pk, researchers.pk):
        assert re.search(rf'<input type="hidden" name="lists" value="{pk}"', html)

    later = client_as(comms_lead).post(_url(issue), {"lists": [staff.pk], "at": "2099-03-02 09:30"})
    assert "Send on Monday 2 March 2099 at 09:30 (UK time) to 3 people?" in later.content.decode()
    assert not Send.objects.exists()


def test_back_returns_to_the_form_with_the_choices(client_as, comms_lead, two_lists):
    staff, _ = two_lists
    issue = newsletter_issue()
    response = client_as(comms_lead).post(
        _url(issue), {"lists": [staff.pk], "at": "2099-03-02 09:30", "confirm": "edit"}
    )
    html = response.content.decode()
    assert not Send.objects.exists()
    assert 'value="2099-03-02 09:30"' in html
    assert re.search(rf'<input type="checkbox" name="lists" value="{staff.pk}"[^>]*checked', html)
    assert "people?" not in html


def test_confirm_schedules_after_checking_again(client_as, comms_lead, two_lists):
    staff, researchers = two_lists
    issue = newsletter_issue()
    response = client_as(comms_lead).post(
        _url(issue),
        {"lists": [staff.pk, researchers.pk], "at": "2099-03-02 09:30", "confirm": "schedule"},
    )
    send = Send.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/sends/{send.pk}/")
    assert send.scheduled_at == datetime(2099, 3, 2, 9, 30, tzinfo=UTC)
    assert set(send.lists.all()) == {staff, researchers}


def test_already_sent_is_refused_and_offers_send_again(client_as, comms_lead, two_lists):
    staff, researchers = two_lists
    issue = newsletter_issue()
    first = send_schedule(issue=issue, lists=[staff], at=None, user=comms_lead)
    client = client_as(comms_lead)
    page = client.get(_url(issue)).content.decode()
    assert "Send again anyway" not in page  # shown only when relevant

    refused = client.post(_url(issue), {"lists": [staff.pk, researchers.pk], "at": ""})
    html = refused.content.decode()
    assert f"send {first.pk} to All staff" in html
    assert "people?" not in html  # no confirmation step
    assert re.search(r'<input type="checkbox" name="again"', html)
    assert "Reason for sending again" in html
    # A direct confirm is checked again, too.
    client.post(_url(issue), {"lists": [staff.pk], "at": "", "confirm": "schedule"})
    assert Send.objects.count() == 1

    short = client.post(_url(issue), {"lists": [staff.pk], "at": "", "again": "on", "reason": "x"})
    assert "Give the reason for sending again" in short.content.decode()
    assert Send.objects.count() == 1

    review = client.post(
        _url(issue), {"lists": [staff.pk], "at": "", "again": "on", "reason": REASON}
    ).content.decode()
    assert "Send now to 3 people?" in review
    assert "again" in review and REASON.replace("'", "&#x27;") in review
    assert Send.objects.count() == 1

    done = client.post(
        _url(issue),
        {"lists": [staff.pk], "at": "", "again": "on", "reason": REASON, "confirm": "schedule"},
    )
    second = Send.objects.exclude(pk=first.pk).get()
    assert done.url.endswith(f"/sends/{second.pk}/")
    entry = PageLogEntry.objects.get(action="newsletter.send.schedule", data__send=second.pk)
    assert entry.user == comms_lead and entry.data["resend_reason"] == REASON

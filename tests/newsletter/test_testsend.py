""" "Send me a test": only to the sender's own address or an allowed domain, at most
NEWSLETTER_TEST_SEND_LIMIT an hour, each one in the issue's history. Through the admin view, as
a comms lead uses it, with a real SMTP server."""

import datetime
from email.header import decode_header, make_header

from django.utils import timezone

from wagtail.models import PageLogEntry

import pytest

from tests.factories import MailingListFactory, newsletter_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return newsletter_issue("Draft issue", body=[("heading", "Spotlight")])


def url(issue) -> str:
    return f"/admin/newsletter/test/{issue.pk}/"


def test_the_form_defaults_to_your_address_and_explains_the_rule(issue, client_as, comms_lead):
    page = client_as(comms_lead).get(url(issue)).content.decode()
    assert f'value="{comms_lead.email}"' in page
    assert "Tests go only to your own address" in page
    assert "10 tests an hour" in page


def test_an_outside_address_is_refused_and_nothing_is_sent(issue, client_as, comms_lead, smtp):
    response = client_as(comms_lead).post(url(issue), {"email": "friend@gmail.com"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tests go only to your own address (commslead1@example.ac.uk)." in page
    assert "Use your own address." in page
    assert smtp.recipients() == []
    assert not PageLogEntry.objects.filter(action="newsletter.test.send").exists()


def test_an_address_in_an_allowed_domain_is_accepted(issue, client_as, comms_lead, smtp, settings):
    settings.NEWSLETTER_TEST_SEND_DOMAINS = ["partner.ac.uk"]
    client = client_as(comms_lead)
    refused = client.post(url(issue), {"email": "x@evil-partner.ac.uk"}).content.decode()
    assert "or to an address at partner.ac.uk" in refused
    response = client.post(url(issue), {"email": "Colleague@Partner.ac.uk"})
    assert response.status_code == 302
    assert smtp.recipients() == ["colleague@partner.ac.uk"]


def test_a_test_to_your_own_address_is_sent_and_in_the_issue_history(
    issue, client_as, comms_lead, smtp
):
    client = client_as(comms_lead)
    response = client.post(url(issue), {"email": comms_lead.email.upper()})
    assert response.status_code == 302
    assert smtp.recipients() == [comms_lead.email]
    entry = PageLogEntry.objects.get(action="newsletter.test.send")
    assert (entry.page_id, entry.user_id) == (issue.pk, comms_lead.pk)
    assert entry.data["to"] == comms_lead.email.upper()
    history = client.get(f"/admin/pages/{issue.pk}/history/").content.decode()
    assert f"Sent a test to {comms_lead.email.upper()}" in history


def test_over_the_hourly_limit_is_refused_saying_when_to_try_again(
    issue, client_as, comms_lead, smtp, settings
):
    settings.NEWSLETTER_TEST_SEND_LIMIT = 2
    client = client_as(comms_lead)
    for _ in range(2):
        assert client.post(url(issue), {"email": comms_lead.email}).status_code == 302
    first = PageLogEntry.objects.filter(action="newsletter.test.send").earliest("timestamp")
    again = timezone.localtime(first.timestamp + datetime.timedelta(hours=1))
    response = client.post(url(issue), {"email": comms_lead.email})
    assert response.status_code == 200
    page = response.content.decode()
    assert "You have sent 2 tests in the last hour (the limit is 2)." in page
    assert f"Try again after {again:%H:%M}." in page
    assert len(smtp.recipients()) == 2
    # An hour later the oldest test no longer counts.
    first.timestamp -= datetime.timedelta(hours=1)
    first.save(update_fields=["timestamp"])
    assert client.post(url(issue), {"email": comms_lead.email}).status_code == 302
    assert len(smtp.recipients()) == 3


def test_the_limit_counts_tests_of_every_issue(issue, client_as, comms_lead, smtp, settings):
    settings.NEWSLETTER_TEST_SEND_LIMIT = 1
    other = newsletter_issue("Another draft", body=[("heading", "Other")])
    client = client_as(comms_lead)
    assert client.post(url(issue), {"email": comms_lead.email}).status_code == 302
    response = client.post(url(other), {"email": comms_lead.email})
    assert "the limit is 1" in response.content.decode()
    assert smtp.recipients() == [comms_lead.email]


def test_the_test_email_has_the_lists_from_name_like_a_real_send(
    issue, client_as, comms_lead, smtp
):
    from email import message_from_bytes
    from email.utils import parseaddr

    MailingListFactory(name="Researchers", from_name="Research Office – Trusted Research")
    MailingListFactory(name="Staff", from_name="Someone else")
    client_as(comms_lead).post(url(issue), {"email": comms_lead.email})
    ((_, raw),) = smtp.messages
    sender = str(make_header(decode_header(message_from_bytes(raw)["From"])))
    assert parseaddr(sender)[0] == "Research Office – Trusted Research"

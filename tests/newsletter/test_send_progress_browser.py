"""The send page's progress bar in a real browser: it follows the send while it runs
(static/newsletter/send_progress.js polls progress.json) and shows the report at the end."""

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from comms import roles
from newsletter.models import Delivery, Send
from newsletter.services.sends import send_schedule
from tests.factories import MailingListFactory, UserFactory, newsletter_issue, subscribe_many

pytestmark = pytest.mark.browser


def test_progress_bar_follows_a_running_send_to_the_end(page_as):
    mailing_list = MailingListFactory(name="All staff")
    subscribers = subscribe_many(mailing_list, ["a@example.ac.uk", "b@example.ac.uk"])
    lead = UserFactory(username="progress-lead", role=roles.COMMS_LEADS)
    send = send_schedule(issue=newsletter_issue(), lists=[mailing_list], at=None, user=lead)
    Send.objects.filter(pk=send.pk).update(state=Send.State.RUNNING, started_at=timezone.now())
    first, second = (
        Delivery.objects.create(send=send, subscriber=s, mailing_list=mailing_list, email=s.email)
        for s in subscribers
    )
    page = page_as(lead)
    page.goto(f"/admin/newsletter/sends/{send.pk}/")
    bar = page.locator("#send-progress")
    expect(bar).to_have_attribute("value", "0")
    # The script is a static file: the page has no inline script of ours.
    assert page.locator("script[src$='newsletter/send_progress.js']").count() == 1

    # The worker sends one message: the bar and the report follow without a reload.
    Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENT)
    expect(bar).to_have_js_property("value", 50, timeout=8_000)
    expect(page.locator("[data-count=sent]")).to_have_text("1")

    # The send ends: the page reloads and shows the final state and report.
    Delivery.objects.filter(pk=second.pk).update(status=Delivery.Status.SENT)
    Send.objects.filter(pk=send.pk).update(state=Send.State.FINISHED, finished_at=timezone.now())
    expect(page.locator("#send-state")).to_have_text("Finished", timeout=8_000)
    expect(bar).to_have_attribute("value", "100")
    expect(page.locator("tr", has_text="a@example.ac.uk")).to_contain_text("Sent")

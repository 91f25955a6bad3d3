"""In a real browser: unsubscribing from an email link, and scheduling from the admin."""

import pytest

from comms import roles
from newsletter.models import Membership, Send
from newsletter.rendering import render_issue
from newsletter.tokens import unsubscribe_token
from tests.factories import MailingListFactory, newsletter_issue, subscribe_many
from tests.newsletter.previews import shot

pytestmark = pytest.mark.browser


def test_unsubscribe_in_the_browser(page, transactional_db):
    mailing_list = MailingListFactory(name="All staff")
    (subscriber,) = subscribe_many(mailing_list, ["ada@example.ac.uk"])
    token = unsubscribe_token(subscriber_id=subscriber.pk, list_id=mailing_list.pk)

    page.goto(f"/unsubscribe/{token}/")
    assert page.locator("h1").inner_text() == "Unsubscribe from All staff?"
    shot(page, "unsubscribe-confirm")
    page.get_by_role("button", name="Unsubscribe").click()
    assert page.locator("h1").inner_text() == "You are unsubscribed"
    shot(page, "unsubscribe-done")
    assert Membership.objects.get().unsubscribed_at is not None

    page.goto("/unsubscribe/not-a-token/")
    assert "could not recognise" in page.locator("h1").inner_text()
    shot(page, "unsubscribe-invalid")


def test_comms_lead_schedules_a_send(page_as):
    mailing_list = MailingListFactory(name="All staff")
    subscribe_many(mailing_list, ["a@example.ac.uk", "b@example.ac.uk"])
    issue = newsletter_issue()
    page = page_as(roles.COMMS_LEADS)

    page.goto(f"/admin/newsletter/schedule/{issue.pk}/")
    page.get_by_label("All staff").check()
    page.get_by_label("Send at (UK time)").fill("2099-07-01 09:00")
    page.get_by_role("button", name="Review send").click()
    assert (
        page.locator("#confirm-question").inner_text()
        == "Send on Wednesday 1 July 2099 at 09:00 (UK time) to 2 people?"
    )
    assert not Send.objects.exists()
    shot(page, "admin-schedule")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/admin/newsletter/sends/*/")
    assert "2099-07-01 09:00 BST" in page.locator("main").inner_text()
    shot(page, "admin-send-detail")
    assert Send.objects.get().state == "scheduled"

    # The email the recipients get, as a mail client would show its HTML part.
    html, _ = render_issue(issue).personalise(unsubscribe_url="https://portal.example/u/t/")
    page.set_content(html)
    assert page.locator("h1").inner_text() == issue.title
    assert page.get_by_role("link", name="Unsubscribe").get_attribute("href").endswith("/u/t/")
    shot(page, "email-html")


def test_dashboard_panel_text_keeps_wagtails_panel_padding(page_as):
    page = page_as(roles.COMMS_LEADS)
    page.goto("/admin/")
    panel = page.locator("#newsletter-section")
    border = panel.bounding_box()
    for text in ("No send yet.", "No draft issue."):
        box = panel.get_by_text(text).bounding_box()
        assert box["x"] - border["x"] >= 16, (text, box, border)
        assert border["x"] + border["width"] - (box["x"] + box["width"]) >= 16

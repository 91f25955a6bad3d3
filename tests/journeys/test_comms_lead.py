"""A comms lead assembles an issue from the pack outline, previews it three ways, sends a test to
themselves, then schedules an approved issue to a mailing list, watches the send's progress
reach 100% and reads its report. Real SMTP server, Celery worker and beat."""

import email
import email.policy
import re

import pytest
from playwright.sync_api import expect

from comms import roles
from newsletter.models import Delivery, NewsletterIssuePage, Send
from tests.factories import MailingListFactory, UserFactory, subscribe_many
from tests.journeys.content import issue_passing_checks
from tests.journeys.shots import docs_screenshot
from tests.journeys.test_editor import open_admin_menu
from tests.newsletter.previews import previews_walk

pytestmark = [pytest.mark.browser, pytest.mark.integration]

DRAFT_TITLE = "Trusted Research newsletter – May"
APPROVED_TITLE = "Trusted Research newsletter – April"
AUDIENCE = [f"researcher{n:02d}@example.ac.uk" for n in range(30)]


def message(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)


def header_action(page, name: str) -> None:
    """Follow one of the page header's actions (the "…" menu beside the page title)."""
    actions = page.get_by_role("navigation", name="Actions", exact=True)
    actions.get_by_role("button", name="Actions").click()
    actions.get_by_role("link", name=name).click()


def test_comms_lead_assembles_previews_tests_and_sends(portal, engine, page_as):
    smtp = engine
    approved = issue_passing_checks(APPROVED_TITLE, publish=True)
    staff_list = MailingListFactory(name="All research staff")
    subscribe_many(staff_list, AUDIENCE)
    lead = UserFactory(
        username="pshah",
        first_name="Priya",
        last_name="Shah",
        email="priya.shah@example.ac.uk",
        role=roles.COMMS_LEADS,
    )
    page = page_as(lead)
    page.goto("/admin/")

    # 1. Assemble a draft from the pack's outline.
    open_admin_menu(page, "Newsletter", "New issue from the pack outline")
    page.get_by_role("textbox", name="Title").fill(DRAFT_TITLE)
    page.get_by_role("button", name="Assemble draft").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    expect(page.locator(".messages")).to_contain_text("assembled from the pack outline")
    draft = NewsletterIssuePage.objects.get(title=DRAFT_TITLE)
    assert not draft.live

    # The checks tab names what is left to write before the issue can be approved.
    page.get_by_role("tab", name="Checks").click()
    checks = page.get_by_role("tabpanel", name="Checks")
    expect(checks).to_contain_text("senior Trusted Research owner")
    docs_screenshot(page, "commslead-issue-checks")

    # 2. The three previews.
    def email_preview_screenshot(mode):
        if mode == "email":
            docs_screenshot(page, "commslead-preview-email")

    previews_walk(page, on_mode=email_preview_screenshot)

    # 3. A test to themselves.
    header_action(page, "Send me a test")
    page.get_by_label("Send the test to").fill(lead.email)
    page.get_by_role("button", name="Send test").click()
    expect(page.locator(".messages")).to_contain_text(f"Test sent to {lead.email}")
    assert smtp.recipients() == [lead.email]
    test_copy = message(smtp.messages[0][1])
    assert test_copy["Subject"] == f"[TEST] {DRAFT_TITLE}"
    assert "Highlights" in test_copy.get_body(preferencelist=("plain",)).get_content()

    # 4. The approved issue: Pages › Newsletters › the issue › Schedule send.
    page.goto(f"/admin/pages/{approved.get_parent().pk}/")
    page.get_by_role("link", name=APPROVED_TITLE, exact=True).first.click()
    header_action(page, "Schedule send")
    expect(page.locator("#presend-ok")).to_contain_text("All checks passed")
    page.get_by_label("All research staff").check()
    page.get_by_role("button", name="Review send").click()
    # The confirmation step restates the send; nothing is scheduled before Confirm.
    expect(page.locator("#confirm-question")).to_have_text(f"Send now to {len(AUDIENCE)} people?")
    expect(page.locator("#confirm-summary")).to_contain_text("All research staff")
    assert not Send.objects.filter(issue=approved).exists()
    docs_screenshot(page, "commslead-schedule-send")
    smtp.delay = 0.05  # a send that takes a moment, as real ones do
    page.get_by_role("button", name="Confirm").click()
    expect(page).to_have_url(re.compile(r"/admin/newsletter/sends/\d+/"))

    # 5. The progress bar fills as the worker sends, then the report.
    progress = page.get_by_role("progressbar", name="Progress")
    expect(progress).to_have_attribute("value", "100", timeout=120_000)
    expect(page.locator("#send-state")).to_have_text("Finished", timeout=60_000)
    report = page.locator("#send-report")
    expect(report.locator("[data-count=sent]")).to_have_text(str(len(AUDIENCE)))
    expect(report.locator("[data-count=failed]")).to_have_text("0")
    docs_screenshot(page, "commslead-send-report")
    send = Send.objects.get(issue=approved)
    assert send.created_by == lead
    assert send.deliveries.filter(status=Delivery.Status.SENT).count() == len(AUDIENCE)
    copies = {rcpt: message(raw) for rcpt, raw in smtp.messages if rcpt != lead.email}
    assert sorted(copies) == AUDIENCE  # each address once
    assert {m["Subject"] for m in copies.values()} == {APPROVED_TITLE}
    assert copies[AUDIENCE[0]]["To"].addresses[0].addr_spec == AUDIENCE[0]

    # The report again later: Newsletter › Sends.
    open_admin_menu(page, "Newsletter", "Sends")
    page.get_by_role("link", name=APPROVED_TITLE).first.click()
    expect(page.locator("#send-state")).to_have_text("Finished")
    expect(page.get_by_role("cell", name=AUDIENCE[0])).to_be_visible()

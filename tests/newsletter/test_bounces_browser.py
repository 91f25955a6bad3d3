"""In Chromium: a comms lead reviews a returned message the portal did not understand, reads
it, and marks it reviewed."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from comms import roles
from newsletter.models import InboundMessage
from newsletter.services.bounces import bounce_process
from tests.journeys.shots import docs_screenshot

pytestmark = pytest.mark.browser

RETURNED = Path(__file__).parent / "returned"


def test_a_comms_lead_reviews_a_message_that_was_not_understood(page_as):
    bounce_process((RETURNED / "a_person_writes.eml").read_bytes(), source="imap")
    bounce_process((RETURNED / "out_of_office.eml").read_bytes(), source="imap")

    page = page_as(roles.COMMS_LEADS)
    page.goto("/admin/")
    page.get_by_role("button", name="Newsletter").click()
    page.get_by_role("link", name="Bounces").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Returned messages")
    row = page.locator("tr", has_text="Question about export control")
    expect(row).to_contain_text("To review")
    docs_screenshot(page, "commslead-bounces")

    row.get_by_role("link").first.click()
    page.locator("#id_status").select_option(label="Reviewed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("updated")).to_be_visible()
    assert InboundMessage.objects.get(subject="Question about export control").status == "reviewed"

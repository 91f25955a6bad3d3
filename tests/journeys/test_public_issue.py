"""A comms lead gives an approved issue a public address, opens it signed out (as a recipient
with no intranet account would from the email), then stops sharing it."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from comms import roles
from tests.factories import UserFactory
from tests.journeys.content import issue_passing_checks
from tests.journeys.shots import docs_screenshot
from tests.journeys.test_comms_lead import header_action

pytestmark = pytest.mark.browser

TITLE = "Trusted Research newsletter – April"


def test_comms_lead_shares_an_issue_and_a_recipient_reads_it_signed_out(
    portal, page_as, browser, live_server
):
    issue = issue_passing_checks(TITLE, publish=True)
    lead = UserFactory(username="pshah", email="priya.shah@example.ac.uk", role=roles.COMMS_LEADS)
    page = page_as(lead)
    page.goto(f"/admin/pages/{issue.pk}/edit/")
    header_action(page, "Public address")
    expect(page.get_by_text("Only staff who sign in can read this issue")).to_be_visible()
    page.get_by_role("button", name="Share publicly").click()
    expect(page.locator(".messages")).to_contain_text("now has a public address")
    # The address as the admin shows it, on this test server's host.
    address = urlparse(page.locator('main a[href*="/newsletters/public/"]').inner_text()).path

    outsider = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        reader = outsider.new_page()
        response = reader.goto(address)
        assert response.status == 200
        expect(reader.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(reader.get_by_role("link", name="Statistics")).to_have_count(0)
        expect(reader.get_by_role("button", name="Sign out")).to_have_count(0)
        docs_screenshot(reader, "public-issue")

        page.get_by_role("button", name="Stop sharing").click()
        expect(page.locator(".messages")).to_contain_text("no longer shared")
        assert reader.goto(address).status == 404
    finally:
        outsider.close()

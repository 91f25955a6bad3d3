"""On a 390 px phone every reader page fits the screen, and /campaign/ shows its calendar as an
agenda (the month grid, seven columns wide, stays for wide screens)."""

import datetime

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from comms import roles
from tests.factories import ActivityFactory
from tests.security.content import portal_content, reader_urls, realistic_newsletter_issue

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

OVERFLOW = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


@pytest.fixture
def browser_context_args():
    return {"viewport": PHONE, "is_mobile": True, "has_touch": True}


def test_every_reader_page_fits_a_390px_phone(page_as):
    portal = portal_content()
    issue = realistic_newsletter_issue()
    ActivityFactory(
        title="Trusted Research awareness session for doctoral researchers",
        start_date=timezone.localdate(),
    )
    page = page_as(roles.STAFF)
    too_wide = []
    for url in [*reader_urls(portal), issue.url]:
        assert page.goto(url).status == 200, url
        scroll_width, client_width = page.evaluate(OVERFLOW)
        if scroll_width > client_width:
            too_wide.append(f"{url}: {scroll_width} px wide on a {client_width} px screen")
    assert not too_wide, "Pages wider than the phone:\n" + "\n".join(too_wide)


def test_campaign_calendar_is_an_agenda_on_a_phone_and_a_month_on_a_wide_screen(page_as):
    portal_content()
    today = timezone.localdate()
    first = today.replace(day=1)
    late = first + datetime.timedelta(days=27)
    ActivityFactory(title="Campaign launch", start_date=first, end_date=first)
    ActivityFactory(title="Export control clinic", start_date=late, end_date=late)
    page = page_as(roles.STAFF)
    page.goto("/campaign/")

    agenda = page.get_by_role("list", name=f"Campaign activities in {first:%B %Y}")
    expect(agenda).to_be_visible()
    expect(agenda.get_by_role("listitem").first).to_contain_text("Campaign launch")
    expect(agenda.get_by_role("listitem").last).to_contain_text("Export control clinic")
    expect(agenda).to_contain_text(late.strftime("%A %-d %B"))
    expect(page.locator("table.campaign-month")).to_be_hidden()
    box = agenda.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]

    page.set_viewport_size({"width": 1280, "height": 800})
    expect(page.locator("table.campaign-month")).to_be_visible()
    expect(page.locator("table.campaign-month")).to_contain_text("Export control clinic")
    expect(agenda).to_be_hidden()

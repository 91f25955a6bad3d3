"""A member of staff reads the intranet on a 390 px phone: home, a post, statistics, the campaign
plan with its calendar as an agenda, and a newsletter issue; no page scrolls sideways."""

import datetime
import re

from django.utils import timezone

import pytest
from playwright.sync_api import expect

from campaign import services
from comms import roles
from tests.factories import UserFactory, blog_post
from tests.journeys.content import issue_passing_checks
from tests.journeys.shots import docs_screenshot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
ISSUE_TITLE = "Trusted Research newsletter – May"
POST_TITLE = "Why we protect our research"


@pytest.fixture
def browser_context_args():
    return {"viewport": PHONE, "is_mobile": True, "has_touch": True}


def fits_the_phone(page) -> None:
    width, screen = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= screen, f"{page.url} is {width} px wide on a {screen} px phone"


def test_reader_reads_the_intranet_on_a_phone(portal, page_as):
    reader = UserFactory(username="phone-reader", first_name="Sam", role=roles.STAFF)
    blog_post(POST_TITLE, body_html="<p>Our partnerships keep our research world-class.</p>")
    issue_passing_checks(ISSUE_TITLE, publish=True)
    soon = timezone.localdate() + datetime.timedelta(days=2)
    services.activity_create(
        title="Trusted Research briefing for new PhD students",
        phase="educate",
        audience="academic",
        channel="Induction",
        owner="Research Security Manager",
        start_date=soon,
        end_date=soon,
    )

    page = page_as(reader)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    fits_the_phone(page)

    # The menu is behind the toggler on a phone.
    def open_menu_and_go(name: str) -> None:
        page.get_by_role("button", name=re.compile("navigation|menu", re.I)).click()
        page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()

    open_menu_and_go("Blog")
    page.get_by_role("link", name=POST_TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(POST_TITLE)
    fits_the_phone(page)

    open_menu_and_go("Statistics")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    fits_the_phone(page)

    open_menu_and_go("Campaign")
    if soon.month != timezone.localdate().month:  # the briefing is in next month's agenda
        page.get_by_role("link", name=re.compile(f"{soon:%B %Y}")).click()
    agenda = page.get_by_role("list", name=f"Campaign activities in {soon:%B %Y}")
    expect(agenda).to_be_visible()
    expect(agenda).to_contain_text(f"{soon:%A} {soon.day} {soon:%B}")
    expect(agenda).to_contain_text("Trusted Research briefing for new PhD students")
    expect(page.locator("table.campaign-month")).to_be_hidden()
    fits_the_phone(page)
    page.get_by_role("heading", name="Calendar", exact=True).scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, -16)")
    docs_screenshot(page, "reader-phone-campaign")

    open_menu_and_go("Newsletters")
    page.get_by_role("link", name=ISSUE_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ISSUE_TITLE)
    expect(page.locator("main")).to_contain_text("Pride and Joy: our Trusted Research campaign")
    fits_the_phone(page)

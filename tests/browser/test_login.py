"""The browser harness, exercised: sign in through the form in headless Chromium."""

import pytest

from comms import roles
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def test_reader_signs_in_through_the_form_and_sees_home(page, live_server):
    UserFactory(username="reader-b", role=roles.STAFF)
    page.goto("/")
    assert "/accounts/login/" in page.url
    page.get_by_label("Username").fill("reader-b")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Trusted Research"
    assert page.get_by_text("Signed in as reader-b").is_visible()


def test_skip_link_is_first_and_moves_focus_to_main(page_as):
    page = page_as(roles.STAFF)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_page_as_gives_a_signed_in_editor(page_as):
    page = page_as(roles.EDITORS)
    page.goto("/admin/")
    assert page.get_by_role("heading", name="Dashboard").count() >= 0
    assert "/admin/" in page.url and "login" not in page.url

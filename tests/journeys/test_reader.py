"""A member of staff reads the intranet (home, blog, a post, statistics, campaign, the newsletter
archive and an issue), then unsubscribes with the link in the newsletter email they received.
Real SMTP server, Celery worker and beat."""

import email
import email.policy
import re
import time
from io import StringIO

from django.core.management import call_command

import pytest
from playwright.sync_api import expect

from comms import roles
from newsletter.models import Membership
from tests.factories import MailingListFactory, UserFactory, blog_post, subscribe_many
from tests.journeys.content import issue_passing_checks
from tests.journeys.shots import docs_screenshot

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ISSUE_TITLE = "Trusted Research newsletter – April"
POST_TITLE = "Why we protect our research"


def wait_for_message(smtp, address: str, page, timeout: float = 120):
    """The message the SMTP server accepted for ``address``, once the worker has sent it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for rcpt, raw in smtp.messages:
            if rcpt == address:
                return email.message_from_bytes(raw, policy=email.policy.default)
        page.wait_for_timeout(250)
    raise AssertionError(f"no message for {address} within {timeout}s: {smtp.recipients()}")


def test_reader_reads_the_intranet_and_unsubscribes_from_the_email(portal, engine, page_as):
    smtp = engine
    reader = UserFactory(
        username="amorgan",
        first_name="Alex",
        last_name="Morgan",
        email="alex.morgan@example.ac.uk",
        role=roles.STAFF,
    )
    blog_post(
        POST_TITLE,
        body_html="<p>Our partnerships are how we do world-class research. Trusted Research "
        "keeps them safe.</p>",
        author_name="Professor Jane Smith",
    )
    issue = issue_passing_checks(ISSUE_TITLE, publish=True)
    staff_list = MailingListFactory(name="All research staff")
    subscribe_many(staff_list, [reader.email, "colleague@example.ac.uk"])
    lead = UserFactory(username="pshah", role=roles.COMMS_LEADS)
    call_command(
        "newsletter_send",
        issue.slug,
        "--list",
        staff_list.name,
        "--user",
        lead.username,
        stdout=StringIO(),
    )

    page = page_as(reader)
    nav = page.get_by_role("navigation", name="Main")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Latest posts")).to_be_visible()
    expect(page.get_by_role("link", name=POST_TITLE).first).to_be_visible()
    expect(nav.get_by_role("link", name="Admin")).to_have_count(0)  # staff have no admin
    docs_screenshot(page, "reader-home")

    nav.get_by_role("link", name="Blog").click()
    expect(page).to_have_url(re.compile(r"/blog/$"))
    page.get_by_role("link", name=POST_TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(POST_TITLE)
    expect(page.locator("main")).to_contain_text("Professor Jane Smith")

    nav.get_by_role("link", name="Statistics").click()
    statistic_link = page.get_by_role("link", name="61.5% of the UK's research output").first
    expect(statistic_link).to_be_visible()
    statistic_link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("61.5%")
    expect(page.locator("main")).to_contain_text("Universities UK International")

    nav.get_by_role("link", name="Campaign").click()
    expect(page.locator("main")).to_contain_text("Educate")
    expect(page.locator("main")).to_contain_text("Evaluate")

    nav.get_by_role("link", name="Newsletters").click()
    page.get_by_role("link", name=ISSUE_TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ISSUE_TITLE)
    expect(page.locator("main")).to_contain_text("Due diligence in practice")

    # The newsletter arrived by email; its Unsubscribe link opens the portal.
    received = wait_for_message(smtp, reader.email, page)
    assert received["Subject"] == ISSUE_TITLE
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    mail = page.context.new_page()
    mail.set_content(received.get_body(preferencelist=("html",)).get_content())
    link = mail.get_by_role("link", name="Unsubscribe")
    assert link.get_attribute("href") in received["List-Unsubscribe"]  # the same personal link
    link.click()
    expect(mail.get_by_role("heading", level=1)).to_have_text(
        "Unsubscribe from All research staff?"
    )
    membership = Membership.objects.get(mailing_list=staff_list, subscriber__email=reader.email)
    assert membership.unsubscribed_at is None, "opening the link changes nothing"
    mail.get_by_role("button", name="Unsubscribe").click()
    expect(mail.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    membership.refresh_from_db()
    assert membership.unsubscribed_at is not None
    assert (
        Membership.objects.get(subscriber__email="colleague@example.ac.uk").unsubscribed_at is None
    )

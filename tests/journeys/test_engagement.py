"""Engagement measured privately, end to end: a recipient clicks "Read this issue on the
portal" in the email the real SMTP server received and lands on the issue, signed in (a click
and a read); the comms lead's engagement report shows the click, the reader and the
click-through rate; the month's "Staff engagement" figure appears on Trusted Research in
numbers. Real SMTP server, Celery worker and beat; Chromium."""

import re
from io import StringIO

from django.core.management import call_command

import pytest
from playwright.sync_api import expect

from comms import roles
from comms.services.engagement_reads import reads_fold
from newsletter.services.engagement import engagement_metric_refresh
from tests.factories import MailingListFactory, UserFactory, subscribe_many
from tests.journeys.content import issue_passing_checks
from tests.journeys.shots import docs_screenshot
from tests.journeys.test_reader import wait_for_message

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ISSUE_TITLE = "Trusted Research newsletter – May"


def test_a_click_and_a_read_show_in_the_report_and_in_the_numbers(portal, engine, page_as):
    smtp = engine
    reader = UserFactory(
        username="jkhan",
        first_name="Jamal",
        last_name="Khan",
        email="jamal.khan@example.ac.uk",
        role=roles.STAFF,
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

    # The reader, signed in to the intranet, follows the link in the email they received.
    page = page_as(reader)
    received = wait_for_message(smtp, reader.email, page)
    wait_for_message(smtp, "colleague@example.ac.uk", page)
    mail = page.context.new_page()
    mail.set_content(received.get_body(preferencelist=("html",)).get_content())
    link = mail.get_by_role("link", name="Read this issue on the portal")
    assert "/newsletters/c/" in link.get_attribute("href")  # through the portal's redirect
    link.click()
    expect(mail).to_have_url(re.compile(re.escape(issue.url) + "$"))
    expect(mail.get_by_role("heading", level=1)).to_have_text(ISSUE_TITLE)

    # What the beat does every few minutes: fold the day's reads, record the month's figure.
    reads_fold()
    engagement_metric_refresh()

    # The comms lead reads the issue's report from the sends listing.
    admin = page_as(lead)
    admin.goto("/admin/newsletter/sends/")
    admin.get_by_role("link", name=f"Engagement with {ISSUE_TITLE}").click()
    expect(admin.get_by_role("heading", level=1)).to_contain_text(ISSUE_TITLE)
    figures = admin.locator("#issue-report-figures")
    expect(figures.locator('[data-figure="readers"]')).to_have_text("1")
    expect(figures.locator('[data-figure="sent"]')).to_have_text("2")
    expect(figures.locator('[data-figure="clicks"]')).to_have_text("1")
    expect(figures.locator('[data-figure="clickers"]')).to_have_text("1")
    expect(figures.locator('[data-figure="click-through"]')).to_have_text("50.0%")
    links = admin.locator("#issue-report-links tbody tr")
    expect(links.first).to_contain_text(issue.url)
    expect(links.first.locator("td").nth(1)).to_have_text("1")
    expect(admin.get_by_role("img", name=re.compile("Readers on the portal"))).to_be_visible()
    docs_screenshot(admin, "commslead-issue-report")

    # Trusted Research in numbers: this month's staff engagement, one reader-day + one clicker.
    admin.goto("/statistics/numbers/")
    section = admin.locator("section", has_text="Staff engagement with research security comms")
    expect(section.first).to_contain_text("Recorded by the portal: 1 reader-day")
    expect(section.first.locator("tbody tr").last.locator("td").first).to_have_text("2")

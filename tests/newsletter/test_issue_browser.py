"""In a real browser: a comms lead assembles an issue, previews it three ways, sends a test."""

import datetime
import email
import email.policy

import pytest

from comms import roles
from comms.services.roles import roles_sync
from newsletter.models import NewsletterIssuePage
from newsletter.rendering import render_issue
from tests.factories import (
    MetricValueFactory,
    StatisticFactory,
    blog_post,
    campaign_intro,
    newsletter_issue,
)
from tests.newsletter.previews import previews_walk, shot

pytestmark = pytest.mark.browser


def test_comms_lead_assembles_previews_and_tests_an_issue(page_as, smtp):
    newsletter_issue("Earlier", body=[("heading", "Old")]).delete()  # the archive
    roles_sync()  # page permissions again, if an earlier transactional test flushed the tree
    blog_post("Protecting our research", date=datetime.date(2024, 3, 1))
    blog_post("Due diligence in practice", date=datetime.date(2024, 3, 8))
    MetricValueFactory(period=datetime.date(2024, 2, 1), value=12)
    MetricValueFactory(period=datetime.date(2024, 3, 1), value=15)
    StatisticFactory(figure="42%", claim="42% of example researchers agree.")
    campaign_intro()
    page = page_as(roles.COMMS_LEADS)

    page.goto("/admin/newsletter/assemble/")
    page.get_by_label("Title").fill("Trusted Research – March 2024")
    page.get_by_role("button", name="Assemble draft").click()
    page.wait_for_url("**/admin/pages/*/edit/")
    issue = NewsletterIssuePage.objects.get()
    assert "assembled from the pack outline" in page.locator("body").inner_text()
    page.get_by_role("tab", name="Checks").click()
    assert "senior Trusted Research owner" in page.locator("body").inner_text()
    shot(page, "issue-edit-checks")

    # The three previews: what the preview panel shows for each mode.
    previews_walk(page, on_mode=lambda mode: shot(page, f"issue-preview-{mode or 'web'}"))

    page.goto(f"/admin/newsletter/test/{issue.pk}/")
    lead = issue.owner
    assert page.get_by_label("Send the test to").input_value() == lead.email  # the default
    page.get_by_role("button", name="Send test").click()
    page.wait_for_url("**/admin/pages/*/edit/")
    assert f"Test sent to {lead.email}" in page.locator("body").inner_text()
    message = email.message_from_bytes(smtp.messages[0][1], policy=email.policy.default)
    assert message["Subject"] == "[TEST] Trusted Research – March 2024"
    assert message.get_content_type() == "multipart/alternative"


def test_reader_sees_the_web_issue(page_as, tmp_path):
    from tests.factories import newsletter_image, realistic_issue_body

    newsletter_issue("Earlier", body=[("heading", "Old")]).delete()  # home page and archive
    posts = [blog_post("Protecting our research"), blog_post("Due diligence in practice")]
    MetricValueFactory(period=datetime.date(2024, 2, 1), value=12)
    MetricValueFactory(period=datetime.date(2024, 3, 1), value=15)
    body = realistic_issue_body(
        posts=posts,
        statistic=StatisticFactory(figure="42%", claim="42% of example researchers agree."),
        intro=campaign_intro(),
        image=newsletter_image(),
    )
    issue = newsletter_issue("Trusted Research – March 2024", body=body)
    page = page_as(roles.STAFF)
    page.goto(issue.url)
    assert page.locator("h1").count() == 1
    assert "Due diligence in practice" in page.locator("main").inner_text()
    shot(page, "issue-web")
    # The HTML email as a mail client opens it: a file, outside the portal's CSP.
    html, _ = render_issue(issue).personalise(unsubscribe_url="https://portal.example/u/t/")
    path = tmp_path / "issue-email.html"
    path.write_text(html)
    email_page = page.context.new_page()
    email_page.goto(path.as_uri())
    assert email_page.locator("h2").first.evaluate("e => getComputedStyle(e).color") == (
        "rgb(29, 53, 87)"
    )
    shot(email_page, "issue-email-html-full")

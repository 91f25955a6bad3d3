"""WCAG 2.2 AA (axe-core's automated rules) on every reader page, the login page, the
unsubscribe pages and the newsletter email's HTML part: zero violations."""

import pytest

from comms import roles
from newsletter.rendering import render_issue
from tests.a11y.conftest import violations_report
from tests.security.content import portal_content, reader_urls, realistic_newsletter_issue

pytestmark = pytest.mark.browser


def audit(page, axe_check, urls) -> str:
    reports = []
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        violations = axe_check(page)
        if violations:
            reports.append(violations_report(url, violations))
    return "\n".join(reports)


def test_reader_pages_have_no_wcag_violations(page_as, axe_check):
    portal = portal_content()
    page = page_as(roles.STAFF)
    report = audit(page, axe_check, reader_urls(portal))
    assert not report, "axe-core found WCAG A/AA violations:\n" + report


def test_login_page_has_no_wcag_violations(page, axe_check):
    report = audit(page, axe_check, ["/accounts/login/"])
    assert not report, report


def test_login_page_with_an_error_has_no_wcag_violations(page, axe_check):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    violations = axe_check(page)
    assert not violations, violations_report("/accounts/login/ (error)", violations)


def test_unsubscribe_pages_have_no_wcag_violations(page, axe_check):
    portal = portal_content()
    reports = [audit(page, axe_check, [f"/unsubscribe/{portal.unsubscribe_token}/"])]
    page.get_by_role("button", name="Unsubscribe").click()
    page.wait_for_load_state()
    reports.append(violations_report("unsubscribed", axe_check(page)))
    assert page.goto("/unsubscribe/not-a-token/").status == 400
    reports.append(violations_report("bad token", axe_check(page)))
    report = "\n".join(r for r in reports if r)
    assert not report, report


def test_axe_reports_a_violation_when_there_is_one(page, axe_check):
    # The harness itself: an image without alt text must be caught, or the checks above prove
    # nothing.
    page.goto("/accounts/login/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=x>')")
    assert "image-alt" in [violation["id"] for violation in axe_check(page)]


def test_newsletter_email_html_has_no_wcag_violations(page, axe_check):
    # The HTML part a subscriber's mail client shows, as the sending engine renders it.
    portal = portal_content()
    issue = realistic_newsletter_issue()
    html, _ = render_issue(issue).personalise(
        unsubscribe_url=f"https://portal.example.ac.uk/unsubscribe/{portal.unsubscribe_token}/"
    )
    page.set_content(html)
    assert page.locator("h1").inner_text() == issue.title
    violations = axe_check(page)
    assert not violations, violations_report("newsletter email (HTML part)", violations)


def test_campaign_intro_link_on_the_web_issue_card_has_enough_contrast(page_as, axe_check):
    # The intro text's own link (the pack's points to the NPSA site) on its tinted card.
    from tests.factories import campaign_intro, newsletter_issue

    intro = campaign_intro(
        body='<p>Visit <a href="https://www.npsa.gov.uk/trusted-research">the NPSA site</a>.</p>'
    )
    issue = newsletter_issue(body=[("campaign_intro", {"intro": intro})])
    page = page_as(roles.STAFF)
    assert page.goto(issue.url).status == 200
    violations = axe_check(page)
    assert not violations, violations_report(issue.url, violations)


def test_public_issue_page_has_no_wcag_violations(page, axe_check):
    # A shared issue as a recipient without an intranet account opens it: signed out.
    import secrets

    from newsletter.models import PublicLink

    portal_content()
    issue = realistic_newsletter_issue()
    link = PublicLink.objects.create(issue=issue, token=secrets.token_urlsafe(32))
    report = audit(page, axe_check, [link.path])
    assert not report, report


def test_login_page_with_single_sign_on_and_a_refusal_page_have_no_wcag_violations(
    page, axe_check, settings
):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens: the start is refused (502)
    settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET = "portal", "secret"
    settings.OIDC_ONLY = True
    reports = [audit(page, axe_check, ["/accounts/login/", "/accounts/login/break-glass/"])]
    assert page.goto("/accounts/oidc/login/").status == 502
    reports.append(violations_report("sign-in refused", axe_check(page)))
    report = "\n".join(r for r in reports if r)
    assert not report, report


def test_issue_engagement_report_has_no_wcag_violations(page_as, axe_check):
    from django.urls import reverse

    portal = portal_content()
    page = page_as(roles.COMMS_LEADS)
    url = reverse("newsletter_issues:report", args=[portal.issue_id])
    report = audit(page, axe_check, [url])
    assert not report, report

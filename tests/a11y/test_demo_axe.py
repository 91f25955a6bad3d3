"""WCAG 2.2 AA (axe-core) on what a university evaluates: with the comms pack and the demo
content loaded, every page a member of staff can open, including every demo issue, and the
HTML part of every demo issue's email. Zero violations."""

from wagtail.models import Page

import pytest

from comms import roles
from newsletter.models import NewsletterIssuePage
from newsletter.rendering import render_issue
from tests.a11y.conftest import violations_report

pytestmark = pytest.mark.browser


def test_every_demo_page_and_email_has_no_wcag_violations(demo_portal, page_as, axe_check):
    page = page_as(roles.STAFF)
    reports, audited = [], []
    for item in Page.objects.live().filter(depth__gt=1).specific().order_by("path"):
        url = item.get_url()
        response = page.goto(url)
        if response.status == 404:  # editors' pages (the blog templates) are not for staff
            continue
        assert response.status == 200, url
        audited.append(url)
        violations = axe_check(page)
        if violations:
            reports.append(violations_report(url, violations))
    issues = list(NewsletterIssuePage.objects.live().order_by("path"))
    assert len(issues) >= 2 and all(issue.url in audited for issue in issues)
    for issue in issues:
        html, _ = render_issue(issue).personalise(
            unsubscribe_url="https://portal.example.ac.uk/unsubscribe/demo-token/"
        )
        page.set_content(html)
        violations = axe_check(page)
        if violations:
            reports.append(violations_report(f"{issue.title} (HTML email)", violations))
    report = "\n".join(reports)
    assert not report, "axe-core found WCAG A/AA violations:\n" + report

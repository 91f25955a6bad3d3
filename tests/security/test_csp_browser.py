"""The Content Security Policy, enforced by Chromium, breaks nothing on the reader pages: no
script, style or image is refused."""

import pytest

from comms import roles
from tests.security.content import portal_content, reader_urls

pytestmark = pytest.mark.browser


def csp_refusals(page, urls) -> list[str]:
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    for url in urls:
        assert page.goto(url).status == 200, url
        page.wait_for_load_state("networkidle")
    return refused


def test_reader_pages_raise_no_csp_violation(page_as):
    portal = portal_content()
    refused = csp_refusals(
        page_as(roles.STAFF),
        [*reader_urls(portal), "/accounts/login/"],
    )
    assert not refused, "\n".join(refused)


def test_newsletter_issue_raises_no_csp_violation(page_as):
    portal = portal_content()
    refused = csp_refusals(page_as(roles.STAFF), [portal.issue_url])
    assert not refused, "\n".join(refused)

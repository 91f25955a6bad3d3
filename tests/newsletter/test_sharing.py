"""A public web address for an issue: a comms lead shares it, anyone with the address reads the
live (approved) version without signing in, "Stop sharing" kills the address, and the mailed
"Read this issue on the portal" link uses it. By default issues stay intranet-only."""

import re

from django.test import Client

from wagtail.models import PageLogEntry

import pytest

from newsletter.models import PublicLink
from newsletter.rendering import render_issue
from tests.factories import newsletter_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return newsletter_issue(
        "Trusted Research – May", body=[("heading", "Approved news for everyone")]
    )


def share_url(issue) -> str:
    return f"/admin/newsletter/share/{issue.pk}/"


def public_url(issue) -> str:
    return f"/newsletters/public/{PublicLink.objects.get(issue=issue).token}/"


def test_issues_are_intranet_only_by_default(issue):
    assert not PublicLink.objects.exists()
    assert Client().get(issue.url).status_code == 302  # to the login page
    assert Client().get("/newsletters/public/not-a-token/").status_code == 404
    rendered = render_issue(issue)
    assert f'href="http://testserver{issue.url}"' in rendered.html


def test_a_comms_lead_shares_an_issue_and_anyone_reads_it_signed_out(issue, client_as, comms_lead):
    admin = client_as(comms_lead)
    form = admin.get(share_url(issue)).content.decode()
    assert "Only staff who sign in can read this issue" in form
    response = admin.post(share_url(issue), {"action": "share"})
    assert response.status_code == 302
    url = public_url(issue)
    assert len(url.rsplit("/", 2)[1]) >= 40  # unguessable
    entry = PageLogEntry.objects.get(action="newsletter.issue.share")
    assert (entry.page_id, entry.user_id) == (issue.pk, comms_lead.pk)
    assert url in admin.get(share_url(issue)).content.decode()

    page = Client().get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Trusted Research – May" in html and "Approved news for everyone" in html
    # The public base: no intranet navigation, no staff-only links, nothing to sign out of.
    for intranet in ('href="/statistics/"', 'href="/campaign/"', 'href="/admin/', "Sign out"):
        assert intranet not in html
    assert html.count("<h1") == 1
    # Cacheable by anyone, but revalidated on each use, so "Stop sharing" works at once.
    assert set(page["Cache-Control"].replace(" ", "").split(",")) == {"public", "no-cache"}
    assert page.get("X-Robots-Tag") == "noindex"


def test_the_public_page_shows_only_the_approved_version(issue, client_as, comms_lead):
    client_as(comms_lead).post(share_url(issue), {"action": "share"})
    draft = issue.get_latest_revision_as_object()
    draft.body = [("heading", "Unapproved draft words")]
    draft.save_revision()
    html = Client().get(public_url(issue)).content.decode()
    assert "Approved news for everyone" in html and "Unapproved draft words" not in html


def test_a_shared_issue_that_is_not_live_is_not_found(client_as, comms_lead):
    draft = newsletter_issue("Never approved", publish=False)
    client_as(comms_lead).post(share_url(draft), {"action": "share"})
    assert Client().get(public_url(draft)).status_code == 404


def test_stop_sharing_kills_the_address_and_a_new_share_gives_a_new_one(
    issue, client_as, comms_lead
):
    admin = client_as(comms_lead)
    admin.post(share_url(issue), {"action": "share"})
    old = public_url(issue)
    admin.post(share_url(issue), {"action": "stop"})
    assert Client().get(old).status_code == 404
    assert PageLogEntry.objects.filter(action="newsletter.issue.unshare").count() == 1
    assert f"http://testserver{issue.url}" in render_issue(issue).html
    admin.post(share_url(issue), {"action": "share"})
    new = public_url(issue)
    assert new != old and Client().get(new).status_code == 200
    assert Client().get(old).status_code == 404


def test_only_comms_leads_may_share(issue, client_as, editor, senior_owner):
    for user in (editor, senior_owner):
        response = client_as(user).post(share_url(issue), {"action": "share"})
        assert response.status_code == 403
        assert "comms leads" in response.content.decode()
    assert not PublicLink.objects.exists()


def test_an_unknown_action_says_what_to_do(issue, client_as, comms_lead):
    response = client_as(comms_lead).post(share_url(issue), {"action": "explode"})
    assert response.status_code == 400
    assert "Choose “Share publicly” or “Stop sharing”" in response.content.decode()


def test_the_mailed_link_uses_the_public_address_when_shared(issue, client_as, comms_lead):
    client_as(comms_lead).post(share_url(issue), {"action": "share"})
    rendered = render_issue(issue.get_latest_revision().as_object())
    address = f"http://testserver{public_url(issue)}"
    assert re.search(
        f'href="{re.escape(address)}"[^>]*>Read this issue on the portal</a>', rendered.html
    )
    assert f"Read this issue on the portal: {address}" in rendered.text


def test_a_privacy_restriction_on_the_issue_wins_over_sharing(issue, client_as, comms_lead):
    from django.contrib.auth.models import Group

    from wagtail.models import PageViewRestriction

    admin = client_as(comms_lead)
    admin.post(share_url(issue), {"action": "share"})
    restriction = PageViewRestriction.objects.create(
        page=issue, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Senior owners")])
    assert Client().get(public_url(issue)).status_code == 404
    assert public_url(issue) not in render_issue(issue).html
    assert "restricted to some people" in admin.get(share_url(issue)).content.decode()

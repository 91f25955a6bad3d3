"""In Chromium, with OIDC_ONLY: a comms lead clicks "Sign in with University SSO", signs in at
the identity provider (the real test provider's own page), comes back with the Comms leads
role and opens the newsletter sends; signs out of both; the provider moves them to the
editors' group, and their next sign-in gives them the editor's role instead."""

import copy
import re

from django.contrib.auth import get_user_model

import pytest
from playwright.sync_api import expect

from comms import roles
from tests.journeys.shots import docs_screenshot
from tests.oidc.conftest import (
    GROUP_COMMS_LEADS,
    GROUP_EDITORS,
    GROUP_SENIOR_OWNERS,
    PASSWORD,
    SUB_LEAD1,
)
from trustedresearch.settings.env import oidc_form_action

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture
def sso_portal(oidc, settings, live_server):
    oidc.ensure_client(
        f"{live_server.url}/accounts/oidc/callback/",
        f"{live_server.url}/accounts/login/",
        token_endpoint_auth_method="client_secret_basic",
    )
    settings.OIDC_ISSUER = oidc.issuer
    settings.OIDC_CLIENT_ID = oidc.client_id
    settings.OIDC_CLIENT_SECRET = oidc.client_secret
    settings.OIDC_GROUP_ROLES = {
        GROUP_EDITORS: roles.EDITORS,
        GROUP_SENIOR_OWNERS: roles.SENIOR_OWNERS,
        GROUP_COMMS_LEADS: roles.COMMS_LEADS,
    }
    settings.OIDC_ONLY = True
    # As the settings do for OIDC_ISSUER: sign-out's redirect to the provider is allowed.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = oidc_form_action(oidc.issuer)
    settings.CONTENT_SECURITY_POLICY = policy
    return oidc


def sign_in_at_provider(page, login: str) -> None:
    expect(page).to_have_title(re.compile("University SSO"))
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_staff_sign_in_with_the_provider_and_their_role_follows_its_groups(sso_portal, page):
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/admin/"))
    expect(page.get_by_label("Password")).to_have_count(0)  # OIDC_ONLY: the provider only
    docs_screenshot(page, "signin-sso")
    page.get_by_role("link", name="Sign in with University SSO").click()

    sign_in_at_provider(page, "lead1")
    expect(page).to_have_url(re.compile(r"^http://[^/]+/admin/$"))
    user = get_user_model().objects.get(external_identities__subject=SUB_LEAD1)
    assert set(user.groups.values_list("name", flat=True)) == {roles.COMMS_LEADS}

    # The comms lead's work: the newsletter sends, from the admin menu.
    page.get_by_role("button", name="Newsletter").click()
    page.get_by_role("link", name="Sends").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Newsletter sends")

    # Sign out: of the portal and of the provider, then back at the sign-in page.
    page.goto("/")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("link", name="Sign in with University SSO")).to_be_visible()

    # The directory moves them to the editors: the next sign-in gives the editor's role.
    sso_portal.set_groups("lead1", [GROUP_EDITORS])
    page.get_by_role("link", name="Sign in with University SSO").click()
    sign_in_at_provider(page, "lead1")  # the provider's session ended: asked again
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert set(user.groups.values_list("name", flat=True)) == {roles.EDITORS}
    page.goto("/admin/newsletter/sends/")  # no longer theirs
    expect(
        page.get_by_text("Sorry, you do not have permission to access this area")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Newsletter sends")).to_have_count(0)
    page.goto("/admin/pages/")  # an editor's work: the pages
    expect(page.get_by_role("heading", level=1)).to_be_visible()

"""Staff sign in with the identity provider (a real OpenID Connect provider on loopback,
tests/oidc/conftest.py), and their portal roles follow its groups.

The portal is driven with Django's test client; the provider with ``requests``, as a browser
would (its login form, its redirects). Every refusal is a page saying what to do, never a
traceback, and leaves nobody signed in.
"""

from urllib.parse import parse_qs, urljoin, urlsplit

from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

import pytest
import requests

from comms import roles
from comms.models import ExternalIdentity
from tests.factories import UserFactory
from tests.oidc.conftest import (
    GROUP_ALL_STAFF,
    GROUP_COMMS_LEADS,
    GROUP_EDITORS,
    GROUP_SENIOR_OWNERS,
    PASSWORD,
    SUB_EDITOR1,
)
from tests.oidc.rp import forms_of

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

CALLBACK = "http://testserver/accounts/oidc/callback/"
LOGIN = "http://testserver/accounts/login/"
ROLES = {
    GROUP_EDITORS: roles.EDITORS,
    GROUP_SENIOR_OWNERS: roles.SENIOR_OWNERS,
    GROUP_COMMS_LEADS: roles.COMMS_LEADS,
}


@pytest.fixture
def sso(oidc, settings):
    """The portal configured for the test provider, as docs/configuration.md says."""
    oidc.ensure_client(CALLBACK, LOGIN, token_endpoint_auth_method="client_secret_basic")
    settings.OIDC_ISSUER = oidc.issuer
    settings.OIDC_CLIENT_ID = oidc.client_id
    settings.OIDC_CLIENT_SECRET = oidc.client_secret
    settings.OIDC_GROUP_ROLES = ROLES
    settings.OIDC_UNMAPPED = "staff"
    return oidc


class Browser:
    """A person's browser: a cookie jar for the portal (Django's client) and one for the
    provider (``requests``)."""

    def __init__(self):
        self.portal = Client()
        self.provider = requests.Session()

    def start(self, next_url: str = "/") -> str:
        response = self.portal.get("/accounts/oidc/login/", {"next": next_url})
        assert response.status_code == 302, response.content[:500]
        return response["Location"]

    def at_provider(self, url: str, login: str | None, password: str = PASSWORD) -> str:
        """Follow the provider's pages from ``url`` (signing in on its form if it shows one)
        until it sends the browser back to the portal; returns that address."""
        response = self.provider.get(url, allow_redirects=False, timeout=10)
        for _ in range(10):
            if response.is_redirect:
                location = urljoin(response.url, response.headers["Location"])
                if location.startswith("http://testserver/"):
                    return location
                response = self.provider.get(location, allow_redirects=False, timeout=10)
                continue
            forms = forms_of(response.text)
            login_form = [f for f in forms if "password" in f["fields"]]
            if login_form:
                assert login, "the provider asks for a password"
                action, data = login_form[0]["action"], {"username": login, "password": password}
            else:  # its "sign me out?" page, which a browser's script confirms
                assert forms, f"stuck at the provider: {response.text[:300]}"
                action, data = forms[0]["action"], {**forms[0]["fields"], "logout": "yes"}
            response = self.provider.post(
                urljoin(response.url, action), data=data, allow_redirects=False, timeout=10
            )
        raise AssertionError("the provider never sent the browser back")

    def back(self, location: str):
        parts = urlsplit(location)
        return self.portal.get(parts.path, parse_qs(parts.query))

    def sign_in(self, login: str, next_url: str = "/"):
        return self.back(self.at_provider(self.start(next_url), login))

    @property
    def user(self):
        user_id = self.portal.session.get(SESSION_KEY)
        return get_user_model().objects.get(pk=user_id) if user_id else None


def role_names(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def refused(response, status: int, title: str) -> None:
    assert response.status_code == status, response.content[:500]
    assert title in response.text
    assert "Back to sign-in" in response.text
    assert "Traceback" not in response.text


def test_the_login_page_offers_the_provider_and_the_password_form(sso, client):
    page = client.get("/accounts/login/?next=/blog/").text
    assert "Sign in with University SSO" in page
    assert 'href="/accounts/oidc/login/?next=/blog/"' in page
    assert 'name="password"' in page  # OIDC_ONLY is off: local passwords still work


def test_first_sign_in_creates_the_user_from_the_claims_with_the_mapped_role(sso):
    browser = Browser()
    response = browser.sign_in("editor1", next_url="/blog/")
    assert response.status_code == 302 and response["Location"] == "/blog/"
    user = browser.user
    assert (user.first_name, user.last_name, user.email) == (
        "Erin",
        "Editor",
        "erin.editor@example.ac.uk",
    )
    assert user.username == "erin.editor" and not user.has_usable_password()
    assert role_names(user) == {roles.EDITORS}
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (sso.issuer, SUB_EDITOR1)
    assert browser.portal.get("/admin/").status_code == 200  # an editor's admin


def test_the_next_sign_in_follows_the_providers_groups_and_claims(sso):
    Browser().sign_in("editor1")
    sso.set_groups("editor1", [GROUP_COMMS_LEADS, "some-other-group"])
    sso.set_account("editor1", family_name="Edwards", email="erin.edwards@example.ac.uk")
    browser = Browser()
    browser.sign_in("editor1")
    user = browser.user
    assert role_names(user) == {roles.COMMS_LEADS}  # the editor role is gone
    assert (user.last_name, user.email) == ("Edwards", "erin.edwards@example.ac.uk")
    assert get_user_model().objects.filter(external_identities__subject=SUB_EDITOR1).count() == 1
    assert browser.portal.get("/admin/newsletter/sends/").status_code == 200


def test_the_email_is_never_the_identity(sso):
    """A local account with the same address is not taken over: a new user is made."""
    local = UserFactory(username="erin", email="erin.editor@example.ac.uk", role=roles.STAFF)
    browser = Browser()
    browser.sign_in("editor1")
    assert browser.user != local
    assert role_names(local) == {roles.STAFF}


def test_non_role_groups_are_kept_and_nobody_becomes_superuser(sso):
    from django.contrib.auth.models import Group

    browser = Browser()
    browser.sign_in("lead1")
    user = browser.user
    other = Group.objects.create(name="Newsletter volunteers")
    user.groups.add(other)
    sso.set_groups("lead1", [GROUP_SENIOR_OWNERS])
    Browser().sign_in("lead1")
    assert role_names(user) == {roles.SENIOR_OWNERS, "Newsletter volunteers"}
    user.refresh_from_db()
    assert not user.is_superuser and not user.is_staff


def test_someone_in_no_mapped_group_signs_in_as_staff(sso):
    browser = Browser()
    assert browser.sign_in("staff1").status_code == 302
    assert role_names(browser.user) == {roles.STAFF}
    assert GROUP_ALL_STAFF not in ROLES
    assert browser.portal.get("/admin/").status_code == 302  # no admin for Staff


def test_someone_in_no_mapped_group_is_refused_when_the_setting_says_so(sso, settings):
    settings.OIDC_UNMAPPED = "refuse"
    browser = Browser()
    refused(browser.sign_in("nogroup1"), 403, "You have no role on this portal")
    assert browser.user is None
    assert not ExternalIdentity.objects.exists()


def test_a_user_disabled_in_the_portal_is_refused(sso):
    browser = Browser()
    browser.sign_in("senior1")
    get_user_model().objects.filter(pk=browser.user.pk).update(is_active=False)
    again = Browser()
    refused(again.sign_in("senior1"), 403, "Your portal account is disabled")
    assert again.user is None


def test_a_tampered_or_replayed_state_is_refused(sso):
    browser = Browser()
    back = browser.at_provider(browser.start(), "editor1")
    query = parse_qs(urlsplit(back).query)
    tampered = {**query, "state": ["not-the-state"]}
    refused(browser.portal.get("/accounts/oidc/callback/", tampered), 400, "did not start here")
    assert browser.user is None
    assert browser.back(back).status_code == 302  # the real answer still works once
    other = Browser()  # the same answer replayed elsewhere, or again: refused
    refused(other.back(back), 400, "did not start here")
    assert other.user is None


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("bad-signature", "Sign-in could not be checked"),
        ("wrong-audience", "Sign-in could not be checked"),
        ("wrong-issuer", "Sign-in could not be checked"),
        ("wrong-nonce", "Sign-in could not be checked"),
        ("expired", "Sign-in has expired"),
    ],
)
def test_an_id_token_that_fails_a_check_is_refused(sso, kind, title, caplog):
    sso.fault(kind)
    browser = Browser()
    refused(browser.sign_in("editor1"), 400, title)
    assert browser.user is None
    assert not ExternalIdentity.objects.exists()
    assert "OpenID Connect sign-in refused" in caplog.text


@pytest.mark.parametrize("kind", ["clock-ahead-30", "expired-30s-ago"])
def test_a_small_clock_difference_is_allowed_and_no_more(sso, settings, kind):
    """30 s between the provider's clock and the portal's: within OIDC_CLOCK_SKEW (60 s) the
    person signs in; with no allowance the same token is refused."""
    settings.OIDC_CLOCK_SKEW = 60
    sso.fault(kind)
    browser = Browser()
    assert browser.sign_in("editor1").status_code == 302
    assert browser.user is not None
    settings.OIDC_CLOCK_SKEW = 0
    sso.fault(kind)
    strict = Browser()
    response = strict.sign_in("editor1")
    assert response.status_code == 400 and strict.user is None


def test_a_new_signing_key_at_the_provider_is_fetched(sso):
    assert Browser().sign_in("editor1").status_code == 302  # the old key, now cached
    new_kid = sso.rotate_keys()
    assert [key["kid"] for key in sso.jwks()["keys"]] == [new_kid]
    browser = Browser()
    assert browser.sign_in("editor1").status_code == 302
    assert browser.user is not None


def test_the_provider_unreachable_is_a_page(sso):
    browser = Browser()
    going = browser.at_provider(browser.start(), "editor1")
    sso.stop()
    refused(browser.back(going), 502, "University SSO cannot be reached")  # code not exchanged
    assert browser.user is None
    refused(Browser().portal.get("/accounts/oidc/login/"), 502, "cannot be reached")


def test_the_provider_cancelling_is_a_page(sso):
    browser = Browser()
    browser.start()
    state = next(k for k in browser.portal.session.keys() if k.startswith("_state_"))  # noqa: SIM118
    response = browser.portal.get(
        "/accounts/oidc/callback/",
        {"error": "access_denied", "state": state.removeprefix("_state_portal_")},
    )
    refused(response, 400, "University SSO did not sign you in")


def test_signing_out_ends_the_providers_session_too(sso):
    browser = Browser()
    browser.sign_in("lead1")
    response = browser.portal.post("/accounts/logout/")
    assert browser.user is None
    end_session = sso.discovery()["end_session_endpoint"]
    assert response.status_code == 302 and response["Location"].startswith(end_session)
    params = parse_qs(urlsplit(response["Location"]).query)
    assert params["post_logout_redirect_uri"] == [LOGIN] and params["id_token_hint"]
    back = browser.at_provider(response["Location"], None)
    assert back.startswith(LOGIN)
    # Signed out at the provider as well: the next sign-in asks for the password again.
    page = browser.provider.get(browser.start(), timeout=10).text
    assert 'name="password"' in page


def test_without_a_provider_sign_in_is_as_before(client, settings):
    settings.OIDC_ISSUER = ""
    page = client.get("/accounts/login/").text
    assert "/accounts/oidc/login/" not in page and 'name="password"' in page
    refused(client.get("/accounts/oidc/login/"), 404, "Single sign-on is not set up")
    UserFactory(username="local", password="a-long-local-password-1")
    response = client.post(
        "/accounts/login/", {"username": "local", "password": "a-long-local-password-1"}
    )
    assert response.status_code == 302 and client.session.get(SESSION_KEY)


class TestOidcOnly:
    """OIDC_ONLY: the provider is the only way in, except a superuser's break-glass password."""

    @pytest.fixture(autouse=True)
    def only(self, sso, settings):
        settings.OIDC_ONLY = True

    def test_the_login_page_has_no_password_form(self, client):
        page = client.get("/accounts/login/").text
        assert "Sign in with University SSO" in page and 'name="password"' not in page

    @pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/login/break-glass/"])
    def test_a_staff_password_is_refused_everywhere(self, client, path):
        UserFactory(username="local", password="a-long-local-password-1", role=roles.EDITORS)
        response = client.post(path, {"username": "local", "password": "a-long-local-password-1"})
        assert not client.session.get(SESSION_KEY)
        assert response.status_code in (200, 302)

    def test_wagtails_admin_login_refuses_it_too(self, client):
        UserFactory(username="local", password="a-long-local-password-1", role=roles.EDITORS)
        client.post("/admin/login/", {"username": "local", "password": "a-long-local-password-1"})
        assert not client.session.get(SESSION_KEY)

    def test_a_superuser_breaks_glass_with_a_password(self, client):
        admin = get_user_model().objects.create_superuser(
            "admin", "admin@example.ac.uk", "a-long-admin-password-1"
        )
        page = client.get("/accounts/login/break-glass/").text
        assert "Only superusers can sign in here" in page and 'name="password"' in page
        response = client.post(
            "/accounts/login/break-glass/",
            {"username": "admin", "password": "a-long-admin-password-1"},
        )
        assert response.status_code == 302
        assert client.session.get(SESSION_KEY) == str(admin.pk)

    def test_staff_still_sign_in_with_the_provider(self):
        browser = Browser()
        assert browser.sign_in("senior1").status_code == 302
        assert role_names(browser.user) == {roles.SENIOR_OWNERS}
        # The session holds on the next requests (only password checks are restricted).
        assert browser.portal.get("/").status_code == 200
        assert browser.portal.get("/admin/").status_code == 200

    @pytest.mark.parametrize(
        ("login", "work", "not_theirs"),
        [
            ("editor1", "stats_numbers:enter", "newsletter_sends:index"),
            ("senior1", "wagtailadmin_explore_root", "newsletter_sends:index"),
            ("lead1", "newsletter_sends:index", "stats_numbers:enter"),
        ],
    )
    def test_each_role_signs_in_only_through_the_provider_and_does_its_work(
        self, login, work, not_theirs
    ):
        from django.urls import reverse

        browser = Browser()
        assert browser.sign_in(login).status_code == 302
        assert browser.portal.get(reverse(work)).status_code == 200
        assert browser.portal.get(reverse(not_theirs)).status_code in (302, 403)


def test_the_signed_in_user_and_the_directory_subscriber_are_the_same_person(sso):
    """The provider's directory id (Entra's ``oid``; here, with no such claim, ``sub``) is the
    externalId SCIM provisioning sent: the user, the directory person and their subscriber
    are one person."""
    from directory.models import DirectoryPerson, Source
    from directory.selectors import people_for_user
    from newsletter.models import Subscriber

    person = DirectoryPerson.objects.create(
        source=Source.SCIM,
        external_id=SUB_EDITOR1,
        user_name="erin.editor@example.ac.uk",
        email="erin.editor@example.ac.uk",
    )
    Subscriber.objects.create(email="erin.editor@example.ac.uk", directory_person=person)
    browser = Browser()
    browser.sign_in("editor1")
    [found] = people_for_user(browser.user)
    assert found == person and found.subscriber.email == "erin.editor@example.ac.uk"

"""Security headers on reader pages: the Content Security Policy (no inline script), referrer,
MIME sniffing, cross-origin opener; and sessions that end."""

from django.conf import settings

import pytest

from comms import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READER_PAGES = ("/", "/blog/", "/statistics/", "/campaign/", "/newsletters/")


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def reader(client, portal):
    client.force_login(UserFactory(username="headers-reader", role=roles.STAFF))
    return client


@pytest.mark.parametrize("url", READER_PAGES)
def test_reader_pages_have_a_csp_without_inline_script(reader, url):
    response = reader.get(url)
    assert response.status_code == 200
    csp = directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    for values in csp.values():
        assert "'unsafe-inline'" not in values
        assert "'unsafe-eval'" not in values


def test_login_and_unsubscribe_pages_have_the_csp(client, portal):
    for url in ("/accounts/login/", f"/unsubscribe/{portal.unsubscribe_token}/"):
        csp = directives(client.get(url)["Content-Security-Policy"])
        assert csp["script-src"] == ["'self'"], url


def test_wagtail_admin_is_left_out_of_the_csp(client, portal):
    # Wagtail's admin relies on inline scripts; it keeps its own protections (login, CSRF).
    client.force_login(UserFactory(username="headers-editor", role=roles.EDITORS))
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response


@pytest.mark.parametrize("url", READER_PAGES)
def test_reader_pages_send_the_security_headers(reader, url):
    response = reader.get(url)
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] in ("DENY", "SAMEORIGIN")


def test_public_pages_send_the_security_headers(client, portal):
    for url in ("/accounts/login/", "/healthz"):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url


def test_sessions_expire():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY is True


def test_session_cookie_expires_after_a_working_day(client, portal):
    UserFactory(username="cookie-reader", role=roles.STAFF)
    from tests.factories import TEST_PASSWORD

    response = client.post(
        "/accounts/login/", {"username": "cookie-reader", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE

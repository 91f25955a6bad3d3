"""Sign-in: every page needs it, except login, unsubscribe, health and static files."""

import re
from urllib.parse import quote

from django.urls import reverse

import pytest

from comms import roles
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def test_anonymous_home_redirects_to_login_and_back(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/"

    UserFactory(username="alice", role=roles.STAFF)
    response = client.post(LOGIN, {"username": "alice", "password": TEST_PASSWORD, "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Signed in as alice" in home.content.decode()


def test_deep_link_returns_after_sign_in(client):
    UserFactory(username="bob", role=roles.EDITORS)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert (
        quote("/admin/pages/", safe="") in response["Location"]
        or "next=/admin/pages/" in response["Location"]
    )
    response = client.post(
        LOGIN, {"username": "bob", "password": TEST_PASSWORD, "next": "/admin/pages/"}
    )
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_login_page_is_public_and_labelled(client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<label\s+for="id_username"[^>]*>\s*Username', html)
    assert re.search(r'<label\s+for="id_password"[^>]*>\s*Password', html)
    assert 'href="#main"' in html  # skip link


def test_wrong_password_says_so_without_revealing_whether_the_user_exists(client):
    UserFactory(username="carol")
    wrong_password = client.post(LOGIN, {"username": "carol", "password": "nope-nope"})
    unknown_user = client.post(LOGIN, {"username": "nobody", "password": "nope-nope"})
    assert wrong_password.status_code == unknown_user.status_code == 200
    message = "That username and password do not match an account"
    assert message in wrong_password.content.decode()
    assert message in unknown_user.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failed_logins_are_throttled(client):
    UserFactory(username="dave")
    for _ in range(5):
        client.post(LOGIN, {"username": "dave", "password": "wrong-password"})
    locked = client.post(LOGIN, {"username": "dave", "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post(client):
    user = UserFactory(username="erin")
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("role", "can_enter"),
    [
        (roles.EDITORS, True),
        (roles.SENIOR_OWNERS, True),
        (roles.COMMS_LEADS, True),
        (roles.STAFF, False),
    ],
)
def test_each_group_access_to_admin(client_as, role, can_enter):
    user = UserFactory(username=f"u-{role[:6].lower().replace(' ', '')}", role=role)
    response = client_as(user).get("/admin/")
    if can_enter:
        assert response.status_code == 200
        assert "Dashboard" in response.content.decode()
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        follow = client_as(user).get("/admin/", follow=True)
        assert "You do not have permission to access the admin" in follow.content.decode()


def test_unknown_url_gets_styled_404(client_as, staff_user):
    response = client_as(staff_user).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Skip to main content" in html

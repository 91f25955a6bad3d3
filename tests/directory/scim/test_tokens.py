"""Bearer tokens: ``manage.py scim_token`` and the 401s of ``/scim/v2/``."""

from io import StringIO

from django.core.management import CommandError, call_command

import pytest

from directory.models import ScimToken

from .conftest import BASE, assert_scim_error

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command("scim_token", *args, stdout=out)
    return out.getvalue().strip().splitlines()


def test_create_prints_the_token_last_and_it_works(client):
    lines = run("create", "entra")
    secret = lines[-1]
    assert secret.startswith("trscim_") and len(secret) > 40
    token = ScimToken.objects.get(name="entra")
    assert secret not in token.token_hash and len(token.token_hash) == 64
    response = client.get(f"{BASE}/Users", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_list_and_revoke(client):
    secret = run("create", "okta")[-1]
    run("create", "entra")
    listing = "\n".join(run("list"))
    assert "okta" in listing and "entra" in listing and secret not in listing
    assert run("revoke", "okta")[0].startswith("Revoked SCIM token 'okta'")
    revoked = client.get(f"{BASE}/Users", HTTP_AUTHORIZATION=f"Bearer {secret}")
    body = assert_scim_error(revoked, 401)
    assert "revoked" in body["detail"]
    assert "UTC" in [line for line in run("list") if line.startswith("okta")][0].split("  ")[-1]


def test_bad_command_input():
    with pytest.raises(CommandError, match="already exists"):
        run("create", "entra")
        run("create", "entra")
    with pytest.raises(CommandError, match="No SCIM token named 'nobody'"):
        run("revoke", "nobody")
    with pytest.raises(CommandError, match="Say what to do"):
        run()
    with pytest.raises(CommandError, match="needs a name"):
        run("create", " ")
    assert run("list")[0].startswith("name")


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer trscim_wrong", "Basic dXNlcjpwYXNz", "bearer nothing-like-ours"],
)
def test_no_or_wrong_token_is_401(client, scim_secret, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    for method, path in [
        ("get", "/Users"),
        ("post", "/Users"),
        ("get", "/Groups/00000000-0000-4000-8000-000000000000"),
        ("get", "/ServiceProviderConfig"),
        ("delete", "/Users/x"),
        ("get", "/nothing"),
    ]:
        response = getattr(client, method)(f"{BASE}{path}", **extra)
        assert_scim_error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_signed_in_session_is_not_a_token(client, scim_secret):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="someone", is_superuser=True))
    assert_scim_error(client.get(f"{BASE}/Users"), 401)

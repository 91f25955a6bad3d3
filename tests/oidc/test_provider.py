"""The OIDC test provider is a real provider and does what the sign-in tests rely on."""

import time

import pytest
import requests

from tests.oidc.conftest import (
    FAULT_KINDS,
    GROUP_ALL_STAFF,
    GROUP_EDITORS,
    PASSWORD,
    SUB_EDITOR1,
)
from tests.oidc.rp import (
    IdTokenRejected,
    exchange_code,
    forms_of,
    sign_in,
    unverified_parts,
    verify_id_token,
)
from tests.services import tcp_reachable

pytestmark = pytest.mark.integration


def signed_in_tokens(provider, username="editor1", password=PASSWORD, **kwargs):
    flow = sign_in(provider, username, password, **kwargs)
    assert flow.code, flow.params or flow.page
    response = exchange_code(provider, flow)
    assert response.status_code == 200, response.text
    return flow, response.json()


def verify(provider, flow, tokens):
    return verify_id_token(
        tokens["id_token"],
        provider.jwks(),
        issuer=provider.issuer,
        audience=provider.client_id,
        nonce=flow.nonce,
    )


def test_discovery_advertises_the_endpoints_the_portal_needs(oidc_provider):
    discovery = oidc_provider.discovery()
    assert discovery["issuer"] == oidc_provider.issuer
    for endpoint in ("authorization", "token", "userinfo", "end_session"):
        assert discovery[f"{endpoint}_endpoint"].startswith(oidc_provider.issuer + "/")
    assert discovery["jwks_uri"].startswith(oidc_provider.issuer + "/")
    assert "S256" in discovery["code_challenge_methods_supported"]
    assert "RS256" in discovery["id_token_signing_alg_values_supported"]
    assert {"openid", "email", "profile"} <= set(discovery["scopes_supported"])
    assert "groups" in discovery["claims_supported"]
    keys = oidc_provider.jwks()["keys"]
    assert keys and all("d" not in key for key in keys), "the JWKS must publish public keys only"


def test_code_flow_with_pkce_gives_a_verified_id_token_with_groups(oidc_provider):
    flow, tokens = signed_in_tokens(oidc_provider)
    assert flow.params["state"] == flow.state
    assert flow.params["iss"] == oidc_provider.issuer
    claims = verify(oidc_provider, flow, tokens)
    assert claims["sub"] == SUB_EDITOR1
    assert claims["groups"] == [GROUP_EDITORS]
    assert claims["email"] == "erin.editor@example.ac.uk"
    assert claims["email_verified"] is True
    assert (claims["given_name"], claims["family_name"]) == ("Erin", "Editor")
    assert "password" not in claims

    userinfo = requests.get(
        oidc_provider.discovery()["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=5,
    )
    assert userinfo.status_code == 200, userinfo.text
    assert userinfo.json()["groups"] == [GROUP_EDITORS]
    assert userinfo.json()["sub"] == SUB_EDITOR1


def test_pkce_is_required_and_checked(oidc_provider):
    without = sign_in(oidc_provider, "editor1", PASSWORD, pkce=False)
    assert without.error == "invalid_request", without.params or without.page
    assert "PKCE" in without.params["error_description"]

    flow = sign_in(oidc_provider, "editor1", PASSWORD)
    wrong = exchange_code(oidc_provider, flow, code_verifier="x" * 50)
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"


def test_wrong_password_shows_the_login_form_again(oidc_provider):
    flow = sign_in(oidc_provider, "editor1", "not the password")
    assert flow.code is None
    assert "Wrong username or password" in flow.page
    assert "University SSO (test provider)" in flow.page
    assert '<label for="username">Username</label>' in flow.page
    assert '<label for="password">Password</label>' in flow.page
    assert ">Sign in</button>" in flow.page


def test_the_accounts_file_is_read_at_every_sign_in(oidc):
    oidc.set_groups("editor1", [GROUP_EDITORS, GROUP_ALL_STAFF])
    flow, tokens = signed_in_tokens(oidc)
    assert verify(oidc, flow, tokens)["groups"] == [GROUP_EDITORS, GROUP_ALL_STAFF]

    oidc.set_account("visitor1", given_name="Vic", name="Vic Visitor", groups=["guests"])
    flow, tokens = signed_in_tokens(oidc, "visitor1")
    assert verify(oidc, flow, tokens)["groups"] == ["guests"]

    oidc.remove_account("editor1")
    gone = sign_in(oidc, "editor1", PASSWORD)
    assert gone.code is None
    assert "Wrong username or password" in gone.page


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_each_fault_spoils_the_next_id_token_only(oidc, kind):
    oidc.fault(kind)
    flow, tokens = signed_in_tokens(oidc)
    with pytest.raises(IdTokenRejected) as rejected:
        verify(oidc, flow, tokens)
    expected = {
        "bad-signature": "signature",
        "wrong-audience": "audience",
        "expired": "expired",
        "wrong-issuer": "issuer",
        "wrong-nonce": "nonce",
    }[kind]
    assert rejected.value.reason == expected
    header, claims = unverified_parts(tokens["id_token"])
    assert header["kid"] == oidc.jwks()["keys"][0]["kid"]
    if kind == "expired":
        assert claims["exp"] < time.time() - 3000
        assert claims["iat"] < claims["exp"]

    flow, tokens = signed_in_tokens(oidc)
    assert verify(oidc, flow, tokens)["sub"] == SUB_EDITOR1


def test_an_unknown_fault_is_refused(oidc_provider):
    with pytest.raises(requests.HTTPError):
        oidc_provider.fault("gremlins")


def test_rp_initiated_logout_confirms_itself_and_returns_to_the_client(oidc_provider):
    flow, tokens = signed_in_tokens(oidc_provider)
    again = sign_in(oidc_provider, None, None, session=flow.session)
    assert again.code, "a second sign-in in the same browser needs no password"

    end_session = oidc_provider.discovery()["end_session_endpoint"]
    post_logout = oidc_provider.post_logout_redirect_uris[0]
    page = flow.session.get(
        end_session,
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": post_logout,
            "state": "bye",
        },
        timeout=5,
    )
    assert page.status_code == 200
    assert "form.submit()" in page.text, "the browser confirms the sign-out by itself"
    (form,) = [f for f in forms_of(page.text) if f["id"] == "op.logoutForm"]
    confirmed = flow.session.post(
        requests.compat.urljoin(page.url, form["action"]),
        data={**form["fields"], "logout": "yes"},
        allow_redirects=False,
        timeout=5,
    )
    assert confirmed.status_code == 303
    assert confirmed.headers["Location"] == f"{post_logout}?state=bye"

    after = sign_in(oidc_provider, None, None, session=flow.session)
    assert after.code is None and "Password" in after.page, "signed out at the provider"


def test_rotate_keys_publishes_and_signs_with_the_new_key_only(oidc_provider):
    old_kids = {key["kid"] for key in oidc_provider.jwks()["keys"]}
    new_kid = oidc_provider.rotate_keys()
    assert [key["kid"] for key in oidc_provider.jwks()["keys"]] == [new_kid]
    assert new_kid not in old_kids
    flow, tokens = signed_in_tokens(oidc_provider)
    assert unverified_parts(tokens["id_token"])[0]["kid"] == new_kid
    assert verify(oidc_provider, flow, tokens)["sub"] == SUB_EDITOR1


def test_stop_makes_the_provider_unreachable_until_start(oidc):
    oidc.stop()
    assert not tcp_reachable(oidc.issuer, oidc.port)
    oidc.start()
    assert oidc.discovery()["issuer"] == oidc.issuer


def test_ensure_client_registers_a_redirect_uri_and_restarts_only_on_change(oidc_provider):
    callback = "http://127.0.0.1:8765/oidc/callback/"
    oidc_provider.ensure_client(callback, "http://127.0.0.1:8765/")
    process = oidc_provider.process
    oidc_provider.ensure_client(callback, "http://127.0.0.1:8765/")
    assert oidc_provider.process is process, "no restart when nothing changed"
    flow, tokens = signed_in_tokens(oidc_provider, redirect_uri=callback)
    assert verify(oidc_provider, flow, tokens)["sub"] == SUB_EDITOR1
    unregistered = sign_in(
        oidc_provider, "editor1", PASSWORD, redirect_uri="http://127.0.0.1:8765/elsewhere/"
    )
    assert unregistered.code is None
    assert "redirect_uri did not match" in unregistered.page

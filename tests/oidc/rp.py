"""A minimal relying party, to test the OIDC test provider itself without the portal.

``sign_in(provider, username, password)`` drives the authorization-code flow with PKCE through
``requests`` as a browser would (authorize, login form, redirects) and stops at the client's
redirect URI; ``exchange_code`` redeems the code; ``verify_id_token`` checks an ID token
against a JWKS as an RP must (RS256 signature, iss, aud, exp, nonce) and says which check
failed. The RS256 check is plain Python (RSASSA-PKCS1-v1_5 with SHA-256, RFC 8017 8.2.2): the
test environment has neither PyJWT nor cryptography.
"""

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

# DER prefix of DigestInfo for SHA-256 (RFC 8017, 9.2 note 1).
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url_encode(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode("ascii")


def rs256_valid(jwk: dict, signing_input: bytes, signature: bytes) -> bool:
    n = int.from_bytes(b64url_decode(jwk["n"]), "big")
    e = int.from_bytes(b64url_decode(jwk["e"]), "big")
    size = (n.bit_length() + 7) // 8
    if len(signature) != size or int.from_bytes(signature, "big") >= n:
        return False
    decoded = pow(int.from_bytes(signature, "big"), e, n).to_bytes(size, "big")
    digest = SHA256_DIGEST_INFO + hashlib.sha256(signing_input).digest()
    expected = b"\x00\x01" + b"\xff" * (size - len(digest) - 3) + b"\x00" + digest
    return hmac.compare_digest(decoded, expected)


class IdTokenRejected(Exception):
    """``reason`` is one of: alg, kid, signature, issuer, audience, expired, nonce."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def unverified_parts(token: str) -> tuple[dict, dict]:
    header, payload, _ = token.split(".")
    return json.loads(b64url_decode(header)), json.loads(b64url_decode(payload))


def verify_id_token(
    token: str, jwks: dict, *, issuer: str, audience: str, nonce: str | None, leeway: int = 30
) -> dict:
    header_b64, payload_b64, signature_b64 = token.split(".")
    header, claims = unverified_parts(token)
    if header.get("alg") != "RS256":
        raise IdTokenRejected("alg", str(header.get("alg")))
    key = next((k for k in jwks["keys"] if k.get("kid") == header.get("kid")), None)
    if key is None:
        raise IdTokenRejected("kid", f"{header.get('kid')} is not in the JWKS")
    signing_input = f"{header_b64}.{payload_b64}".encode("ascii")
    if not rs256_valid(key, signing_input, b64url_decode(signature_b64)):
        raise IdTokenRejected("signature")
    if claims.get("iss") != issuer:
        raise IdTokenRejected("issuer", str(claims.get("iss")))
    audiences = claims.get("aud")
    audiences = audiences if isinstance(audiences, list) else [audiences]
    if audience not in audiences:
        raise IdTokenRejected("audience", str(claims.get("aud")))
    if not isinstance(claims.get("exp"), int) or claims["exp"] + leeway < time.time():
        raise IdTokenRejected("expired", str(claims.get("exp")))
    if nonce is not None and claims.get("nonce") != nonce:
        raise IdTokenRejected("nonce", str(claims.get("nonce")))
    return claims


class _Forms(HTMLParser):
    """The forms of a page: action, method and the named inputs' values."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action", ""),
                    "method": attrs.get("method", "get"),
                    "id": attrs.get("id"),
                    "fields": {},
                }
            )
        elif tag == "input" and self.forms and attrs.get("name"):
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value") or ""


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


@dataclass
class SignIn:
    """Where a sign-in ended: at the redirect URI (``code``, ``state``, ``error`` from its
    query) or on a provider page (``page``: the last HTML seen)."""

    redirect_uri: str
    state: str
    nonce: str
    code_verifier: str
    session: requests.Session
    params: dict = field(default_factory=dict)
    page: str = ""

    @property
    def code(self) -> str | None:
        return self.params.get("code")

    @property
    def error(self) -> str | None:
        return self.params.get("error")


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    return verifier, b64url_encode(hashlib.sha256(verifier.encode("ascii")).digest())


def sign_in(
    provider,
    username: str | None,
    password: str | None,
    *,
    session: requests.Session | None = None,
    scope: str = "openid email profile",
    redirect_uri: str | None = None,
    pkce: bool = True,
) -> SignIn:
    """Authorize, sign in on the login page if it appears, and follow redirects until the
    client's redirect URI (not requested) or a page that is not the login form."""
    session = session or requests.Session()
    redirect_uri = redirect_uri or provider.redirect_uris[0]
    verifier, challenge = pkce_pair()
    flow = SignIn(
        redirect_uri, secrets.token_urlsafe(16), secrets.token_urlsafe(16), verifier, session
    )
    params = {
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": scope,
        "state": flow.state,
        "nonce": flow.nonce,
    }
    if pkce:
        params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    response = session.get(
        provider.discovery()["authorization_endpoint"],
        params=params,
        allow_redirects=False,
        timeout=10,
    )
    signed_in = False
    for _ in range(10):
        if response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if location.startswith(redirect_uri):
                flow.params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
                return flow
            response = session.get(location, allow_redirects=False, timeout=10)
            continue
        flow.page = response.text
        login = [f for f in forms_of(response.text) if "password" in f["fields"]]
        if not login or signed_in or username is None:
            return flow
        signed_in = True
        response = session.post(
            urljoin(response.url, login[0]["action"]),
            data={"username": username, "password": password},
            allow_redirects=False,
            timeout=10,
        )
    raise AssertionError(f"too many redirects; last at {response.url}")


def exchange_code(provider, flow: SignIn, *, code_verifier: str | None = None) -> requests.Response:
    data = {
        "grant_type": "authorization_code",
        "code": flow.code,
        "redirect_uri": flow.redirect_uri,
        "code_verifier": code_verifier or flow.code_verifier,
    }
    auth = None
    if provider.token_endpoint_auth_method == "client_secret_basic":
        auth = (provider.client_id, provider.client_secret)
    else:
        data |= {"client_id": provider.client_id, "client_secret": provider.client_secret}
    return requests.post(provider.discovery()["token_endpoint"], data=data, auth=auth, timeout=10)

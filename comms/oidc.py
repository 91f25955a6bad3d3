"""Sign-in with the institution's OpenID Connect provider, through Authlib's Django client.

Authlib does the protocol: discovery (``OIDC_ISSUER``/.well-known/openid-configuration), the
authorization code flow with PKCE (S256), ``state`` and ``nonce`` kept in the session, the code
exchanged for tokens, and the ID token checked: its signature against the provider's JWKS
(fetched again when a token names a key it does not know, so the provider may rotate keys),
the issuer, the audience (our client id), the nonce, expiry and issue time, with
``OIDC_CLOCK_SKEW`` seconds of clock difference allowed. What the claims mean for the portal
(who the person is, their roles) is ``comms.services.identities``; the views are
``comms.signin_views``.

``signin_failure`` turns whatever went wrong into one of ``FAILURES``: the page a person sees
(never a traceback) and what the log says.
"""

import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from joserfc.errors import (
    BadSignatureError,
    DecodeError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)

logger = logging.getLogger(__name__)

# Discovery is read again after this long, so a provider's changed endpoints are picked up.
METADATA_MAX_AGE = 3600

_client = None
_client_key = None


def oidc_enabled() -> bool:
    return bool(settings.OIDC_ISSUER)


def discovery_url() -> str:
    return f"{settings.OIDC_ISSUER}/.well-known/openid-configuration"


def oidc_client(*, fresh: bool = False):
    """The Authlib client for the configured provider (one per process; made again when the
    settings change). Its discovery document is read again after METADATA_MAX_AGE, or at once
    with ``fresh`` (each sign-in starts so: a provider that cannot be reached is a page of the
    portal, not the browser's connection error); the JWKS it fetched is kept either way."""
    global _client, _client_key
    key = (
        settings.OIDC_ISSUER,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
        settings.OIDC_TIMEOUT,
    )
    if _client is None or _client_key != key:
        oauth = OAuth()
        _client = oauth.register(
            "portal",
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            server_metadata_url=discovery_url(),
            client_kwargs={
                "scope": settings.OIDC_SCOPES,
                "code_challenge_method": "S256",
                "timeout": settings.OIDC_TIMEOUT,
            },
        )
        _client_key = key
    metadata = _client.server_metadata
    loaded_at = metadata.get("_loaded_at")
    if loaded_at is not None and (fresh or time.time() - loaded_at > METADATA_MAX_AGE):
        jwks = metadata.get("jwks")
        metadata.clear()
        if jwks:
            metadata["jwks"] = jwks
    return _client


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs) -> None:
    """A changed OIDC_ setting (tests) makes a new client, with no discovery read yet."""
    global _client, _client_key
    if setting.startswith("OIDC_"):
        _client = _client_key = None


def claims_options() -> dict:
    """What the ID token must say: our provider as issuer, our client id in the audience."""
    return {
        "iss": {"essential": True, "value": settings.OIDC_ISSUER},
        "aud": {"essential": True, "value": settings.OIDC_CLIENT_ID},
    }


def provider_metadata() -> dict:
    return oidc_client().load_server_metadata()


@dataclass(frozen=True)
class Failure:
    """A sign-in that did not happen: the page's title and text, and its HTTP status."""

    code: str
    title: str
    text: str
    status: int


def _failures() -> dict[str, Failure]:
    name = settings.OIDC_PROVIDER_NAME
    again = "Go back to the sign-in page and try again."
    answer = (
        f"The answer from {name} could not be trusted, so you have not been signed in. {again} "
        "If it happens again, tell the IT service desk the time and this message."
    )
    return {
        failure.code: failure
        for failure in (
            Failure(
                "state",
                "Sign-in did not start here",
                "This sign-in was not started from the portal, was already used, or took too "
                f"long. {again}",
                400,
            ),
            Failure("signature", "Sign-in could not be checked", answer, 400),
            Failure("claims", "Sign-in could not be checked", answer, 400),
            Failure(
                "expired",
                "Sign-in has expired",
                f"The answer from {name} had expired before it reached the portal (check that "
                f"the server's clock is right if this keeps happening). {again}",
                400,
            ),
            Failure(
                "provider-error",
                f"{name} did not sign you in",
                f"{name} answered that sign-in was cancelled or refused. {again}",
                400,
            ),
            Failure(
                "unreachable",
                f"{name} cannot be reached",
                f"The portal cannot reach {name} at the moment, so nobody can sign in with it. "
                "Try again in a few minutes; if it lasts, tell the IT service desk.",
                502,
            ),
            Failure(
                "disabled",
                "Your portal account is disabled",
                "Your account on the Trusted Research portal has been disabled. Ask the research "
                "office if you think this is wrong.",
                403,
            ),
            Failure(
                "no-role",
                "You have no role on this portal",
                f"You signed in with {name}, but you are in none of the groups that give access "
                "to the Trusted Research portal. Ask the research office to add you.",
                403,
            ),
            Failure(
                "no-identity",
                "Sign-in could not be completed",
                f"{name} did not say who you are (no subject identifier). Tell the IT service "
                "desk: the portal's registration with the identity provider needs fixing.",
                400,
            ),
            Failure(
                "not-configured",
                "Single sign-on is not set up",
                "This portal does not sign in with an identity provider. Sign in with your "
                "portal username and password.",
                404,
            ),
        )
    }


def failure(code: str) -> Failure:
    return _failures()[code]


def signin_failure(exc: Exception) -> Failure:
    """The failure a callback exception stands for (logged with its detail, which the page
    does not show)."""
    if isinstance(exc, MismatchingStateError):
        code = "state"
    elif isinstance(exc, OAuthError):
        code = "provider-error"
    elif isinstance(exc, ExpiredTokenError):
        code = "expired"
    elif isinstance(exc, BadSignatureError | InvalidKeyIdError | DecodeError):
        code = "signature"
    elif isinstance(exc, InvalidClaimError | MissingClaimError | JoseError):
        code = "claims"
    elif isinstance(exc, requests.RequestException):
        code = "unreachable"
    else:
        raise exc
    logger.warning("OpenID Connect sign-in refused (%s): %r", code, exc)
    return failure(code)

"""Bearer tokens for SCIM provisioning (``directory.models.ScimToken``).

A token is ``trscim_`` followed by 43 URL-safe random characters (256 bits). Only its SHA-256
is stored, so a token is found by the hash of what the client presents (an indexed equality
on a value the client cannot choose: no timing side channel on the secret itself).
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from directory.models import ScimToken

TOKEN_PREFIX = "trscim_"
# last_used_at is written at most this often per token: one UPDATE per request would double
# the writes of a provisioning cycle for a figure that only needs to be roughly right.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ScimTokenError(Exception):
    """A token operation that cannot be done; the message says why, for the operator."""


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def scim_token_create(*, name: str) -> tuple[ScimToken, str]:
    """Create the token ``name`` and return it with its secret (the only time it is known).

    Raises ``ScimTokenError`` if the name is empty or already taken (revoked tokens keep
    their name, so a log line naming a token always means one token)."""
    name = name.strip()
    if not name:
        raise ScimTokenError("A token needs a name, e.g. 'entra' or 'okta'.")
    if ScimToken.objects.filter(name=name).exists():
        raise ScimTokenError(f"A SCIM token named '{name}' already exists; choose another name.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            token = ScimToken.objects.create(name=name, token_hash=token_hash(secret))
    except IntegrityError as exc:
        raise ScimTokenError(f"A SCIM token named '{name}' already exists.") from exc
    return token, secret


def scim_token_revoke(*, name: str) -> ScimToken:
    """Revoke the token ``name`` from now on. Idempotent for a revoked token (its first
    revocation time is kept); raises ``ScimTokenError`` for an unknown name."""
    token = ScimToken.objects.filter(name=name).first()
    if token is None:
        raise ScimTokenError(f"No SCIM token named '{name}' (see: manage.py scim_token list).")
    if token.revoked_at is None:
        ScimToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token.refresh_from_db()
    return token


def scim_token_authenticate(*, secret: str) -> ScimToken | None:
    """The unrevoked token whose secret this is, or None. Records its use (to the minute)."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ScimToken.objects.filter(token_hash=token_hash(secret), revoked_at__isnull=True).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ScimToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token

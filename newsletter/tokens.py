"""Signed unsubscribe tokens: one per subscriber and list, no database row needed.

The token is the authority for the unsubscribe views (no sign-in, no CSRF token for RFC 8058
one-click), so it is signed with the site's SECRET_KEY and a salt of its own.
"""

import re

from django.core import signing
from django.urls import reverse

from newsletter.rendering import base_url

SALT = "newsletter.unsubscribe"
# What a signed token is made of (URL-safe base64 and the signer's ":"): no character that
# ``reverse`` would escape, so a URL can be put together around it.
TOKEN_CHARACTERS = re.compile(r"^[A-Za-z0-9_\-:]+$")


def unsubscribe_token(*, subscriber_id: int, list_id: int) -> str:
    """Deterministic: the same subscriber and list always give the same token."""
    return signing.Signer(salt=SALT).sign_object([subscriber_id, list_id])


def unsubscribe_token_read(token: str) -> tuple[int, int]:
    """(subscriber id, list id); raises ``signing.BadSignature`` if tampered or malformed."""
    try:
        subscriber_id, list_id = signing.Signer(salt=SALT).unsign_object(token)
        return int(subscriber_id), int(list_id)
    except (TypeError, ValueError) as exc:
        raise signing.BadSignature("malformed token") from exc


def unsubscribe_url(*, subscriber_id: int, list_id: int) -> str:
    token = unsubscribe_token(subscriber_id=subscriber_id, list_id=list_id)
    return base_url() + reverse("newsletter_unsubscribe", args=[token])


def unsubscribe_url_around(probe: str) -> tuple[str, str]:
    """The unsubscribe URL's text before and after its token (``probe`` must be made of
    TOKEN_CHARACTERS): ``prefix + token + suffix`` is ``unsubscribe_url`` for that token."""
    url = base_url() + reverse("newsletter_unsubscribe", args=[probe])
    prefix, suffix = url.split(probe)
    return prefix, suffix

"""Signed tokens in a mailed issue, no database row needed.

- Unsubscribe tokens: one per subscriber and list. The token is the authority for the
  unsubscribe views (no sign-in, no CSRF token for RFC 8058 one-click), so it is signed with
  the site's SECRET_KEY and a salt of its own.
- Click keys: one per delivery, shared by all the links of its message (each link adds its
  position, ``/newsletters/c/<key>/<position>/``): one HMAC per recipient, not per link. The
  key names the send and the delivery; its signature stops anyone making up keys (counts
  cannot be inflated for other people's deliveries, nor a per-person record forged).
"""

import base64
import re

from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from newsletter.rendering import base_url

SALT = "newsletter.unsubscribe"
CLICK_SALT = "newsletter.click"
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


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _click_signature(value: str) -> str:
    # 96 bits of HMAC-SHA256: 16 URL-safe characters.
    digest = salted_hmac(CLICK_SALT, value, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:12]).decode("ascii")


def click_key(*, send_id: int, delivery_id: int) -> str:
    """``<send>.<delivery>.<signature>`` (ids in base 36): deterministic, made of
    TOKEN_CHARACTERS and "."."""
    value = f"{_base36(send_id)}.{_base36(delivery_id)}"
    return f"{value}.{_click_signature(value)}"


def click_key_read(key: str) -> tuple[int, int]:
    """(send id, delivery id); raises ``signing.BadSignature`` if tampered or malformed."""
    send, _, rest = key.partition(".")
    delivery, _, signature = rest.partition(".")
    value = f"{send}.{delivery}"
    if not (send and delivery and signature) or len(key) > 64:
        raise signing.BadSignature("malformed click key")
    if not constant_time_compare(signature, _click_signature(value)):
        raise signing.BadSignature("click key signature does not match")
    try:
        return int(send, 36), int(delivery, 36)
    except ValueError as exc:
        raise signing.BadSignature("malformed click key") from exc

"""DKIM signing of newsletter messages (dkimpy), for institutions whose relay does not sign.

On when ``NEWSLETTER_DKIM_DOMAIN`` is set (with ``NEWSLETTER_DKIM_SELECTOR`` and the private key,
``NEWSLETTER_DKIM_PRIVATE_KEY_FILE`` or ``NEWSLETTER_DKIM_PRIVATE_KEY``): every message a send
delivers gets a ``DKIM-Signature`` (rsa-sha256, relaxed/relaxed) over its body and the headers
below, the one-click unsubscribe headers among them (RFC 8058 asks for them to be signed). The
public key goes in DNS at ``<selector>._domainkey.<domain>`` (docs: Lists and sending).

dkimpy's RSA is pure Python: signing costs a few milliseconds a message
(``bench/engine_cpu_bench.py`` measures the engine with it), far below any relay's rate limit.
"""

from functools import lru_cache
from pathlib import Path

from django.conf import settings

import dkim

SIGNED_HEADERS = (
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"reply-to",
    b"list-id",
    b"list-unsubscribe",
    b"list-unsubscribe-post",
    b"mime-version",
    b"content-type",
)


def dkim_enabled() -> bool:
    return bool(settings.NEWSLETTER_DKIM_DOMAIN)


@lru_cache(maxsize=4)
def _private_key(path: str, inline: str) -> bytes:
    return Path(path).read_bytes() if path else inline.encode()


def dkim_sign(message: bytes) -> bytes:
    """``message`` (CRLF line ends, not dot-stuffed) with its DKIM-Signature header first."""
    key = _private_key(
        settings.NEWSLETTER_DKIM_PRIVATE_KEY_FILE, settings.NEWSLETTER_DKIM_PRIVATE_KEY
    )
    signature = dkim.sign(
        message,
        settings.NEWSLETTER_DKIM_SELECTOR.encode(),
        settings.NEWSLETTER_DKIM_DOMAIN.encode(),
        key,
        include_headers=list(SIGNED_HEADERS),
        canonicalize=(b"relaxed", b"relaxed"),
        linesep=b"\r\n",
    )
    return signature + message

"""A real IMAP server per test (``tests/newsletter/bounces/dovecot.py``): the bounce mailbox
``bounces@example.ac.uk``, empty, and the portal's settings pointing at it.

``mailbox``: the running server, with ``append(raw)``, ``folders()`` (name -> message count),
``messages(folder)`` ((raw, flags) oldest first), ``subscribed()``, ``kill()`` and ``start()``.
``imaps_mailbox``: the same over imaps:// with a certificate from a private CA
(``imaps_mailbox.ca_file``); the settings point at it without BOUNCE_IMAP_CA_FILE. Without
Dovecot the tests fail in CI and skip elsewhere, naming "Dovecot (IMAP)".

``message(name)``: a fixture message from ``messages/`` (CRLF line ends, as on the wire), also
the bounce parser's test material. The portal's Message-IDs are ``<newsletter.<send
id>.<delivery id>@example.ac.uk>`` (``newsletter.messages.message_id``):

- ``postfix-dsn-user-unknown.eml``: Postfix's RFC 3464 report (multipart/report;
  report-type=delivery-status), Status 5.1.1 from the remote MX, with the original's headers
  (text/rfc822-headers); send 12, delivery 345. Modelled on Postfix's bounce(8) template and
  real reports (sisimai/set-of-emails, lhost-postfix-*.eml).
- ``office365-ndr-recipient-not-found.eml``: Exchange Online's non-delivery report ("Delivery
  has failed to these recipients or groups", 550 5.1.10 RESOLVER.ADR.RecipientNotFound) with
  its message/delivery-status (Status 5.1.10) and text/rfc822-headers; delivery 346. Modelled
  on sisimai/set-of-emails lhost-office365-01.eml and Microsoft's NDR documentation.
- ``gmail-dsn-address-not-found.eml``: Gmail's "Address not found" report from
  mailer-daemon@googlemail.com, Status 5.1.1, with the whole original (message/rfc822);
  delivery 347. Modelled on sisimai/set-of-emails rfc3464-63.eml (the HTML part's icon left out).
- ``arf-complaint-yahoo.eml``: an RFC 5965 feedback report (multipart/report;
  report-type=feedback-report; Feedback-Type: abuse) from a mailbox provider's feedback loop,
  with the original; delivery 348. Fields as in RFC 5965 appendix B.
- ``auto-reply-out-of-office.eml``: Outlook's "Automatic reply" (Auto-Submitted:
  auto-generated, In-Reply-To our message; delivery 349): not a bounce.
"""

from pathlib import Path

import pytest

from tests.newsletter.bounces import dovecot
from tests.services import service_unavailable

MESSAGES = Path(__file__).parent / "messages"


def message(name: str) -> bytes:
    return (MESSAGES / name).read_bytes()


def _started_dovecot(workdir, **options) -> dovecot.Dovecot:
    if dovecot.dovecot_binary() is None:
        service_unavailable(
            "Dovecot (IMAP)", "dovecot not found; make mail-deps installs dovecot-imapd"
        )
    server = dovecot.Dovecot(workdir, **options)
    try:
        server.start()
    except BaseException:
        server.cleanup()
        raise
    return server


def _point_settings_at(settings, server: dovecot.Dovecot) -> None:
    settings.BOUNCE_IMAP_URL = server.url
    settings.BOUNCE_IMAP_TIMEOUT = 5
    settings.BOUNCE_IMAP_CA_FILE = ""


@pytest.fixture
def mailbox(tmp_path, settings):
    """The bounce mailbox on a fresh Dovecot, and the settings pointing at it."""
    server = _started_dovecot(tmp_path / "dovecot")
    _point_settings_at(settings, server)
    yield server
    server.cleanup()


@pytest.fixture
def mailbox_without_move(tmp_path, settings):
    """As ``mailbox``, on a server that does not announce MOVE (clients copy and expunge)."""
    server = _started_dovecot(tmp_path / "dovecot", move=False)
    _point_settings_at(settings, server)
    yield server
    server.cleanup()


@pytest.fixture
def imaps_mailbox(tmp_path, settings):
    server = _started_dovecot(tmp_path / "dovecot", tls=True)
    _point_settings_at(settings, server)
    yield server
    server.cleanup()


@pytest.fixture
def oauth_mailbox(tmp_path, settings):
    """The bounce mailbox opened as on Exchange Online: an OAuth 2.0 token from a loopback
    token server (``oauth_mailbox.tokens``, a ``dovecot.TokenServer``) and SASL XOAUTH2; the
    settings give the token URL, the client id and secret, and no password."""
    tokens = dovecot.TokenServer()
    try:
        server = _started_dovecot(tmp_path / "dovecot", oauth=tokens.introspection_url)
    except BaseException:
        tokens.stop()
        raise
    _point_settings_at(settings, server)
    settings.BOUNCE_IMAP_URL = f"imap://bounces%40example.ac.uk@127.0.0.1:{server.port}/INBOX"
    settings.BOUNCE_IMAP_OAUTH_TOKEN_URL = tokens.token_url
    settings.BOUNCE_IMAP_OAUTH_CLIENT_ID = tokens.client_id
    settings.BOUNCE_IMAP_OAUTH_CLIENT_SECRET = tokens.client_secret
    settings.BOUNCE_IMAP_OAUTH_SCOPE = "https://outlook.office365.com/.default"
    server.tokens = tokens
    yield server
    server.cleanup()
    tokens.stop()

"""The bounce mailbox: read over IMAP, each message handed to the bounce parser, then filed.

The mailbox is BOUNCE_IMAP_URL (Exchange Online, or any IMAP server), opened with its password
or, with BOUNCE_IMAP_OAUTH_TOKEN_URL, an OAuth 2.0 token (Exchange Online). A poll reads the
messages of its folder (INBOX) that are not flagged deleted, oldest first, without marking them
seen (``BODY.PEEK[]``), and moves each one the parser took to the folder ``Processed``, or to
``Review`` when the parser did not understand it (a person looks there). Both folders are
created, and subscribed, when missing.

Guarantees:

- Nothing is deleted that was not first copied: with the MOVE capability the server moves the
  message in one command; without it the message is copied, then flagged deleted, then
  expunged by its UID alone (UIDPLUS); a server without UIDPLUS keeps it flagged deleted, which
  a poll skips.
- A message the parser raised for stays where it was, unseen, counted as failed, and is tried
  again at the next poll; the poll goes on with the next message.
- A dropped connection stops the poll and says so (``PollReport.interrupted``): messages already
  filed stay filed, the others stay in the mailbox for the next poll. The message being filed
  when the connection dropped may be handed to the parser again then (the parser recognises a
  bounce it has already recorded).
- A server that cannot be reached, or refuses the login, raises ``BounceMailboxUnavailable``
  with a message saying which; nothing is read.
"""

import contextlib
import imaplib
import json
import logging
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.conf import settings

from trustedresearch.settings.env import ImapMailbox, imap_url_parse

logger = logging.getLogger(__name__)

PROCESSED_FOLDER = "Processed"
REVIEW_FOLDER = "Review"


class BounceMailboxUnavailable(Exception):
    """The mailbox could not be opened (server unreachable, TLS refused, login refused)."""


@dataclass
class PollReport:
    read: int = 0  # messages fetched and handed to the parser
    processed: int = 0  # understood, moved to Processed
    for_review: int = 0  # not understood, moved to Review
    failed: int = 0  # the parser raised: left in the mailbox, unseen
    interrupted: str = ""  # why the poll stopped early (the connection dropped), or ""

    def summary(self) -> str:
        text = (
            f"{self.read} read, {self.processed} processed, {self.for_review} for review, "
            f"{self.failed} failed"
        )
        return f"{text}; stopped: {self.interrupted}" if self.interrupted else text


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _connect(mailbox: ImapMailbox, *, timeout: int, ca_file: str) -> imaplib.IMAP4:
    where = f"{mailbox.host}:{mailbox.port}"
    try:
        if mailbox.tls:
            context = ssl.create_default_context(cafile=ca_file or None)
            conn = imaplib.IMAP4_SSL(
                mailbox.host, mailbox.port, ssl_context=context, timeout=timeout
            )
        else:
            conn = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)
    except ssl.SSLError as exc:
        raise BounceMailboxUnavailable(
            f"The bounce mailbox's server {where} was reached but TLS failed "
            f"({exc.reason or exc}); if its certificate is from a private CA, set "
            "BOUNCE_IMAP_CA_FILE."
        ) from exc
    except (OSError, imaplib.IMAP4.error) as exc:
        raise BounceMailboxUnavailable(
            f"The bounce mailbox's server {where} could not be reached ({exc})."
        ) from exc
    oauth = bool(settings.BOUNCE_IMAP_OAUTH_TOKEN_URL)
    if oauth:
        check = "that the app may read this mailbox (IMAP.AccessAsApp, mailbox permission)"
    else:
        check = "the user name and password in BOUNCE_IMAP_URL"
    try:
        if oauth:
            token = _oauth_token(timeout=timeout)
            # SASL XOAUTH2, as Exchange Online and Gmail take it.
            sasl = f"user={mailbox.user}\x01auth=Bearer {token}\x01\x01".encode()
            # A failed login answers with an error challenge, to which the client sends nothing.
            conn.authenticate("XOAUTH2", lambda challenge: b"" if challenge else sasl)
        else:
            conn.login(mailbox.user, mailbox.password)
    except imaplib.IMAP4.error as exc:
        _close(conn)
        detail = exc.args[0].decode() if isinstance(exc.args[0], bytes) else str(exc)
        raise BounceMailboxUnavailable(
            f"The bounce mailbox's server {where} refused the login of {mailbox.user!r} "
            f"({detail}); check {check}."
        ) from exc
    except BounceMailboxUnavailable:
        _close(conn)
        raise
    except OSError as exc:
        raise BounceMailboxUnavailable(
            f"The bounce mailbox's server {where} closed the connection at login ({exc})."
        ) from exc
    return conn


def _oauth_token(*, timeout: int) -> str:
    """An access token for the mailbox (OAuth 2.0 client credentials) from
    BOUNCE_IMAP_OAUTH_TOKEN_URL. A new one each poll: polls are minutes apart, tokens live an
    hour, and nothing needs storing."""
    url = settings.BOUNCE_IMAP_OAUTH_TOKEN_URL
    form = urlencode(
        {
            "grant_type": "client_credentials",
            "client_id": settings.BOUNCE_IMAP_OAUTH_CLIENT_ID,
            "client_secret": settings.BOUNCE_IMAP_OAUTH_CLIENT_SECRET,
            "scope": settings.BOUNCE_IMAP_OAUTH_SCOPE,
        }
    ).encode()
    request = urllib.request.Request(url, data=form, method="POST")  # noqa: S310 (https, checked)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = json.load(response)
    except urllib.error.HTTPError as exc:
        try:
            answer = json.load(exc)
            detail = f"{answer.get('error')}: {answer.get('error_description', '')}".strip()
        except ValueError:
            detail = exc.reason
        raise BounceMailboxUnavailable(
            f"No access token for the bounce mailbox from {url} (HTTP {exc.code}, {detail}); "
            "check BOUNCE_IMAP_OAUTH_CLIENT_ID and BOUNCE_IMAP_OAUTH_CLIENT_SECRET."
        ) from exc
    except (OSError, ValueError) as exc:
        raise BounceMailboxUnavailable(
            f"No access token for the bounce mailbox from {url} ({exc})."
        ) from exc
    token = body.get("access_token") if isinstance(body, dict) else None
    if not token:
        raise BounceMailboxUnavailable(f"No access token for the bounce mailbox in {url}'s answer.")
    return token


def _close(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(OSError, imaplib.IMAP4.error):
        conn.logout()


def _capabilities(conn: imaplib.IMAP4) -> set[str]:
    """The capabilities after login (servers announce MOVE, UIDPLUS... only then)."""
    typ, data = conn.capability()
    words = b" ".join(item for item in data if item).decode(errors="replace").upper().split()
    return set(words) | {str(word).upper() for word in conn.capabilities}


def _check(result: tuple[str, list], what: str) -> list:
    typ, data = result
    if typ != "OK":
        detail = b" ".join(item for item in data if isinstance(item, bytes)).decode(
            errors="replace"
        )
        raise imaplib.IMAP4.error(f"{what}: {detail or typ}")
    return data


def _folders_ensure(conn: imaplib.IMAP4) -> None:
    for folder in (PROCESSED_FOLDER, REVIEW_FOLDER):
        typ, data = conn.list('""', _quoted(folder))
        if typ == "OK" and any(item for item in data if item):
            continue
        _check(conn.create(_quoted(folder)), f"CREATE {folder}")
        # Subscribed, so mail clients (Outlook) show it.
        conn.subscribe(_quoted(folder))
        logger.info("Bounce mailbox: created the folder %s", folder)


def _file(conn: imaplib.IMAP4, uid: bytes, folder: str, capabilities: set[str]) -> None:
    """Move one message (by UID) to ``folder``; never flags it deleted before the copy is made."""
    if "MOVE" in capabilities:
        _check(conn.uid("MOVE", uid, _quoted(folder)), f"MOVE {uid.decode()} {folder}")
        return
    _check(conn.uid("COPY", uid, _quoted(folder)), f"COPY {uid.decode()} {folder}")
    _check(conn.uid("STORE", uid, "+FLAGS.SILENT", r"(\Deleted)"), f"STORE {uid.decode()}")
    if "UIDPLUS" in capabilities:
        # This message only: a plain EXPUNGE would also remove what others flagged deleted.
        _check(conn.uid("EXPUNGE", uid), f"EXPUNGE {uid.decode()}")


def _fetch(conn: imaplib.IMAP4, uid: bytes) -> bytes | None:
    data = _check(conn.uid("FETCH", uid, "(BODY.PEEK[])"), f"FETCH {uid.decode()}")
    for item in data:
        if isinstance(item, tuple) and len(item) == 2:
            return item[1]
    return None  # expunged by someone else meanwhile


def bounce_mailbox_poll(
    *, process: Callable[..., Any] | None = None, limit: int = 500
) -> PollReport:
    """Read the bounce mailbox once (see the module's guarantees): at most ``limit`` messages,
    each handed to ``process(raw, source="imap")`` (default: the bounce parser,
    ``newsletter.services.bounces.bounce_process``, which answers with ``understood``) and
    filed. Safe to run twice or concurrently: two polls at once may hand a message to the parser
    twice (it recognises a bounce it has recorded), and it is filed once.
    Raises ImproperlyConfigured when BOUNCE_IMAP_URL is empty or malformed and
    BounceMailboxUnavailable when the mailbox cannot be opened."""
    mailbox = imap_url_parse(
        settings.BOUNCE_IMAP_URL, password_required=not settings.BOUNCE_IMAP_OAUTH_TOKEN_URL
    )
    conn = _connect(
        mailbox, timeout=settings.BOUNCE_IMAP_TIMEOUT, ca_file=settings.BOUNCE_IMAP_CA_FILE
    )
    if process is None:
        from newsletter.services.bounces import bounce_process as process
    report = PollReport()
    where = f"{mailbox.user} on {mailbox.host}"
    try:
        capabilities = _capabilities(conn)
        _folders_ensure(conn)
        _check(conn.select(_quoted(mailbox.mailbox)), f"SELECT {mailbox.mailbox}")
        uids = _check(conn.uid("SEARCH", None, "UNDELETED"), "SEARCH")[0].split()[:limit]
        for uid in uids:
            raw = _fetch(conn, uid)
            if raw is None:
                continue
            report.read += 1
            try:
                outcome = process(raw, source="imap")
            except Exception:
                logger.exception(
                    "Bounce mailbox: message UID %s failed; left in place", uid.decode()
                )
                report.failed += 1
                continue
            if outcome.understood:
                _file(conn, uid, PROCESSED_FOLDER, capabilities)
                report.processed += 1
            else:
                _file(conn, uid, REVIEW_FOLDER, capabilities)
                report.for_review += 1
        _close(conn)
    except (imaplib.IMAP4.abort, OSError) as exc:
        report.interrupted = f"the connection to {mailbox.host}:{mailbox.port} dropped ({exc})"
        logger.warning("Bounce mailbox %s: %s", where, report.summary())
        return report
    except imaplib.IMAP4.error as exc:
        report.interrupted = f"the server refused a command ({exc})"
        _close(conn)
        logger.warning("Bounce mailbox %s: %s", where, report.summary())
        return report
    logger.info("Bounce mailbox %s: %s", where, report.summary())
    return report

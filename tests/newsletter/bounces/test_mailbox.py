"""The bounce mailbox poll (newsletter/services/bounce_mailbox.py) against a real Dovecot.

The bounce parser is the poll's collaborator (``process``): here a small recording function
stands in for it, deciding "understood" by a marker in the message, so these tests are about
the mailbox; the real parser is tested on the same messages in its own tests, and together
with the poll in ``test_the_real_parser_files_the_fixture_messages``.
"""

import logging
from dataclasses import dataclass

import pytest

from newsletter.services.bounce_mailbox import (
    BounceMailboxUnavailable,
    PollReport,
    bounce_mailbox_poll,
)
from tests.newsletter.bounces.conftest import message
from tests.services import free_port

pytestmark = pytest.mark.integration  # a real Dovecot

FIXTURES = [
    "postfix-dsn-user-unknown.eml",
    "office365-ndr-recipient-not-found.eml",
    "gmail-dsn-address-not-found.eml",
    "arf-complaint-yahoo.eml",
    "auto-reply-out-of-office.eml",
]
OFFICE365 = b"<newsletter.12.346@example.ac.uk>"
AUTO_REPLY = b"Automatic reply:"


@dataclass
class Outcome:
    """What ``newsletter.services.bounces.bounce_process`` answers (its BounceOutcome)."""

    understood: bool
    kind: str
    detail: str


class Recorder:
    """Stands in for the parser: records each call; not understood when the message holds a
    ``not_understood`` marker; raises when it holds a ``raises`` marker; ``on_call(n)`` runs
    at the n-th call, before answering."""

    def __init__(self, *, not_understood=(), raises=(), on_call=None):
        self.calls: list[tuple[bytes, str]] = []
        self.not_understood = not_understood
        self.raises = raises
        self.on_call = on_call

    def __call__(self, raw: bytes, *, source: str) -> Outcome:
        self.calls.append((raw, source))
        if self.on_call:
            self.on_call(len(self.calls))
        if any(marker in raw for marker in self.raises):
            raise RuntimeError("the database went away")
        if any(marker in raw for marker in self.not_understood):
            return Outcome(False, "unknown", "not recognised")
        return Outcome(True, "hard", "recognised")


def fill(mailbox, names=FIXTURES) -> list[bytes]:
    raws = [message(name) for name in names]
    for raw in raws:
        mailbox.append(raw)
    return raws


def total(folders: dict[str, int]) -> int:
    return sum(folders.values())


def test_understood_messages_go_to_processed_the_others_to_review_and_none_is_lost(mailbox):
    raws = fill(mailbox)
    assert mailbox.folders() == {"INBOX": 5}
    process = Recorder(not_understood=[AUTO_REPLY])

    report = bounce_mailbox_poll(process=process)

    assert report == PollReport(read=5, processed=4, for_review=1, failed=0)
    # Handed over byte for byte, oldest first, as from the mailbox.
    assert process.calls == [(raw, "imap") for raw in raws]
    assert mailbox.folders() == {"INBOX": 0, "Processed": 4, "Review": 1}
    processed = mailbox.messages("Processed")
    review = mailbox.messages("Review")
    assert [raw for raw, _ in processed] == raws[:4]
    assert [raw for raw, _ in review] == raws[4:]
    # Read without being marked read, so a person sees Review's messages as new.
    assert all("\\Seen" not in flags for _, flags in processed + review)
    assert {"Processed", "Review"} <= mailbox.subscribed()


def test_a_second_poll_finds_nothing_new(mailbox):
    fill(mailbox, FIXTURES[:2])
    bounce_mailbox_poll(process=Recorder())
    again = Recorder()

    assert bounce_mailbox_poll(process=again) == PollReport()
    assert again.calls == []
    assert mailbox.folders() == {"INBOX": 0, "Processed": 2, "Review": 0}


def test_a_message_the_parser_raises_for_stays_unseen_and_the_others_go_on(mailbox, caplog):
    raws = fill(mailbox)

    report = bounce_mailbox_poll(process=Recorder(raises=[OFFICE365]))

    assert report == PollReport(read=5, processed=4, for_review=0, failed=1)
    assert mailbox.folders() == {"INBOX": 1, "Processed": 4, "Review": 0}
    [(left, flags)] = mailbox.messages("INBOX")
    assert left == raws[1]
    assert "\\Seen" not in flags and "\\Deleted" not in flags
    assert "failed; left in place" in caplog.text
    assert "RuntimeError: the database went away" in caplog.text

    # Tried again at the next poll.
    assert bounce_mailbox_poll(process=Recorder()) == PollReport(read=1, processed=1)
    assert mailbox.folders() == {"INBOX": 0, "Processed": 5, "Review": 0}


def test_a_poll_reads_at_most_limit_messages_oldest_first(mailbox):
    raws = fill(mailbox, FIXTURES[:3])
    process = Recorder()

    assert bounce_mailbox_poll(process=process, limit=2) == PollReport(read=2, processed=2)
    assert [raw for raw, _ in process.calls] == raws[:2]
    assert mailbox.folders()["INBOX"] == 1


def test_without_the_move_capability_messages_are_copied_then_expunged(mailbox_without_move):
    mailbox = mailbox_without_move
    conn = mailbox.client()
    assert "MOVE" not in conn.capability()[1][0].decode().split()
    conn.logout()
    raws = fill(mailbox, FIXTURES[:3])

    report = bounce_mailbox_poll(process=Recorder(not_understood=[OFFICE365]))

    assert report == PollReport(read=3, processed=2, for_review=1)
    # Expunged from INBOX (not merely flagged), one copy each in the folders.
    assert mailbox.folders() == {"INBOX": 0, "Processed": 2, "Review": 1}
    assert [raw for raw, _ in mailbox.messages("Review")] == [raws[1]]
    assert all("\\Deleted" not in flags for _, flags in mailbox.messages("Processed"))


def test_a_wrong_password_is_a_clear_error_and_nothing_moves(mailbox, settings):
    fill(mailbox, FIXTURES[:2])
    settings.BOUNCE_IMAP_URL = mailbox.url.replace(":mailbox-secret@", ":wrong@")
    process = Recorder()

    with pytest.raises(BounceMailboxUnavailable) as failure:
        bounce_mailbox_poll(process=process)

    assert str(failure.value).startswith(
        f"The bounce mailbox's server 127.0.0.1:{mailbox.port} refused the login of "
        "'bounces@example.ac.uk' ([AUTHENTICATIONFAILED] Authentication failed.)"
    )
    assert "check the user name and password in BOUNCE_IMAP_URL" in str(failure.value)
    assert "wrong" not in str(failure.value)
    assert process.calls == []
    assert mailbox.folders() == {"INBOX": 2}


def test_an_unreachable_server_is_a_clear_error(settings):
    port = free_port()  # nothing listens there
    settings.BOUNCE_IMAP_URL = f"imap://bounces:secret@127.0.0.1:{port}/INBOX"
    settings.BOUNCE_IMAP_TIMEOUT = 2

    with pytest.raises(BounceMailboxUnavailable) as failure:
        bounce_mailbox_poll(process=Recorder())

    assert str(failure.value).startswith(
        f"The bounce mailbox's server 127.0.0.1:{port} could not be reached ("
    )


def test_a_dropped_connection_stops_the_poll_and_the_next_poll_goes_on(mailbox, caplog):
    raws = fill(mailbox, FIXTURES[:3])

    def server_dies(call: int) -> None:
        if call == 2:  # the first message is filed; the server goes while the second is parsed
            mailbox.kill()

    caplog.set_level(logging.INFO, logger="newsletter.services.bounce_mailbox")
    report = bounce_mailbox_poll(process=Recorder(on_call=server_dies))

    assert report.read == 2 and report.processed == 1 and report.failed == 0
    assert report.interrupted.startswith(f"the connection to 127.0.0.1:{mailbox.port} dropped")
    assert "Bounce mailbox bounces@example.ac.uk on 127.0.0.1: 2 read, 1 processed" in caplog.text
    assert "stopped: the connection to" in caplog.text

    mailbox.start()
    assert mailbox.folders() == {"INBOX": 2, "Processed": 1, "Review": 0}
    assert [raw for raw, _ in mailbox.messages("Processed")] == raws[:1]
    assert all("\\Seen" not in flags for _, flags in mailbox.messages("INBOX"))

    # The second message is handed over again (the parser knows a bounce it has recorded).
    again = Recorder()
    assert bounce_mailbox_poll(process=again) == PollReport(read=2, processed=2)
    assert [raw for raw, _ in again.calls] == raws[1:]
    assert mailbox.folders() == {"INBOX": 0, "Processed": 3, "Review": 0}


def test_imaps_with_the_servers_private_ca(imaps_mailbox, settings):
    fill(imaps_mailbox, FIXTURES[:1])
    settings.BOUNCE_IMAP_CA_FILE = str(imaps_mailbox.ca_file)

    assert bounce_mailbox_poll(process=Recorder()) == PollReport(read=1, processed=1)
    assert imaps_mailbox.folders() == {"INBOX": 0, "Processed": 1, "Review": 0}


def test_imaps_refuses_a_certificate_it_cannot_verify(imaps_mailbox):
    fill(imaps_mailbox, FIXTURES[:1])

    with pytest.raises(BounceMailboxUnavailable) as failure:
        bounce_mailbox_poll(process=Recorder())

    assert "TLS failed (CERTIFICATE_VERIFY_FAILED)" in str(failure.value)
    assert "set BOUNCE_IMAP_CA_FILE" in str(failure.value)
    assert imaps_mailbox.folders() == {"INBOX": 1}


@pytest.mark.django_db
def test_the_real_parser_files_the_fixture_messages(mailbox):
    """With the bounce parser (newsletter.services.bounces): the automatic reply is understood
    (Processed); the bounces and the complaint name deliveries this database has never sent,
    so they are kept for a person (Review) and nothing is lost."""
    from newsletter.models import InboundMessage, Subscriber

    subscriber = Subscriber.objects.create(email="someone@example.org")
    fill(mailbox)

    report = bounce_mailbox_poll()

    assert (report.read, report.failed, report.interrupted) == (5, 0, "")
    assert (report.processed, report.for_review) == (1, 4)
    folders = mailbox.folders()
    assert folders == {"INBOX": 0, "Processed": 1, "Review": 4}
    assert [raw for raw, _ in mailbox.messages("Processed")] == [
        message("auto-reply-out-of-office.eml")
    ]
    assert InboundMessage.objects.filter(status="review").count() == 4
    assert Subscriber.objects.get(pk=subscriber.pk).status == "subscribed"


def test_an_oauth_token_opens_the_mailbox_as_on_exchange_online(oauth_mailbox):
    fill(oauth_mailbox, FIXTURES[:2])

    assert bounce_mailbox_poll(process=Recorder()) == PollReport(read=2, processed=2)
    assert oauth_mailbox.folders() == {"INBOX": 0, "Processed": 2, "Review": 0}
    # Client credentials, for Exchange Online's IMAP scope.
    [asked] = oauth_mailbox.tokens.requests
    assert asked == {
        "grant_type": "client_credentials",
        "client_id": "portal-bounces",
        "client_secret": "app-secret",
        "scope": "https://outlook.office365.com/.default",
    }


def test_a_refused_client_secret_is_a_clear_error(oauth_mailbox, settings):
    fill(oauth_mailbox, FIXTURES[:1])
    settings.BOUNCE_IMAP_OAUTH_CLIENT_SECRET = "expired"

    with pytest.raises(BounceMailboxUnavailable) as failure:
        bounce_mailbox_poll(process=Recorder())

    assert str(failure.value) == (
        f"No access token for the bounce mailbox from {oauth_mailbox.tokens.token_url} "
        "(HTTP 401, invalid_client: AADSTS7000215: Invalid client secret.); check "
        "BOUNCE_IMAP_OAUTH_CLIENT_ID and BOUNCE_IMAP_OAUTH_CLIENT_SECRET."
    )
    assert oauth_mailbox.folders() == {"INBOX": 1}


def test_a_token_the_server_does_not_accept_is_a_clear_error(oauth_mailbox, settings):
    """The token is the app's, but the server does not let it in (on Exchange Online: the app
    has no IMAP.AccessAsApp, or no permission on this mailbox)."""
    fill(oauth_mailbox, FIXTURES[:1])
    settings.BOUNCE_IMAP_URL = settings.BOUNCE_IMAP_URL.replace("bounces%40", "someone-else%40")

    with pytest.raises(BounceMailboxUnavailable) as failure:
        bounce_mailbox_poll(process=Recorder())

    assert "refused the login of 'someone-else@example.ac.uk'" in str(failure.value)
    assert "check that the app may read this mailbox" in str(failure.value)
    assert oauth_mailbox.folders() == {"INBOX": 1}

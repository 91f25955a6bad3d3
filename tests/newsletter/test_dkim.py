"""DKIM signing (NEWSLETTER_DKIM_*): every message of a send arrives at the SMTP server signed,
and the signature verifies against the public key as a receiving server would look it up in
DNS; the one-click unsubscribe headers are among those signed; a changed message fails."""

import base64
import subprocess

import dkim
import pytest

from comms import roles
from newsletter.services.sends import send_schedule
from tests.factories import MailingListFactory, UserFactory, newsletter_issue, subscribe_many
from tests.newsletter.test_engine import run_until_finished

pytestmark = pytest.mark.django_db

SELECTOR, DOMAIN = "tr2026", "example.ac.uk"


@pytest.fixture
def dkim_key(tmp_path, settings):
    """A new RSA key (openssl), configured as the settings say, and its DNS TXT record."""
    key = tmp_path / "dkim.pem"
    subprocess.run(["openssl", "genrsa", "-out", str(key), "2048"], check=True, capture_output=True)
    public = subprocess.run(
        ["openssl", "rsa", "-in", str(key), "-pubout", "-outform", "DER"],
        check=True,
        capture_output=True,
    ).stdout
    settings.NEWSLETTER_DKIM_DOMAIN = DOMAIN
    settings.NEWSLETTER_DKIM_SELECTOR = SELECTOR
    settings.NEWSLETTER_DKIM_PRIVATE_KEY_FILE = str(key)
    return b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def dns(record: bytes):
    def lookup(name, timeout=5):
        return record if name == f"{SELECTOR}._domainkey.{DOMAIN}.".encode() else None

    return lookup


def test_every_message_of_a_send_arrives_signed(dkim_key, smtp, django_capture_on_commit_callbacks):
    staff = MailingListFactory(name="All staff")
    subscribe_many(staff, ["ann@example.ac.uk", "bob@example.ac.uk", "cat@example.ac.uk"])
    lead = UserFactory(role=roles.COMMS_LEADS)
    send = send_schedule(issue=newsletter_issue(), lists=[staff], at=None, user=lead)

    run_until_finished(send, django_capture_on_commit_callbacks)

    assert len(smtp.messages) == 3
    for _, raw in smtp.messages:
        assert raw.startswith(b"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;")
        assert dkim.verify(raw, dnsfunc=dns(dkim_key)), raw[:400]
        signed = dkim.DKIM(raw)
        signature = raw.split(b"\r\n\r\n", 1)[0].split(b"h=", 1)[1].split(b";", 1)[0]
        for header in (b"list-unsubscribe", b"list-unsubscribe-post", b"from", b"subject"):
            assert header in signature.replace(b"\r\n ", b"").replace(b" ", b""), signed
    # A message changed on the way fails, so the check above can fail.
    _, raw = smtp.messages[0]
    assert not dkim.verify(raw.replace(b"Unsubscribe", b"Unsubscr1be", 1), dnsfunc=dns(dkim_key))


def test_without_the_settings_nothing_is_signed(smtp, django_capture_on_commit_callbacks):
    staff = MailingListFactory(name="All staff")
    subscribe_many(staff, ["ann@example.ac.uk"])
    send = send_schedule(
        issue=newsletter_issue(), lists=[staff], at=None, user=UserFactory(role=roles.COMMS_LEADS)
    )
    run_until_finished(send, django_capture_on_commit_callbacks)
    assert b"DKIM-Signature" not in smtp.messages[0][1]

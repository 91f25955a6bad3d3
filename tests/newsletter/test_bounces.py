"""What comes back after a send: bounces, complaints and unsubscribes by mail, read from the
message an MTA pipes to ``manage.py bounce_receive``. The issue is really sent through the
engine to the test SMTP server; each returned message quotes the Message-ID of the message
that server received, as real ones do (fixtures in tests/newsletter/returned/, modelled on
Postfix's, Office 365's and Gmail's DSNs, an RFC 5965 feedback report and an Outlook
automatic reply)."""

import io
import sys
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path
from urllib.parse import unquote

from django.core.management import call_command

import pytest

from comms import roles
from newsletter.models import Delivery, InboundMessage, Membership, Subscriber
from newsletter.selectors import issue_engagement
from newsletter.services.bounces import bounce_process
from newsletter.services.sends import send_schedule
from tests.factories import MailingListFactory, UserFactory, newsletter_issue, subscribe_many
from tests.newsletter.test_engine import run_until_finished

pytestmark = pytest.mark.django_db

RETURNED = Path(__file__).parent / "returned"
ADDRESSES = ["ann@example.ac.uk", "bob@example.ac.uk", "cat@example.ac.uk"]


@pytest.fixture
def sent(smtp, django_capture_on_commit_callbacks):
    staff = MailingListFactory(name="All staff")
    subscribe_many(staff, ADDRESSES)
    lead = UserFactory(role=roles.COMMS_LEADS)
    send = send_schedule(issue=newsletter_issue(), lists=[staff], at=None, user=lead)
    run_until_finished(send, django_capture_on_commit_callbacks)
    received = {rcpt: message_from_bytes(raw, policy=default_policy) for rcpt, raw in smtp.messages}
    return send, received, staff


def returned(name: str, message, recipient: str) -> bytes:
    """The fixture ``name`` about ``message`` (as the SMTP server received it) to ``recipient``."""
    text = (RETURNED / name).read_bytes()
    return text.replace(b"MESSAGE_ID", message["Message-ID"].encode()).replace(
        b"RECIPIENT", recipient.encode()
    )


def pipe(raw: bytes) -> tuple[int, str, str]:
    """``manage.py bounce_receive`` with ``raw`` on standard input: (exit status, out, err)."""
    out, err = io.StringIO(), io.StringIO()
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(raw))
    try:
        call_command("bounce_receive", stdout=out, stderr=err)
        status = 0
    except SystemExit as exit:
        status = exit.code
    finally:
        sys.stdin = stdin
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [
        ("postfix_dsn_5_1_1.eml", "5.1.1 (smtp; 550 5.1.1"),
        ("office365_ndr.eml", "5.1.10 (smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound"),
        ("gmail_dsn.eml", "5.1.1 (smtp; 550-5.1.1 The email account"),
    ],
)
def test_a_hard_bounce_suppresses_the_address_before_the_next_send(
    sent, fixture, reason, smtp, django_capture_on_commit_callbacks
):
    send, received, staff = sent
    status, out, _ = pipe(returned(fixture, received["bob@example.ac.uk"], "bob@example.ac.uk"))

    assert status == 0 and out.startswith("hard: hard for 1 subscriber(s) (processed)")
    bob = Subscriber.objects.get(email="bob@example.ac.uk")
    assert bob.status == Subscriber.Status.BOUNCED and bob.bounced_at is not None
    assert bob.bounce_reason.startswith(reason)
    bounce = InboundMessage.objects.get()
    assert bounce.delivery == Delivery.objects.get(send=send, email="bob@example.ac.uk")
    assert bytes(bounce.raw) == b""  # understood: the message itself is not kept
    # The next send skips bob.
    smtp.messages.clear()
    again = send_schedule(
        issue=newsletter_issue("Next issue"),
        lists=[staff],
        at=None,
        user=UserFactory(role=roles.COMMS_LEADS),
    )
    run_until_finished(again, django_capture_on_commit_callbacks)
    assert sorted(smtp.recipients()) == ["ann@example.ac.uk", "cat@example.ac.uk"]
    assert Delivery.objects.get(send=again, email="bob@example.ac.uk").status == "skipped"


def test_the_send_report_counts_its_bounces(sent):
    send, received, _ = sent
    pipe(returned("postfix_dsn_5_1_1.eml", received["cat@example.ac.uk"], "cat@example.ac.uk"))
    report = issue_engagement(send.issue)
    assert (report.total.sent, report.total.bounced) == (3, 1)


def test_soft_bounces_are_scored_once_a_day_and_decay(sent, settings):
    settings.NEWSLETTER_SOFT_BOUNCE_THRESHOLD = 3
    _, received, _ = sent
    full = returned(
        "postfix_delayed_mailbox_full.eml", received["ann@example.ac.uk"], "ann@example.ac.uk"
    )

    def ann():
        return Subscriber.objects.get(email="ann@example.ac.uk")

    def days_ago(days: int) -> None:
        from datetime import timedelta

        from django.utils import timezone

        Subscriber.objects.filter(email="ann@example.ac.uk").update(
            bounce_last_on=timezone.localdate() - timedelta(days=days)
        )

    assert bounce_process(full, source="pipe").kind == "soft"
    assert bounce_process(full, source="pipe").kind == "soft"  # the same day: one point
    assert (ann().bounce_score, ann().status) == (1, "subscribed")
    days_ago(1)
    bounce_process(full, source="pipe")
    assert (ann().bounce_score, ann().status) == (2, "subscribed")
    days_ago(30)  # stale: the run of bounces no longer counts
    bounce_process(full, source="pipe")
    assert (ann().bounce_score, ann().status) == (1, "subscribed")
    for _ in range(2):
        days_ago(1)
        bounce_process(full, source="pipe")
    assert (ann().bounce_score, ann().status) == (3, "bounced")
    assert ann().bounce_reason.startswith("Soft bounces on 3 days: 4.2.2")


def test_a_complaint_unsubscribes_from_the_list(sent):
    _, received, staff = sent
    status, out, _ = pipe(
        returned("arf_complaint.eml", received["cat@example.ac.uk"], "cat@example.ac.uk")
    )
    assert status == 0 and out.startswith("complaint:")
    membership = Membership.objects.get(mailing_list=staff, subscriber__email="cat@example.ac.uk")
    assert membership.unsubscribed_at is not None
    assert Subscriber.objects.get(email="cat@example.ac.uk").status == "subscribed"


def test_the_mailto_unsubscribe_works(sent):
    _, received, staff = sent
    header = received["ann@example.ac.uk"]["List-Unsubscribe"]
    mailto = header.split("<mailto:", 1)[1].split(">", 1)[0]
    address, _, query = mailto.partition("?")
    subject = unquote(query.removeprefix("subject="))
    raw = (
        f"From: Ann <ann@example.ac.uk>\r\nTo: {address}\r\nSubject: {subject}\r\n"
        "Date: Fri, 27 Nov 2026 10:00:00 +0000\r\n\r\n\r\n"
    ).encode()
    status, out, _ = pipe(raw)
    assert status == 0 and out.startswith("unsubscribe:")
    membership = Membership.objects.get(mailing_list=staff, subscriber__email="ann@example.ac.uk")
    assert membership.unsubscribed_at is not None


def test_an_automatic_reply_changes_nothing(sent):
    _, received, _ = sent
    status, out, _ = pipe(
        returned("out_of_office.eml", received["bob@example.ac.uk"], "bob@example.ac.uk")
    )
    assert status == 0 and out.startswith("ignored:")
    assert Subscriber.objects.filter(status="subscribed").count() == 3


def test_what_is_not_understood_is_kept_for_review(sent, client_as, comms_lead):
    raw = (RETURNED / "a_person_writes.eml").read_bytes()
    status, out, _ = pipe(raw)
    assert status == 0 and out.endswith("(kept for review)\n")
    kept = InboundMessage.objects.get()
    assert (kept.kind, kept.status) == ("unknown", "review")
    assert bytes(kept.raw) == raw
    assert Subscriber.objects.filter(status="subscribed").count() == 3
    page = client_as(comms_lead).get("/admin/newsletter/bounces/")
    assert page.status_code == 200 and "Question about export control" in page.text


def test_a_bounce_for_nobody_we_know_is_kept_for_review(sent):
    _, received, _ = sent
    raw = returned("gmail_dsn.eml", received["ann@example.ac.uk"], "stranger@example.org")
    raw = raw.replace(received["ann@example.ac.uk"]["Message-ID"].encode(), b"<x@elsewhere>")
    assert bounce_process(raw, source="pipe").understood is False
    assert InboundMessage.objects.get().status == "review"


@pytest.mark.parametrize("raw", [b"", b"   \r\n"])
def test_an_empty_pipe_says_so(raw):
    status, _, err = pipe(raw)
    assert status == 65 and "No message on standard input" in err

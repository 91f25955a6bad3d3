"""The batch sender: one task's share of a send, over one SMTP connection.

See ``newsletter.services.engine`` for how batches are made and leases swept,
``newsletter.services.ledger`` for the fenced outcome writes and ``newsletter.services.relay``
for the SMTP conversation.
"""

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from newsletter.messages import PreparedMessages, build_message, sender_address
from newsletter.models import Delivery, MailingList, Membership, Send, Subscriber
from newsletter.rendering import render_issue
from newsletter.services import relay as smtp
from newsletter.services.ledger import LOST, Ledger

logger = logging.getLogger(__name__)


@dataclass
class BatchReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    uncertain: int = 0
    released: int = 0
    stopped: str = ""  # why the batch stopped early: paused, cancelled, lost (its lease)


def _claim(send_id: int, batch_key: str) -> tuple[Send | None, list[int]]:
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(send_id=send_id, batch_key=batch_key, status=Delivery.Status.QUEUED)
            .values_list("pk", flat=True)
        )
        send = Send.objects.filter(pk=send_id).first()
        if not ids:
            return send, []
        if send is None or send.state != Send.State.RUNNING:
            cancelled = send is None or send.state == Send.State.CANCELLED
            status = Delivery.Status.CANCELLED if cancelled else Delivery.Status.PENDING
            Delivery.objects.filter(pk__in=ids).update(
                status=status, batch_key="", lease_expires_at=None
            )
            return send, []
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.SENDING,
            lease_expires_at=now + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS),
        )
    return send, ids


def _still_wanted(ledger: Ledger, deliveries: list[Delivery]) -> list[Delivery]:
    """Skip whoever unsubscribed (or bounced) since the audience was snapshotted: one query
    per batch, so a late unsubscribe is honoured."""
    active = set(
        Membership.objects.filter(
            subscriber_id__in=[d.subscriber_id for d in deliveries if d.subscriber_id],
            mailing_list__in=ledger.send.lists.all(),
            unsubscribed_at__isnull=True,
            subscriber__status=Subscriber.Status.SUBSCRIBED,
        ).values_list("subscriber_id", flat=True)
    )
    gone = [d.pk for d in deliveries if d.subscriber_id not in active]
    if gone:
        ledger.skip(gone, "Unsubscribed")
    return [d for d in deliveries if d.subscriber_id in active]


def _fast_commits(on: bool) -> None:
    """Outcome records need not wait for the disk (PostgreSQL ``synchronous_commit``): they
    are visible to every other session at once, so a killed worker loses nothing; only a crash
    of the database server itself could lose the last fraction of a second of them (those few
    messages would be sent again). That cuts the cost of recording each message several-fold.
    """
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute(f"SET synchronous_commit TO {'OFF' if on else 'DEFAULT'}")


class _Batch:
    """The state of one running batch: its ledger, its connection, its report."""

    def __init__(self, send: Send, batch_key: str, report: BatchReport):
        self.send, self.report = send, report
        self.ledger = Ledger(send=send, batch_key=batch_key)
        self.relay = smtp.Relay()
        self.stop: str | None = None
        self.upcoming: Delivery | None = None  # the next delivery, checked as this one is sent

    def still_going(self, delivery: Delivery) -> bool:
        """Before each message: does this batch still own it, and is the send running?"""
        self.stop = self.ledger.check(delivery)
        return self.stop is None

    def count(self, outcome: str | None) -> None:
        if outcome is None:  # the row was no longer ours: another batch has it
            self.stop = LOST
            return
        setattr(self.report, outcome, getattr(self.report, outcome) + 1)
        if self.ledger.paused_send:  # that failure was one too many in a row
            self.stop = Send.State.PAUSED

    def fail(self, delivery: Delivery, reply: str) -> None:
        self.count("failed" if self.ledger.failed(delivery, reply) else None)

    def record(self, delivery: Delivery, result: smtp.Result) -> None:
        ledger = self.ledger
        if result.kind == smtp.SENT:
            written = ledger.sent(delivery, result.reply, then=self.upcoming)
            self.count("sent" if written else None)
        elif result.kind == smtp.PERMANENT:
            self.fail(delivery, result.reply)
        elif result.kind == smtp.TEMPORARY:
            self.count(ledger.transient(delivery, result.reply))
        elif result.kind == smtp.CONNECTION:
            self.count(ledger.transient(delivery, result.reply, counts=True))
        elif result.kind == smtp.UNCERTAIN:
            self.count(ledger.uncertain(delivery, result.reply))

    def unreachable(self, waiting: list[Delivery], exc: Exception) -> None:
        """The relay cannot be reached: the rest of the batch waits for the backoff."""
        for delivery in waiting:
            self.count(
                self.ledger.transient(
                    delivery, f"Cannot connect to the SMTP server: {exc}", counts=True
                )
            )
            if self.stop:
                break
        logger.warning("Send %s: SMTP server unreachable: %s", self.send.pk, exc)


def _message_bytes(prepared, batch, delivery, mailing_list, rendered):
    """The bytes to send (the fast path), or the built message for a non-SMTP backend."""
    data = prepared.for_delivery(delivery, mailing_list) if batch.relay.speaks_smtp else None
    if data is not None:
        return data, None
    message = build_message(
        send=batch.send, rendered=rendered, delivery=delivery, mailing_list=mailing_list
    )
    return message.message().as_bytes(linesep="\r\n"), message


def batch_send(*, send_id: int, batch_key: str) -> BatchReport:
    """Send one batch. Safe to run twice: a repeat finds its rows already claimed.

    Guarantees: the frozen revision is rendered once; one SMTP connection is reused (reopened
    after a 421 or a drop, without charging the next recipient); each delivery is recorded as
    soon as the server answers (sent, with the server's reply; failed with its 5xx reply;
    pending again with backoff after a 4xx or a dropped connection; uncertain when the reply
    to a sent message was lost). A message that cannot be built or sent fails alone, with the
    reason; the batch goes on. Before each message the batch checks that it still owns the
    row and that the send is running: a paused or cancelled send stops within one message (the
    rest goes back to pending, or is cancelled), and a batch that lost its lease stops without
    sending or writing anything more.
    """
    report = BatchReport()
    send, ids = _claim(send_id, batch_key)
    if not ids:
        return report
    report.claimed = len(ids)
    batch = _Batch(send, batch_key, report)
    deliveries = _still_wanted(
        batch.ledger, list(Delivery.objects.filter(pk__in=ids).order_by("pk"))
    )
    lists = MailingList.objects.in_bulk({d.mailing_list_id for d in deliveries})
    rendered = render_issue(send.revision.as_object())
    prepared = PreparedMessages(send=send, rendered=rendered)
    sender = sender_address()
    _fast_commits(True)
    interval = 1 / settings.NEWSLETTER_RATE_LIMIT if settings.NEWSLETTER_RATE_LIMIT > 0 else 0
    lease = settings.NEWSLETTER_LEASE_SECONDS
    lease_renewed = last_sent = time.monotonic()
    index = 0
    try:
        for index, delivery in enumerate(deliveries):
            if time.monotonic() - lease_renewed > lease / 3:
                lease_renewed = time.monotonic()
                batch.ledger.renew([d.pk for d in deliveries[index:]])
            if interval:
                time.sleep(max(0.0, last_sent + interval - time.monotonic()))
                last_sent = time.monotonic()
            batch.upcoming = deliveries[index + 1] if index + 1 < len(deliveries) else None
            mailing_list = lists.get(delivery.mailing_list_id)
            if mailing_list is None:  # the list was deleted after the snapshot
                batch.fail(delivery, "Not sent: the mailing list was deleted.")
            else:
                try:
                    data, message = _message_bytes(
                        prepared, batch, delivery, mailing_list, rendered
                    )
                except Exception as exc:  # this one message is wrong, not the batch
                    logger.warning("Send %s delivery %s: %s", send_id, delivery.pk, exc)
                    batch.fail(delivery, f"Not sent: the message could not be built: {exc}")
                else:
                    _deliver(batch, delivery, sender, data, message, deliveries[index:])
            if batch.stop:
                break
    finally:
        batch.relay.close()
        _fast_commits(False)
    if batch.stop:
        rest = [d.pk for d in deliveries[index:]]
        report.released = batch.ledger.release(rest, state=batch.stop)
        report.stopped = batch.stop
        logger.info("Send %s batch %s stopped (%s)", send_id, batch_key, batch.stop)
    logger.info(
        "Send %s batch %s: %s sent, %s failed, %s retrying, %s uncertain, %s released",
        send_id,
        batch_key,
        report.sent,
        report.failed,
        report.retrying,
        report.uncertain,
        report.released,
    )
    return report


def _deliver(batch: _Batch, delivery, sender, data, message, waiting) -> None:
    if not batch.relay.speaks_smtp:  # another EMAIL_BACKEND (console, file, locmem in tests)
        if batch.still_going(delivery):
            batch.relay.backend.send_messages([message])
            batch.record(delivery, smtp.Result(smtp.SENT))
        return
    try:
        result = batch.relay.deliver(
            sender=sender,
            recipient=delivery.email,
            data=data,
            before_data=lambda: batch.still_going(delivery),
        )
    except (smtplib.SMTPException, OSError) as exc:
        batch.unreachable(waiting, exc)
        if not batch.stop:
            batch.stop = "unreachable"
        return
    except Exception as exc:  # e.g. an address smtplib cannot encode: this message only
        batch.relay.close()
        logger.warning("Send %s delivery %s: %s", batch.send.pk, delivery.pk, exc)
        batch.fail(delivery, f"Not sent: {exc}")
        return
    if result.kind != smtp.STOPPED:
        batch.record(delivery, result)

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

from newsletter.dkim import dkim_enabled, dkim_sign
from newsletter.messages import PreparedMessages, build_message, dot_stuff, sender_address
from newsletter.models import Delivery, MailingList, Membership, Send, Subscriber
from newsletter.services import relay as smtp
from newsletter.services.clicks import send_rendering
from newsletter.services.ledger import LOST, Ledger, Outcome

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

    def add(self, outcome: Outcome) -> None:
        match outcome:
            case Outcome.SENT:
                self.sent += 1
            case Outcome.FAILED:
                self.failed += 1
            case Outcome.RETRYING:
                self.retrying += 1
            case Outcome.UNCERTAIN:
                self.uncertain += 1


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
    """One running batch: its deliveries, its ledger, its connection and its report. Each
    step below is small and says what it decided; ``batch_send`` strings them together."""

    def __init__(self, send: Send, batch_key: str, ids: list[int], report: BatchReport):
        self.send, self.report = send, report
        self.ledger = Ledger(send=send, batch_key=batch_key)
        self.relay = smtp.Relay()
        self.stop: str | None = None  # why the batch stops: a send state, LOST or "unreachable"
        self.deliveries = _still_wanted(
            self.ledger, list(Delivery.objects.filter(pk__in=ids).order_by("pk"))
        )
        self.lists = MailingList.objects.in_bulk({d.mailing_list_id for d in self.deliveries})
        # Rendered once; its links recorded (once per send) and pointed at the click redirect.
        self.rendered = send_rendering(send=send)
        self.prepared = PreparedMessages(send=send, rendered=self.rendered)
        self.sender = sender_address()
        self.upcoming: Delivery | None = None  # the next delivery, checked as this one is sent
        self.interval = (
            1 / settings.NEWSLETTER_RATE_LIMIT if settings.NEWSLETTER_RATE_LIMIT > 0 else 0
        )
        self.lease_renewed = self.last_sent = time.monotonic()

    # The steps, in the order each message takes them.

    def keep_lease(self, index: int) -> None:
        """Every third of the lease, extend it on the rows still to send."""
        if time.monotonic() - self.lease_renewed > settings.NEWSLETTER_LEASE_SECONDS / 3:
            self.lease_renewed = time.monotonic()
            self.ledger.renew([d.pk for d in self.deliveries[index:]])

    def pace(self) -> None:
        """Keep to NEWSLETTER_RATE_LIMIT (per worker process)."""
        if self.interval:
            time.sleep(max(0.0, self.last_sent + self.interval - time.monotonic()))
            self.last_sent = time.monotonic()

    def send_one(self, index: int) -> Outcome | None:
        """Build and send the delivery at ``index``, and record what happened. None when
        nothing was recorded (the batch stopped before DATA, or lost the row)."""
        delivery = self.deliveries[index]
        self.upcoming = self.deliveries[index + 1] if index + 1 < len(self.deliveries) else None
        mailing_list = self.lists.get(delivery.mailing_list_id)
        if mailing_list is None:  # the list was deleted after the snapshot
            return self.fail(delivery, "Not sent: the mailing list was deleted.")
        try:
            data, message = self.message_bytes(delivery, mailing_list)
        except Exception as exc:  # this one message is wrong, not the batch
            logger.warning("Send %s delivery %s: %s", self.send.pk, delivery.pk, exc)
            return self.fail(delivery, f"Not sent: the message could not be built: {exc}")
        result = self.deliver(delivery, data, message, index)
        return None if result is None else self.record(delivery, result)

    def message_bytes(self, delivery: Delivery, mailing_list: MailingList):
        """The bytes to send, and the built message when there is one (a non-SMTP backend
        sends that). The fast path gives them dot-stuffed for DATA already; with DKIM on they
        are signed first (``newsletter.dkim``), then stuffed."""
        signing = dkim_enabled()
        if self.relay.speaks_smtp:
            data = self.prepared.for_delivery(delivery, mailing_list, wire=not signing)
            if data is not None:
                return (dot_stuff(dkim_sign(data)) if signing else data), None
        message = build_message(
            send=self.send, rendered=self.rendered, delivery=delivery, mailing_list=mailing_list
        )
        data = message.message().as_bytes(linesep="\r\n")
        return dot_stuff(dkim_sign(data) if signing else data), message

    def deliver(self, delivery: Delivery, data: bytes, message, index: int) -> smtp.Result | None:
        """Hand the message to the relay (or to another EMAIL_BACKEND): its result, or None
        if nothing is to be recorded for it (stopped before DATA, or the relay unreachable,
        which ``unreachable`` has recorded for the whole rest of the batch)."""
        if not self.relay.speaks_smtp:  # another EMAIL_BACKEND (console, file, locmem in tests)
            if not self.still_going(delivery):
                return None
            self.relay.backend.send_messages([message])
            return smtp.Result(smtp.SENT)
        try:
            result = self.relay.deliver(
                sender=self.sender,
                recipient=delivery.email,
                data=data,
                before_data=lambda: self.still_going(delivery),
                stuffed=True,
            )
        except (smtplib.SMTPException, OSError) as exc:
            self.unreachable(self.deliveries[index:], exc)
            self.stop = self.stop or "unreachable"
            return None
        except Exception as exc:  # e.g. an address smtplib cannot encode: this message only
            self.relay.close()
            logger.warning("Send %s delivery %s: %s", self.send.pk, delivery.pk, exc)
            return smtp.Result(smtp.PERMANENT, f"Not sent: {exc}")
        return None if result.kind == smtp.STOPPED else result

    def still_going(self, delivery: Delivery) -> bool:
        """Before each message: does this batch still own it, and is the send running?"""
        self.stop = self.ledger.check(delivery)
        return self.stop is None

    def record(self, delivery: Delivery, result: smtp.Result) -> Outcome | None:
        """Write the relay's answer to the ledger."""
        ledger = self.ledger
        if result.kind == smtp.SENT:
            written = ledger.sent(delivery, result.reply, then=self.upcoming)
            return self.counted(Outcome.SENT if written else None)
        if result.kind == smtp.PERMANENT:
            return self.fail(delivery, result.reply)
        if result.kind == smtp.TEMPORARY:
            return self.counted(ledger.transient(delivery, result.reply))
        if result.kind == smtp.CONNECTION:
            return self.counted(ledger.transient(delivery, result.reply, counts=True))
        return self.counted(ledger.uncertain(delivery, result.reply))  # smtp.UNCERTAIN

    def fail(self, delivery: Delivery, reply: str) -> Outcome | None:
        return self.counted(Outcome.FAILED if self.ledger.failed(delivery, reply) else None)

    def counted(self, outcome: Outcome | None) -> Outcome | None:
        """Add the outcome to the report; stop if the row was lost or the send just paused
        itself (that failure was one too many in a row)."""
        if outcome is None:  # the row was no longer ours: another batch has it
            self.stop = LOST
            return None
        self.report.add(outcome)
        if self.ledger.paused_send:
            self.stop = Send.State.PAUSED
        return outcome

    def unreachable(self, waiting: list[Delivery], exc: Exception) -> None:
        """The relay cannot be reached: the rest of the batch waits for the backoff."""
        for delivery in waiting:
            self.counted(
                self.ledger.transient(
                    delivery, f"Cannot connect to the SMTP server: {exc}", counts=True
                )
            )
            if self.stop:
                break
        logger.warning("Send %s: SMTP server unreachable: %s", self.send.pk, exc)

    def release(self, index: int) -> None:
        """The batch stopped early: hand the rows from ``index`` on back (or cancel them)."""
        rest = [d.pk for d in self.deliveries[index:]]
        self.report.released = self.ledger.release(rest, state=self.stop)
        self.report.stopped = self.stop
        logger.info("Send %s batch %s stopped (%s)", self.send.pk, self.ledger.batch_key, self.stop)


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
    batch = _Batch(send, batch_key, ids, report)
    index = 0
    _fast_commits(True)
    try:
        for index in range(len(batch.deliveries)):
            batch.keep_lease(index)
            batch.pace()
            batch.send_one(index)
            if batch.stop:
                break
    finally:
        batch.relay.close()
        _fast_commits(False)
    if batch.stop:
        batch.release(index)
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

"""The batch sender: one task's share of a send, over one SMTP connection.

See ``newsletter.services.engine`` for how batches are made and leases swept.
"""

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from newsletter.messages import PreparedMessages, build_message, message_id, sender_address
from newsletter.models import Delivery, MailingList, Membership, Send, Subscriber
from newsletter.rendering import render_issue

logger = logging.getLogger(__name__)

STATE_CHECK_SECONDS = 1.0


@dataclass
class BatchReport:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    released: int = 0


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
            _release(ids)
            return send, []
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.SENDING,
            lease_expires_at=now + timedelta(seconds=settings.NEWSLETTER_LEASE_SECONDS),
        )
    return send, ids


def _still_wanted(send: Send, deliveries: list[Delivery]) -> list[Delivery]:
    """Skip whoever unsubscribed (or bounced) since the audience was snapshotted: one query
    per batch, so a late unsubscribe is honoured."""
    active = set(
        Membership.objects.filter(
            subscriber_id__in=[d.subscriber_id for d in deliveries if d.subscriber_id],
            mailing_list__in=send.lists.all(),
            unsubscribed_at__isnull=True,
            subscriber__status=Subscriber.Status.SUBSCRIBED,
        ).values_list("subscriber_id", flat=True)
    )
    gone = [d.pk for d in deliveries if d.subscriber_id not in active]
    if gone:
        Delivery.objects.filter(pk__in=gone).update(
            status=Delivery.Status.SKIPPED, lease_expires_at=None, smtp_reply="Unsubscribed"
        )
    return [d for d in deliveries if d.subscriber_id in active]


def _release(ids: list[int]) -> None:
    """Hand unsent deliveries back to the dispatcher (send paused or cancelled)."""
    Delivery.objects.filter(pk__in=ids, status__in=Delivery.IN_FLIGHT).update(
        status=Delivery.Status.PENDING, batch_key="", lease_expires_at=None
    )


# The table name is ours; every value is a parameter.
_SENT_SQL = (
    f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s, updated_at = %s, "  # noqa: S608
    "attempts = attempts + 1, message_id = %s, smtp_reply = '', lease_expires_at = NULL "
    "WHERE id = %s"
)


def _record_sent(delivery: Delivery, send: Send) -> None:
    # The hot path, once per message: one plain UPDATE, no ORM query building.
    now = timezone.now()
    with db_connection.cursor() as cursor:
        cursor.execute(
            _SENT_SQL,
            [
                Delivery.Status.SENT.value,
                now,
                now,
                message_id(send_id=send.pk, delivery_id=delivery.pk),
                delivery.pk,
            ],
        )


def _record_failed(delivery: Delivery, reply: str) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED,
        attempts=F("attempts") + 1,
        smtp_reply=reply[:2000],
        lease_expires_at=None,
    )


def _record_transient(delivery: Delivery, reply: str) -> bool:
    """Retry later with exponential backoff, or fail after the last attempt. True if retrying."""
    attempts = delivery.attempts + 1
    if attempts >= settings.NEWSLETTER_MAX_ATTEMPTS:
        _record_failed(delivery, f"{reply} (gave up after {attempts} attempts)")
        return False
    delay = settings.NEWSLETTER_RETRY_BACKOFF * 2 ** (attempts - 1)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.PENDING,
        attempts=attempts,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        batch_key="",
        smtp_reply=reply[:2000],
        lease_expires_at=None,
    )
    return True


def _fast_commits(on: bool) -> None:
    """Outcome records need not wait for the disk (PostgreSQL ``synchronous_commit``): they
    are visible to every other session at once, so a killed worker loses nothing; only a crash
    of the database server itself could lose the last fraction of a second of them (those few
    messages would be sent again). That cuts the cost of recording each message several-fold.
    """
    if db_connection.vendor == "postgresql":
        with db_connection.cursor() as cursor:
            cursor.execute(f"SET synchronous_commit TO {'OFF' if on else 'DEFAULT'}")


def _reply(code: int, text: bytes | str) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip()


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # the server already went away; nothing to tidy
        connection.connection = None


def batch_send(*, send_id: int, batch_key: str) -> BatchReport:
    """Send one batch. Safe to run twice: a repeat finds its rows already claimed.

    Guarantees: the frozen revision is rendered once; one SMTP connection is reused; each
    delivery is recorded as soon as the server answers (sent; failed with the server's 5xx
    reply; or pending again with backoff after a 4xx or a dropped connection). If the send is
    paused meanwhile, the rest of the batch goes back to pending.
    """
    report = BatchReport()
    send, ids = _claim(send_id, batch_key)
    if not ids:
        return report
    report.claimed = len(ids)
    deliveries = _still_wanted(send, list(Delivery.objects.filter(pk__in=ids).order_by("pk")))
    lists = MailingList.objects.in_bulk({d.mailing_list_id for d in deliveries})
    rendered = render_issue(send.revision.as_object())
    prepared = PreparedMessages(send=send, rendered=rendered)
    sender = sender_address()
    connection = get_connection(fail_silently=False)
    # Django's SMTP backend: send the prepared bytes over its one smtplib connection.
    smtp_backend = hasattr(connection, "connection")
    _fast_commits(True)
    interval = 1 / settings.NEWSLETTER_RATE_LIMIT if settings.NEWSLETTER_RATE_LIMIT > 0 else 0
    lease = settings.NEWSLETTER_LEASE_SECONDS
    checked = lease_renewed = last_sent = time.monotonic()
    try:
        for index, delivery in enumerate(deliveries):
            now = time.monotonic()
            if now - checked > STATE_CHECK_SECONDS:
                checked = now
                if Send.objects.filter(pk=send_id, state=Send.State.RUNNING).count() == 0:
                    rest = [d.pk for d in deliveries[index:]]
                    _release(rest)
                    report.released = len(rest)
                    logger.info("Send %s no longer running; released %s", send_id, len(rest))
                    break
            if now - lease_renewed > lease / 3:
                lease_renewed = now
                Delivery.objects.filter(
                    pk__in=[d.pk for d in deliveries[index:]], status=Delivery.Status.SENDING
                ).update(lease_expires_at=timezone.now() + timedelta(seconds=lease))
            if interval:
                time.sleep(max(0.0, last_sent + interval - time.monotonic()))
                last_sent = time.monotonic()
            mailing_list = lists.get(delivery.mailing_list_id)
            if mailing_list is None:  # the list was deleted after the snapshot
                _record_failed(delivery, "Not sent: the mailing list was deleted.")
                report.failed += 1
                continue
            data = prepared.for_delivery(delivery, mailing_list) if smtp_backend else None
            if data is None:  # something the fast path cannot be sure of: build it in full
                message = build_message(
                    send=send, rendered=rendered, delivery=delivery, mailing_list=mailing_list
                )
                data = message.message().as_bytes(linesep="\r\n")
            try:
                connection.open()
            except (smtplib.SMTPException, OSError) as exc:
                # The relay is unreachable: the rest of the batch waits for the backoff.
                for waiting in deliveries[index:]:
                    _record_transient(waiting, f"Cannot connect to the SMTP server: {exc}")
                report.retrying += len(deliveries) - index
                logger.warning("Send %s: SMTP server unreachable: %s", send_id, exc)
                break
            try:
                if smtp_backend:
                    connection.connection.sendmail(sender, [delivery.email], data)
                else:  # another EMAIL_BACKEND (console, file, locmem in tests)
                    connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                outcome = _outcome(delivery, code, _reply(code, text))
            except smtplib.SMTPResponseException as exc:
                outcome = _outcome(delivery, exc.smtp_code, _reply(exc.smtp_code, exc.smtp_error))
                if exc.smtp_code == 421 or isinstance(exc, smtplib.SMTPConnectError):
                    _close(connection)
            except (smtplib.SMTPException, OSError) as exc:
                _close(connection)
                outcome = (
                    "retrying" if _record_transient(delivery, f"Connection: {exc}") else "failed"
                )
            else:
                _record_sent(delivery, send)
                outcome = "sent"
            setattr(report, outcome, getattr(report, outcome) + 1)
    finally:
        _close(connection)
        _fast_commits(False)
    logger.info(
        "Send %s batch %s: %s sent, %s failed, %s retrying, %s released",
        send_id,
        batch_key,
        report.sent,
        report.failed,
        report.retrying,
        report.released,
    )
    return report


def _outcome(delivery: Delivery, code: int, reply: str) -> str:
    if 400 <= code < 500:
        return "retrying" if _record_transient(delivery, reply) else "failed"
    _record_failed(delivery, reply)
    return "failed"

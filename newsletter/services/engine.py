"""The sending engine: dispatcher, batch sender, lease sweeper.

The database is the source of truth; the broker only carries "send batch K of send S"
messages, and losing or repeating one is harmless:

- ``sends_dispatch`` (Celery beat, every NEWSLETTER_DISPATCH_INTERVAL seconds) starts due
  sends (one conditional UPDATE claims each, so two beats cannot both start one), snapshots the
  audience into Delivery rows (unique per send and address, bulk, ``ignore_conflicts``), sweeps
  expired leases back to pending, finishes sends with nothing left, and hands pending deliveries
  to batches (rows claimed with ``select_for_update(skip_locked=True)``, task queued on commit),
  within the in-flight cap and the rate limit.
- ``batch_send`` claims its batch's rows with a lease, renders the frozen revision once, sends
  over one SMTP connection, and records each outcome the moment the server answers. A worker
  killed mid-batch leaves rows "sending" with a lease that expires; the sweeper re-queues them,
  so at most the message in flight per worker process can go out twice. A worker paused past
  its lease finds, before its next message, that it no longer owns its rows, and stops: every
  write it makes matches the row's status and batch key (``newsletter.services.ledger``).
- A queued batch whose task message was lost (a broker restarted without persistence) is
  noticed when the workers have been idle for NEWSLETTER_PICKUP_SECONDS while it waits: it goes
  back to pending and is queued again. NEWSLETTER_QUEUE_LEASE_SECONDS stays the backstop.
"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone

from comms.database import planner_statistics_refresh
from newsletter.models import Delivery, Membership, Send, Subscriber
from newsletter.services.audiences import list_directory_sync
from newsletter.services.engagement import engagement_metric_record

logger = logging.getLogger(__name__)

Enqueue = Callable[[int, str], None]


@dataclass
class DispatchReport:
    started: list[int] = field(default_factory=list)
    finished: list[int] = field(default_factory=list)
    swept: int = 0
    batches: list[tuple[int, str]] = field(default_factory=list)


def _snapshot(send: Send) -> int:
    """One Delivery per unique address on the send's lists, lists that follow directory groups
    brought up to date first (joiners in, leavers out). Safe to run twice."""
    for mailing_list in send.lists.filter(directory_groups__isnull=False).distinct():
        list_directory_sync(mailing_list)
    list_ids = list(send.lists.values_list("pk", flat=True))
    rows = (
        Membership.objects.filter(mailing_list_id__in=list_ids)
        .order_by("subscriber_id", "mailing_list_id")
        .values_list(
            "subscriber_id",
            "subscriber__email",
            "subscriber__name",
            "subscriber__status",
            "mailing_list_id",
            "unsubscribed_at",
        )
    )
    people: dict[int, Delivery] = {}
    for subscriber_id, email, name, status, list_id, unsubscribed_at in rows.iterator(5000):
        active = status == Subscriber.Status.SUBSCRIBED and unsubscribed_at is None
        delivery = people.get(subscriber_id)
        if delivery is None:
            people[subscriber_id] = Delivery(
                send=send,
                subscriber_id=subscriber_id,
                mailing_list_id=list_id,
                email=email,
                name=name,
                status=Delivery.Status.PENDING if active else Delivery.Status.SKIPPED,
            )
        elif active and delivery.status == Delivery.Status.SKIPPED:
            delivery.status = Delivery.Status.PENDING
            delivery.mailing_list_id = list_id
    Delivery.objects.bulk_create(people.values(), batch_size=2000, ignore_conflicts=True)
    planner_statistics_refresh(Delivery, rows=len(people))
    return len(people)


def _start_due(now: datetime, report: DispatchReport) -> None:
    due = Send.objects.filter(state=Send.State.SCHEDULED, scheduled_at__lte=now)
    for send_id in due.order_by("scheduled_at").values_list("pk", flat=True):
        with transaction.atomic():
            send = Send.objects.select_for_update(skip_locked=True).filter(pk=send_id).first()
            # The conditional UPDATE is the claim: it works even where row locks do not (SQLite).
            if send is None or not Send.objects.filter(pk=send_id).move("start", started_at=now):
                continue
            total = _snapshot(send)
        report.started.append(send_id)
        logger.info("Send %s started: %s deliveries snapshotted", send_id, total)


def _unpicked_sweep(now: datetime) -> int:
    """Queued batches that no worker picked up although the workers sat idle for the pickup
    time: their task messages were lost. Hand them back to be queued again (a late message
    for the old batch key then finds nothing to claim)."""
    cutoff = now - timedelta(seconds=settings.NEWSLETTER_PICKUP_SECONDS)
    stale = Delivery.objects.filter(status=Delivery.Status.QUEUED, queued_at__lt=cutoff)
    if not stale.exists():
        return 0
    busy = Delivery.objects.filter(status=Delivery.Status.SENDING).exists() or (
        Delivery.objects.filter(
            send__state=Send.State.RUNNING, status=Delivery.Status.SENT, sent_at__gte=cutoff
        ).exists()
    )
    if busy:  # the workers are working through the queue: the batch is still waiting its turn
        return 0
    swept = stale.update(
        status=Delivery.Status.PENDING, batch_key="", lease_expires_at=None, queued_at=None
    )
    logger.warning("Dispatcher: %s queued deliveries no worker picked up, queued again", swept)
    return swept


def leases_sweep(*, now: datetime | None = None) -> int:
    """Give deliveries whose lease expired (worker killed, task message lost) back to the
    dispatcher; those of a cancelled send are cancelled. A delivery that has lost its worker
    too often fails instead of looping."""
    now = now or timezone.now()
    expired = Q(status__in=Delivery.IN_FLIGHT, lease_expires_at__lt=now)
    cancelled = Delivery.objects.filter(expired, send__state=Send.State.CANCELLED).update(
        status=Delivery.Status.CANCELLED,
        batch_key="",
        lease_expires_at=None,
        smtp_reply="Not sent: the send was cancelled.",
    )
    limit = settings.NEWSLETTER_MAX_ATTEMPTS
    failed = Delivery.objects.filter(
        expired, status=Delivery.Status.SENDING, attempts__gte=limit - 1
    ).update(
        status=Delivery.Status.FAILED,
        attempts=F("attempts") + 1,
        lease_expires_at=None,
        smtp_reply=f"Gave up: the worker sending it stopped {limit} times.",
    )
    swept = Delivery.objects.filter(expired).update(
        status=Delivery.Status.PENDING,
        batch_key="",
        lease_expires_at=None,
        attempts=Case(
            When(status=Delivery.Status.SENDING, then=F("attempts") + 1),
            default=F("attempts"),
            output_field=models.PositiveSmallIntegerField(),
        ),
    )
    if swept or failed:
        logger.warning("Lease sweeper: %s deliveries re-queued, %s failed", swept, failed)
    return swept + failed + cancelled + _unpicked_sweep(now)


def _finish_done(now: datetime, report: DispatchReport) -> None:
    for send_id in Send.objects.filter(state=Send.State.RUNNING).values_list("pk", flat=True):
        if Delivery.objects.filter(send_id=send_id, status__in=Delivery.NOT_DONE).exists():
            continue
        if Send.objects.filter(pk=send_id).move("finish", finished_at=now):
            report.finished.append(send_id)
            logger.info("Send %s finished", send_id)
            engagement_metric_record(day=timezone.localdate(now))


def _budget() -> int:
    in_flight = Delivery.objects.filter(status__in=Delivery.IN_FLIGHT).count()
    budget = settings.NEWSLETTER_MAX_IN_FLIGHT - in_flight
    if settings.NEWSLETTER_RATE_LIMIT > 0:
        per_tick = settings.NEWSLETTER_RATE_LIMIT * settings.NEWSLETTER_DISPATCH_INTERVAL
        budget = min(budget, max(1, int(per_tick)) - in_flight)
    return budget


def _queue_batches(now: datetime, enqueue: Enqueue, report: DispatchReport) -> None:
    budget = _budget()
    size = settings.NEWSLETTER_BATCH_SIZE
    queue_lease = now + timedelta(seconds=settings.NEWSLETTER_QUEUE_LEASE_SECONDS)
    running = Send.objects.filter(state=Send.State.RUNNING).order_by("started_at", "pk")
    for send_id in running.values_list("pk", flat=True):
        if budget <= 0:
            break
        with transaction.atomic():
            ids = list(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(send_id=send_id, status=Delivery.Status.PENDING)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                .order_by("pk")
                .values_list("pk", flat=True)[:budget]
            )
            for start in range(0, len(ids), size):
                key = uuid.uuid4().hex
                Delivery.objects.filter(pk__in=ids[start : start + size]).update(
                    status=Delivery.Status.QUEUED,
                    batch_key=key,
                    lease_expires_at=queue_lease,
                    queued_at=now,
                )
                transaction.on_commit(lambda s=send_id, k=key: enqueue(s, k))
                report.batches.append((send_id, key))
        budget -= len(ids)


def sends_dispatch(*, enqueue: Enqueue, now: datetime | None = None) -> DispatchReport:
    """One run of the dispatcher. Safe to run concurrently and repeatedly (see module doc).

    ``enqueue(send_id, batch_key)`` is called after commit for each batch to send.
    """
    now = now or timezone.now()
    report = DispatchReport()
    _start_due(now, report)
    report.swept = leases_sweep(now=now)
    _finish_done(now, report)
    _queue_batches(now, enqueue, report)
    return report

"""Sends and their deliveries: the outbox the engine works from.

The database is the source of truth. A ``Send`` is one issue revision to some lists at a time;
each ``Delivery`` is one message to one address (unique per send), with the status the
engine moves it through::

    pending -> queued (in a batch task's message) -> sending (leased by a worker) -> sent
                                                                                 -> failed
                                                                                 -> uncertain
    pending <- (transient error, after backoff)  <- sending / queued with an expired lease
    pending <- queued that no worker picked up (a lost broker message)
    skipped (unsubscribed or bounced when the audience was snapshotted)
    cancelled (the send was cancelled before this delivery was sent)

A worker owns a delivery while it is ``sending`` with the worker's ``batch_key``: every write a
worker makes matches both, so a worker that lost its lease (paused, partitioned) writes nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models


class SendState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    RUNNING = "running", "Sending"
    PAUSED = "paused", "Paused"
    FINISHED = "finished", "Finished"
    CANCELLED = "cancelled", "Cancelled"


@dataclass(frozen=True)
class Transition:
    """One change of a send's state: from which states, to which, and what it is called in
    the audit log and in a refusal ("it cannot be paused now")."""

    sources: tuple[str, ...]
    target: str
    done: str


# Every way a send's state changes, and who makes it. Nothing else writes ``Send.state``:
# scheduling creates a send in SCHEDULED; everything after goes through ``Send.objects.move``
# (a conditional UPDATE: the claim, safe between processes) or ``Send.move`` (on a locked row).
TRANSITIONS: dict[str, Transition] = {
    # the dispatcher, when the send is due
    "start": Transition((SendState.SCHEDULED,), SendState.RUNNING, "started"),
    # a comms lead; running batches stop before their next message
    "pause": Transition((SendState.RUNNING,), SendState.PAUSED, "paused"),
    # the engine, after NEWSLETTER_PAUSE_AFTER_FAILURES failures in a row
    "autopause": Transition((SendState.RUNNING,), SendState.PAUSED, "paused"),
    # a comms lead
    "resume": Transition((SendState.PAUSED,), SendState.RUNNING, "resumed"),
    # a comms lead; what is not yet sent is cancelled
    "cancel": Transition(
        (SendState.SCHEDULED, SendState.RUNNING, SendState.PAUSED),
        SendState.CANCELLED,
        "cancelled",
    ),
    # the dispatcher, when no delivery is left to send
    "finish": Transition((SendState.RUNNING,), SendState.FINISHED, "finished"),
    # a comms lead resending the failures of a finished send
    "reopen": Transition((SendState.FINISHED,), SendState.RUNNING, "reopened"),
}


class SendQuerySet(models.QuerySet):
    def move(self, event: str, **fields) -> int:
        """Apply the transition ``event`` to the sends here that allow it, with ``fields``
        set too, in one conditional UPDATE; how many moved. Two processes racing for the same
        send cannot both move it."""
        transition = TRANSITIONS[event]
        return self.filter(state__in=transition.sources).update(state=transition.target, **fields)


class Send(models.Model):
    State = SendState

    issue = models.ForeignKey(
        "newsletter.NewsletterIssuePage", on_delete=models.PROTECT, related_name="sends"
    )
    # The content is frozen at scheduling: every batch renders this revision.
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(max_length=255)
    lists = models.ManyToManyField("newsletter.MailingList", related_name="sends")
    scheduled_at = models.DateTimeField(db_index=True, help_text="Stored in UTC.")
    state = models.CharField(
        max_length=20, choices=State.choices, default=State.SCHEDULED, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Why the engine paused it by itself (empty when running, or paused by a person).
    pause_reason = models.TextField(blank=True)
    # Permanent or connection failures in a row, reset by a success (the automatic pause).
    consecutive_failures = models.PositiveIntegerField(default=0)

    objects = SendQuerySet.as_manager()

    class Meta:
        ordering = ["-scheduled_at"]
        permissions = [("schedule_send", "Can schedule, pause, cancel and resend newsletter sends")]

    def __str__(self) -> str:
        return f"Send {self.pk}: {self.subject}"

    def can(self, event: str) -> bool:
        return self.state in TRANSITIONS[event].sources

    def move(self, event: str) -> None:
        """Apply ``event`` to this (locked) row in memory; the caller saves it. Raises
        ``ValueError`` with the message for the user if the state does not allow it."""
        if not self.can(event):
            raise ValueError(
                f"This send is {self.get_state_display().lower()}; "
                f"it cannot be {TRANSITIONS[event].done} now."
            )
        self.state = TRANSITIONS[event].target


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"
        # The connection dropped after the message was sent, before the server confirmed it,
        # and NEWSLETTER_UNCERTAIN_DELIVERY is "never": it may or may not have arrived.
        UNCERTAIN = "uncertain", "Uncertain"
        CANCELLED = "cancelled", "Cancelled"

    IN_FLIGHT = (Status.QUEUED, Status.SENDING)
    NOT_DONE = (Status.PENDING, Status.QUEUED, Status.SENDING)

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(
        "newsletter.Subscriber",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    # The list the address came through: its name, reply-to and unsubscribe link are used.
    mailing_list = models.ForeignKey(
        "newsletter.MailingList", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.CharField(max_length=254)
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    batch_key = models.CharField(max_length=36, blank=True, db_index=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # When the dispatcher queued its batch: a batch no worker picks up is queued again.
    queued_at = models.DateTimeField(null=True, blank=True)
    # Once a reply was lost after the message was sent: it may have been received twice.
    uncertain = models.BooleanField(default=False)
    message_id = models.CharField(max_length=255, blank=True)
    smtp_reply = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["send", "email"], name="delivery_unique_per_send")
        ]
        indexes = [
            models.Index(fields=["send", "status"], name="delivery_send_status"),
            models.Index(fields=["status", "lease_expires_at"], name="delivery_status_lease"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"

"""What comes back: delivery status notifications, non-delivery reports, complaints and
unsubscribes by mail, read from the bounce mailbox or piped by the MTA
(``newsletter.services.bounces``)."""

from django.db import models

from .lists import Subscriber
from .sending import Delivery


class InboundMessage(models.Model):
    """One message that came back, and what the portal made of it. A message the parser did
    not understand keeps its raw bytes for a person to review (Newsletter › Bounces); the
    others keep only what was decided (kind, address, reason): not the message."""

    class Kind(models.TextChoices):
        HARD = "hard", "Hard bounce"
        SOFT = "soft", "Soft bounce"
        COMPLAINT = "complaint", "Complaint"
        UNSUBSCRIBE = "unsubscribe", "Unsubscribe by mail"
        IGNORED = "ignored", "Not a bounce (e.g. an automatic reply)"
        UNKNOWN = "unknown", "Not understood"

    class Status(models.TextChoices):
        PROCESSED = "processed", "Processed"
        REVIEW = "review", "To review"
        REVIEWED = "reviewed", "Reviewed"

    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    source = models.CharField(max_length=10)  # "imap" or "pipe"
    kind = models.CharField(max_length=12, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, db_index=True)
    subject = models.CharField(max_length=255, blank=True)
    sender = models.CharField(max_length=255, blank=True)
    address = models.CharField("recipient address", max_length=254, blank=True)
    reason = models.TextField(blank=True)
    delivery = models.ForeignKey(
        Delivery, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    subscriber = models.ForeignKey(
        Subscriber, null=True, blank=True, on_delete=models.SET_NULL, related_name="bounces"
    )
    raw = models.BinaryField(blank=True, default=b"", editable=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "returned message"
        indexes = [models.Index(fields=["kind", "delivery"], name="inbound_kind_delivery")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.address or self.subject}"

    @property
    def raw_text(self) -> str:
        return bytes(self.raw).decode("utf-8", errors="replace")

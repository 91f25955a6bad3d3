"""Clicks on the links of a mailed issue (``newsletter.services.clicks``), counted privately.

A send's links are recorded once (``SendLink``); the click redirect counts aggregates only:
clicks per link and day (``LinkClickDay``), and distinct clickers per send, as a Redis
HyperLogLog where the cache is Redis, else as ``ClickerDigest`` rows (keyed digests of the
delivery, counted, never joined to a person). Digests older than ENGAGEMENT_RETENTION_DAYS are
folded into ``SendClickers`` and deleted. ``Click`` rows (who clicked what) exist only where
NEWSLETTER_CLICKS_PER_PERSON is on; they are deleted after the same period and when the
subscriber is erased.
"""

from django.db import models

from .sending import Delivery, Send


class SendLink(models.Model):
    """One distinct link of a send's issue, numbered in the order it first appears (HTML
    part, then text part). The click redirect only ever sends people to these URLs."""

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveIntegerField()
    url = models.TextField()

    class Meta:
        ordering = ["send", "position"]
        constraints = [
            models.UniqueConstraint(fields=["send", "position"], name="sendlink_unique_position")
        ]

    def __str__(self) -> str:
        return f"Send {self.send_id} link {self.position}: {self.url}"


class LinkClickDay(models.Model):
    """Clicks on one link on one day (Europe/London): an aggregate, kept."""

    link = models.ForeignKey(SendLink, on_delete=models.CASCADE, related_name="click_days")
    day = models.DateField()
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "day"], name="linkclickday_unique_day")
        ]

    def __str__(self) -> str:
        return f"Link {self.link_id} on {self.day}: {self.clicks} click(s)"


class SendClickers(models.Model):
    """Distinct clickers of a send no longer held raw: with Redis, the last count of the
    send's HyperLogLog (the beat task copies it here before the key expires); without, the
    digests deleted after the retention period or by an erasure. An aggregate, kept."""

    send = models.OneToOneField(
        Send, on_delete=models.CASCADE, primary_key=True, related_name="clickers"
    )
    counted = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Send {self.send_id}: {self.counted} distinct clicker(s) counted"


class ClickerDigest(models.Model):
    """One distinct clicker of a send, as a keyed digest of the delivery (no Redis): raw,
    deleted after ENGAGEMENT_RETENTION_DAYS."""

    send = models.ForeignKey(Send, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=32)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["send", "digest"], name="clickerdigest_unique")
        ]

    def __str__(self) -> str:
        return f"Send {self.send_id} clicker digest"


class Click(models.Model):
    """One person's click, only with NEWSLETTER_CLICKS_PER_PERSON on: raw, deleted after
    ENGAGEMENT_RETENTION_DAYS and when the subscriber is erased."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="clicks")
    link = models.ForeignKey(SendLink, on_delete=models.CASCADE, related_name="+")
    clicked_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Delivery {self.delivery_id} clicked link {self.link_id}"

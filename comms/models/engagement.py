"""Reads counted privately: distinct signed-in readers per item and day, never who they were.

``ReadCount`` is the aggregate that stays; ``ReadDigest`` holds the raw marks of the embedded
default (no Redis), one per reader, item and day, as a keyed digest that changes every day.
Both are written by ``comms.services.engagement_reads``; see there for the guarantees.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import models


class ReadCount(models.Model):
    """How many distinct signed-in readers opened an item (a page, a statistic) on a day
    (Europe/London). Folded from the raw marks; never holds who they were."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    day = models.DateField()
    readers = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "daily read count"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "day"], name="comms_readcount_item_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="comms_readcount_day")]

    def __str__(self) -> str:
        return f"{self.readers} readers of {self.content_type_id}:{self.object_id} on {self.day}"


class ReadDigest(models.Model):
    """One reader's read of an item on a day, where the portal has no Redis: ``digest`` is an
    HMAC of the user id under a key derived from SECRET_KEY and the day, so the same person
    gives unrelated digests on different days and nobody without the secret can tell who it
    was. Deleted once its day is over and folded into ``ReadCount``."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    day = models.DateField()
    digest = models.CharField(max_length=32)

    class Meta:
        verbose_name = "raw read mark"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "day", "digest"],
                name="comms_readdigest_item_day_digest",
            )
        ]
        indexes = [models.Index(fields=["day"], name="comms_readdigest_day")]

    def __str__(self) -> str:
        return f"Read of {self.content_type_id}:{self.object_id} on {self.day}"

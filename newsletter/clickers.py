"""Distinct clickers per send, counted without a list of people.

Where the cache is Redis (CACHE_URL redis://…), a HyperLogLog per send (``PFADD``): it holds
no identifiers, only registers, and expires ENGAGEMENT_RETENTION_DAYS after the send's last
click; the beat task copies its count into ``SendClickers`` first, so the figure stays. Without
Redis (the embedded default of ``make run``), one ``ClickerDigest`` row per send and clicker:
a keyed digest (HMAC with a key derived from SECRET_KEY) of the delivery, counted and never
joined to people, deleted after the retention period with its count kept in ``SendClickers``.

Either way each element is the digest, not the delivery id, so even the HyperLogLog cannot be
probed for a person without the key. A person who clicks again after the retention period is
counted again (their digest was deleted); the figure errs high by those only.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils.crypto import salted_hmac

from newsletter.models import ClickerDigest, SendClickers

_SALT = "newsletter.clickers"


def clicker_digest(*, send_id: int, delivery_id: int) -> str:
    return salted_hmac(_SALT, f"{send_id}:{delivery_id}", algorithm="sha256").hexdigest()[:32]


def _redis():
    """(client, cache) when the default cache is Redis, else None."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        return cache._cache.get_client(write=True), cache
    return None


def _key(cache, send_id: int) -> str:
    return cache.make_key(f"newsletter:clickers:{send_id}")


def clicker_add(*, send_id: int, delivery_id: int, now) -> None:
    """Count this delivery's recipient once among the send's clickers (idempotent)."""
    digest = clicker_digest(send_id=send_id, delivery_id=delivery_id)
    redis = _redis()
    if redis is not None:
        client, cache = redis
        key = _key(cache, send_id)
        pipe = client.pipeline(transaction=False)
        pipe.pfadd(key, digest)
        pipe.expire(key, settings.ENGAGEMENT_RETENTION_DAYS * 86400)
        pipe.execute()
        return
    ClickerDigest.objects.bulk_create(
        [ClickerDigest(send_id=send_id, digest=digest, created_at=now)], ignore_conflicts=True
    )


def clickers_count(send_id: int) -> int:
    counted = (
        SendClickers.objects.filter(send_id=send_id).values_list("counted", flat=True).first() or 0
    )
    redis = _redis()
    if redis is not None:
        client, cache = redis
        return max(counted, client.pfcount(_key(cache, send_id)))
    return counted + ClickerDigest.objects.filter(send_id=send_id).count()


def _counted_row(send_id: int):
    SendClickers.objects.bulk_create([SendClickers(send_id=send_id)], ignore_conflicts=True)
    return SendClickers.objects.filter(send_id=send_id)


def clickers_retire(digests) -> int:
    """Delete these ``ClickerDigest`` rows, keeping their count in ``SendClickers`` (each
    send's figure is unchanged). Safe concurrently: each caller adds what it deleted."""
    retired = 0
    for send_id in set(digests.values_list("send_id", flat=True)):
        with transaction.atomic():
            deleted, _ = digests.filter(send_id=send_id).delete()
            if deleted:
                _counted_row(send_id).update(counted=F("counted") + deleted)
                retired += deleted
    return retired


def clickers_fold(send_ids) -> int:
    """Copy each send's HyperLogLog count into ``SendClickers`` (never lowering it), so the
    figure outlives the key. Nothing to do without Redis. Returns the sends folded."""
    redis = _redis()
    if redis is None:
        return 0
    client, cache = redis
    folded = 0
    for send_id in send_ids:
        count = client.pfcount(_key(cache, send_id))
        if count:
            _counted_row(send_id).update(counted=Greatest(F("counted"), count))
            folded += 1
    return folded

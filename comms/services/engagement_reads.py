"""Reads counted privately: how many distinct signed-in readers opened an item on a day.

An *item* is a model row named by content type and id (a newsletter issue, a blog post, the
statistics library, a statistic, a campaign page); a *day* is the Europe/London date. Only
signed-in readers' successful GETs are counted (``comms.middleware.ReadCountMiddleware``),
whether or not the page's parts came from the reader cache.

Nobody's identity is stored with the counts. A reader is marked by a *digest*: an HMAC of
the user id under a key derived from SECRET_KEY and the day, so digests of one person on two
days cannot be joined, and cannot be reversed without the secret. Where the marks go:

- the portal's cache is Redis (``CACHE_URL=redis://…``): one HyperLogLog per item and day
  (``PFADD`` of the digest), whose key expires ENGAGEMENT_RETENTION_DAYS + 1 days after its
  last read in any case;
- otherwise (the embedded default of ``make run``): one ``ReadDigest`` row per item, day and
  digest, written once a day per reader and item (a cache entry remembers it was written).

``reads_fold`` (beat, every few minutes: ``comms.tasks.reads_fold``) copies the day's distinct
counts into ``ReadCount`` and deletes the raw marks of every day that is over.
"""

import hashlib
import hmac
import logging
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

logger = logging.getLogger(__name__)

LONDON = ZoneInfo("Europe/London")
# Raw marks, by item and day (made into the cache's own key, with its prefix, for Redis).
_MARKS_KEY = "portal:reads:{day}:{content_type_id}:{object_id}"
_MARKS_PREFIX = "portal:reads:"
# "This reader's mark for this item and day is in the database already" (the database path).
_WRITTEN_KEY = "portal:readmark:{day}:{content_type_id}:{object_id}:{digest}"


def reads_day(at: datetime | None = None) -> date:
    """The Europe/London date of ``at`` (default now): the day a read counts on."""
    return timezone.localtime(at or timezone.now(), LONDON).date()


def retention_days() -> int:
    return settings.ENGAGEMENT_RETENTION_DAYS


@lru_cache(maxsize=8)
def _day_key(secret: str, day: date) -> bytes:
    base = hashlib.sha256(b"comms.engagement_reads.day-key:" + secret.encode()).digest()
    return hmac.new(base, day.isoformat().encode(), hashlib.sha256).digest()


def reader_digest(*, user_id: int, day: date) -> str:
    """The reader's mark for ``day``: 32 hex characters, unrelated from one day to the next."""
    key = _day_key(settings.SECRET_KEY, day)
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]


def _redis_client():
    """(Redis client, cache backend) of the portal's cache; the client is None when the cache
    is not Redis."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(backend, RedisCache):
        return None, backend
    return backend._cache.get_client(write=True), backend


def _marks_ttl() -> int:
    return (retention_days() + 1) * 86400


def read_record(
    *, user_id: int, content_type_id: int, object_id: int, at: datetime | None = None
) -> None:
    """Mark that the signed-in user ``user_id`` read the item on the day of ``at`` (now).

    Idempotent per reader, item and day. Never raises: a failure to count is logged (with the
    item, never the reader) and the reader's page is served all the same."""
    day = reads_day(at)
    digest = reader_digest(user_id=user_id, day=day)
    names = {"day": day.isoformat(), "content_type_id": content_type_id, "object_id": object_id}
    try:
        client, backend = _redis_client()
        if client is not None:
            key = backend.make_key(_MARKS_KEY.format(**names))
            # One round trip. The TTL (retention + 1 day from the last read) is a backstop
            # only: the fold deletes the key once its day is over.
            client.pipeline(transaction=False).pfadd(key, digest).expire(
                key, _marks_ttl()
            ).execute()
            return
        written = _WRITTEN_KEY.format(**names, digest=digest)
        # The key names the day, so a day and an hour is enough: written once a day.
        if not cache.add(written, 1, timeout=86400 + 3600):
            return
        try:
            _digest_insert(
                content_type_id=content_type_id, object_id=object_id, day=day, digest=digest
            )
        except Exception:
            cache.delete(written)
            raise
    except Exception:
        logger.warning(
            "Read of %s:%s on %s not counted", content_type_id, object_id, day, exc_info=True
        )


def _digest_insert(*, content_type_id: int, object_id: int, day: date, digest: str) -> None:
    from comms.models import ReadDigest

    ReadDigest.objects.bulk_create(
        [ReadDigest(content_type_id=content_type_id, object_id=object_id, day=day, digest=digest)],
        ignore_conflicts=True,
    )


def _counts_store(counts: dict[tuple[int, int, date], int]) -> int:
    """Write each (content type, object, day) -> readers into ``ReadCount``, never lowering a
    stored count (a day's distinct readers only grow). Returns how many rows changed."""
    from comms.models import ReadCount

    if not counts:
        return 0
    changed = 0
    with transaction.atomic():
        ReadCount.objects.bulk_create(
            [
                ReadCount(content_type_id=ct, object_id=obj, day=day, readers=0)
                for ct, obj, day in counts
            ],
            ignore_conflicts=True,
        )
        stored = {
            (row.content_type_id, row.object_id, row.day): row.readers
            for row in ReadCount.objects.filter(
                day__in={day for _, _, day in counts},
                object_id__in={obj for _, obj, _ in counts},
            )
        }
        for (ct, obj, day), readers in counts.items():
            if stored.get((ct, obj, day), 0) < readers:
                changed += ReadCount.objects.filter(
                    content_type_id=ct, object_id=obj, day=day, readers__lt=readers
                ).update(readers=readers)
    return changed


def _fold_database(*, today: date) -> tuple[int, int]:
    from comms.models import ReadDigest

    counts = {
        (row["content_type_id"], row["object_id"], row["day"]): row["readers"]
        for row in ReadDigest.objects.values("content_type_id", "object_id", "day").annotate(
            readers=Count("digest")
        )
    }
    changed = _counts_store(counts)
    # Every day before today is over: its marks are folded above and go now (so none is ever
    # kept for ENGAGEMENT_RETENTION_DAYS, let alone longer).
    deleted, _ = ReadDigest.objects.filter(day__lt=today).delete()
    return changed, deleted


def _fold_redis(client, backend, *, today: date) -> tuple[int, int]:
    prefix = backend.make_key(_MARKS_PREFIX)
    counts, over = {}, []
    for raw_key in client.scan_iter(match=f"{prefix}*", count=1000):
        key = raw_key.decode() if isinstance(raw_key, bytes) else raw_key
        try:
            day_text, ct, obj = key[len(prefix) :].split(":")
            day = date.fromisoformat(day_text)
            item = (int(ct), int(obj), day)
        except ValueError:
            logger.warning("Read marks key %s is not ours: left alone", key)
            continue
        counts[item] = client.pfcount(key)
        if day < today:
            over.append(key)
    changed = _counts_store(counts)
    deleted = client.delete(*over) if over else 0
    return changed, deleted


def reads_fold(*, at: datetime | None = None) -> dict[str, int]:
    """Fold the raw read marks into ``ReadCount`` and delete those of days that are over.

    Each item and day's count becomes the number of distinct marks (HyperLogLog estimate in
    Redis, within about 1%; exact in the database), never lower than what is stored, so running
    it twice changes nothing, and two runs at once do no harm. Today's marks stay, to be
    counted again by the next run; marks of earlier days are deleted once folded (in any case
    after ENGAGEMENT_RETENTION_DAYS). Folds the database marks always and the Redis ones when
    the cache is Redis, so a switch of cache mid-day loses nothing (the larger count wins).
    Returns {"changed": ReadCount rows changed, "deleted": raw rows and keys deleted}."""
    today = reads_day(at)
    changed, deleted = _fold_database(today=today)
    client, backend = _redis_client()
    if client is not None:
        more_changed, more_deleted = _fold_redis(client, backend, today=today)
        changed, deleted = changed + more_changed, deleted + more_deleted
    return {"changed": changed, "deleted": deleted}

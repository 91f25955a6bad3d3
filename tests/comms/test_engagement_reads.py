"""Reads counted privately (comms.services.engagement_reads, comms.middleware): distinct
signed-in readers per item and Europe/London day, on both stores (the database of the embedded
default, and Redis where the cache is Redis), folded into ReadCount; nobody's identity kept."""

import datetime
import os
import uuid
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import Client

import pytest

from campaign.models import CampaignPhasePage, CampaignPlanPage
from comms import roles
from comms.models import ReadCount, ReadDigest
from comms.selectors import reads_daily, reads_total
from comms.services import engagement_reads
from comms.tasks import reads_fold as reads_fold_task
from stats.models import Statistic, StatisticsIndexPage
from tests.comms.test_settings import manage
from tests.factories import StatisticFactory, UserFactory, blog_post, newsletter_issue
from tests.security.content import pack_load
from tests.services import service_unavailable, tcp_reachable

LONDON = ZoneInfo("Europe/London")
DAY = datetime.date(2026, 3, 10)
NEXT_DAY = DAY + datetime.timedelta(days=1)


def noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=LONDON)


@pytest.fixture(params=["database", "redis"])
def store(request, settings):
    """Each test runs on both stores: the database path (the test settings' local-memory
    cache, like the embedded default's file cache) and Redis (CACHE_URL=redis://…; the
    broker's Redis with a key prefix of this test's own, whose keys are deleted after)."""
    if request.param == "redis":
        url = os.environ.get("CACHE_URL") or settings.CELERY_BROKER_URL
        if not url.startswith("redis") or not tcp_reachable(url, 6379):
            service_unavailable("Redis", f"nothing listening for {url}")
        prefix = f"tr-test-reads-{uuid.uuid4().hex[:8]}"
        settings.CACHES = {
            "default": {
                "BACKEND": "comms.readercache.cache_backends.ReusedClientRedisCache",
                "LOCATION": url,
                "KEY_PREFIX": prefix,
            }
        }
        yield request.param
        client = engagement_reads._redis_client()[0]
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)
    else:
        yield request.param


@pytest.fixture
def portal(db, store):
    pack_load()
    return {
        "issue": newsletter_issue("Issue one"),
        "post": blog_post("Protecting our research"),
        "statistic": StatisticFactory(),
    }


@pytest.fixture
def on_day(monkeypatch):
    """``on_day(date)``: reads from now on count on that Europe/London day."""
    real = engagement_reads.reads_day

    def set_day(day: datetime.date) -> None:
        monkeypatch.setattr(
            engagement_reads, "reads_day", lambda at=None: day if at is None else real(at)
        )

    return set_day


def reader() -> Client:
    client = Client()
    client.force_login(UserFactory(role=roles.STAFF))
    return client


def fold(day: datetime.date) -> dict:
    return engagement_reads.reads_fold(at=noon(day))


def readers_on(obj, day: datetime.date) -> int:
    return dict(reads_daily(obj, day, day))[day]


def raw_marks(store: str) -> list:
    """Every raw mark left: ReadDigest rows, or the Redis keys of read marks."""
    if store == "database":
        return list(ReadDigest.objects.all())
    client, backend = engagement_reads._redis_client()
    return list(client.scan_iter(match=backend.make_key("portal:reads:") + "*"))


# --- Counting -------------------------------------------------------------------------------


def test_a_reader_opening_an_issue_twice_in_a_day_counts_once(portal, on_day):
    on_day(DAY)
    client = reader()
    assert client.get(portal["issue"].url).status_code == 200
    assert client.get(portal["issue"].url).status_code == 200
    fold(DAY)
    assert reads_daily(portal["issue"], DAY, DAY) == [(DAY, 1)]


def test_two_readers_count_two(portal, on_day):
    on_day(DAY)
    for client in (reader(), reader()):
        assert client.get(portal["issue"].url).status_code == 200
    fold(DAY)
    assert readers_on(portal["issue"], DAY) == 2


def test_the_next_day_counts_again(portal, on_day):
    client = reader()
    on_day(DAY)
    client.get(portal["issue"].url)
    fold(DAY)
    on_day(NEXT_DAY)
    client.get(portal["issue"].url)
    fold(NEXT_DAY)
    assert reads_daily(portal["issue"], DAY, NEXT_DAY) == [(DAY, 1), (NEXT_DAY, 1)]
    # Reader-days: the same person on two days is two (the portal cannot tell, by design).
    assert reads_total(portal["issue"], DAY, NEXT_DAY) == 2


def test_a_response_served_from_the_reader_cache_still_counts(portal, on_day):
    on_day(DAY)
    assert reader().get(portal["issue"].url).status_code == 200
    response = reader().get(portal["issue"].url)
    assert response.status_code == 200
    # The second reader's page came by the cached route and fragments (comms.readercache).
    assert getattr(response.wsgi_request, "_portal_route_from_cache", False) is True
    fold(DAY)
    assert readers_on(portal["issue"], DAY) == 2


def test_anonymous_requests_and_the_login_page_do_not_count(portal, on_day, store):
    on_day(DAY)
    anonymous = Client()
    assert anonymous.get(portal["issue"].url).status_code == 302
    assert anonymous.get("/accounts/login/").status_code == 200
    assert reader().head(portal["issue"].url).status_code == 200
    assert raw_marks(store) == []
    fold(DAY)
    assert not ReadCount.objects.exists()


def test_what_readers_open_is_counted_as_its_item(portal, on_day):
    on_day(DAY)
    client = reader()
    statistic = portal["statistic"]
    library = StatisticsIndexPage.objects.get()
    plan = CampaignPlanPage.objects.get()
    phase = CampaignPhasePage.objects.live().first()
    for url in (
        portal["issue"].url,
        portal["post"].url,
        library.url,
        f"{library.url}{statistic.pk}/",
        plan.url,
        phase.url,
        f"{library.url}numbers/",
        f"{library.url}{statistic.pk}/card/",
        "/",
        "/blog/",
        "/newsletters/",
    ):
        assert client.get(url).status_code == 200, url
    fold(DAY)
    counted = {
        (row.content_type.model_class(), row.object_id): row.readers
        for row in ReadCount.objects.select_related("content_type")
    }
    assert counted == {
        (type(portal["issue"]), portal["issue"].pk): 1,
        (type(portal["post"]), portal["post"].pk): 1,
        (StatisticsIndexPage, library.pk): 1,
        (Statistic, statistic.pk): 1,
        (CampaignPlanPage, plan.pk): 1,
        (CampaignPhasePage, phase.pk): 1,
    }
    assert readers_on(statistic, DAY) == 1


def test_the_mark_is_written_once_the_response_is_sent(portal, on_day, store):
    # The reader does not wait for it: the WSGI server (here the test client) runs it when
    # it closes the response.
    from django.test import RequestFactory

    from comms.middleware import ReadCountMiddleware

    on_day(DAY)
    issue = portal["issue"]
    request = RequestFactory().get(issue.url)
    request.user = UserFactory(role=roles.STAFF)
    request._wagtail_route_for_request = (issue, [], {})
    response = ReadCountMiddleware(lambda request: HttpResponse("the issue"))(request)
    assert raw_marks(store) == []
    # As the test client closes a response: without closing the test's database connection.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert len(raw_marks(store)) == 1


def test_a_page_that_is_not_found_does_not_count(portal, on_day, store):
    on_day(DAY)
    library = StatisticsIndexPage.objects.get()
    assert reader().get(f"{library.url}999999/").status_code == 404
    assert raw_marks(store) == []


# --- Folding, deletion, retention -------------------------------------------------------------


def test_the_fold_task_writes_read_counts_and_is_idempotent(portal, on_day, store):
    on_day(DAY)
    for client in (reader(), reader(), reader()):
        client.get(portal["issue"].url)
    reader().get(portal["post"].url)
    fold(DAY)
    first = list(ReadCount.objects.order_by("pk").values())
    assert fold(DAY)["changed"] == 0
    assert list(ReadCount.objects.order_by("pk").values()) == first
    assert {(row["object_id"], row["readers"]) for row in first} == {
        (portal["issue"].pk, 3),
        (portal["post"].pk, 1),
    }
    # The task beat runs (trustedresearch/celery.py) does the same on today's date: run the
    # next day, it changes no count and deletes the day's raw marks.
    on_day(NEXT_DAY)
    assert reads_fold_task.run()["changed"] == 0
    assert list(ReadCount.objects.order_by("pk").values()) == first
    assert raw_marks(store) == []


def test_the_fold_is_in_the_one_beat_schedule():
    from trustedresearch.celery import app

    entries = [e for e in app.conf.beat_schedule.values() if e["task"] == "comms.tasks.reads_fold"]
    assert len(entries) == 1
    assert entries[0]["schedule"] <= 600


def test_raw_marks_stay_for_today_and_are_gone_once_the_day_is_over_and_folded(
    portal, on_day, store
):
    on_day(DAY)
    reader().get(portal["issue"].url)
    fold(DAY)
    assert len(raw_marks(store)) == 1  # today: still counting
    fold(NEXT_DAY)
    assert raw_marks(store) == []
    assert readers_on(portal["issue"], DAY) == 1  # the aggregate stays
    fold(NEXT_DAY + datetime.timedelta(days=1))
    assert readers_on(portal["issue"], DAY) == 1


def test_raw_marks_older_than_the_retention_are_gone(portal, on_day, store, settings):
    settings.ENGAGEMENT_RETENTION_DAYS = 30
    old = DAY - datetime.timedelta(days=31)
    on_day(old)
    reader().get(portal["issue"].url)
    fold(DAY)
    assert raw_marks(store) == []
    assert readers_on(portal["issue"], old) == 1
    if store == "redis":
        # Unfolded keys expire on their own a day after the retention at the latest.
        on_day(DAY)
        reader().get(portal["issue"].url)
        client, _ = engagement_reads._redis_client()
        (key,) = raw_marks(store)
        assert 30 * 86400 < client.ttl(key) <= 31 * 86400


def test_no_user_id_or_username_is_stored_with_the_reads(portal, on_day, store):
    on_day(DAY)
    client = Client()
    user = UserFactory(username="zebedee.reader", role=roles.STAFF)
    client.force_login(user)
    client.get(portal["issue"].url)
    fold(NEXT_DAY)  # folds the day, deletes its marks
    on_day(NEXT_DAY)
    client.get(portal["post"].url)  # today's raw mark is there to inspect

    assert {f.name for f in ReadDigest._meta.get_fields()} == {
        "id",
        "content_type",
        "object_id",
        "day",
        "digest",
    }
    assert {f.name for f in ReadCount._meta.get_fields()} == {
        "id",
        "content_type",
        "object_id",
        "day",
        "readers",
    }
    identities = {str(user.pk), user.username, user.email}
    if store == "database":
        (mark,) = ReadDigest.objects.all()
        assert mark.digest not in identities
        assert len(mark.digest) == 32
        # The mark is not the same from one day to the next, so days cannot be joined.
        assert mark.digest != engagement_reads.reader_digest(user_id=user.pk, day=DAY)
        stored = [repr(row) for row in ReadDigest.objects.values_list()]
    else:
        redis, _ = engagement_reads._redis_client()
        (key,) = raw_marks(store)
        key = key.decode()
        # The key names the day and the item, nothing else.
        day, content_type_id, object_id = key.rsplit(":", 3)[1:]
        assert (day, int(content_type_id), int(object_id)) == (
            NEXT_DAY.isoformat(),
            portal["post"].content_type_id,
            portal["post"].pk,
        )
        stored = [key, repr(redis.dump(key))]
    stored += [repr(row) for row in ReadCount.objects.values_list()]
    # The database path's "written today" cache entries name the day, item and digest.
    read_keys = [key for key in _cache_keys() if "portal:read" in key]
    assert read_keys
    stored += read_keys
    for text in stored:
        assert "zebedee" not in text and user.email not in text
    assert not any(key.endswith(f":{user.pk}") for key in read_keys)


def _cache_keys() -> list[str]:
    backend = getattr(cache, "_cache", None)
    if isinstance(backend, dict):  # LocMemCache
        return list(backend)
    client = engagement_reads._redis_client()[0]
    prefix = cache.make_key("")
    return [key.decode() for key in client.scan_iter(match=f"{prefix}*")]


# --- Settings -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "ENGAGEMENT_RETENTION_DAYS=0 is not a positive whole number"),
        ("-5", "ENGAGEMENT_RETENTION_DAYS=-5 is not a positive whole number"),
        ("ninety", "ENGAGEMENT_RETENTION_DAYS='ninety' is not a whole number"),
    ],
)
def test_a_bad_retention_setting_stops_the_portal_with_a_clear_message(value, expected):
    result = manage("check", env_overrides={"ENGAGEMENT_RETENTION_DAYS": value})
    assert result.returncode != 0
    assert expected in result.stderr


def test_the_retention_defaults_to_90_days(settings):
    assert settings.ENGAGEMENT_RETENTION_DAYS == 90

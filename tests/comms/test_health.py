"""/healthz reports the database, the broker and the age of the last beat heartbeat a worker
processed, with no secrets, and needs no sign-in."""

import json
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

import pytest

from tests.services import service_unavailable, tcp_reachable

pytestmark = pytest.mark.django_db


def _heartbeat(seconds_ago: float) -> None:
    """A heartbeat a worker processed ``seconds_ago`` (what ``comms.tasks.heartbeat`` writes)."""
    from comms.services.health import heartbeat_record

    heartbeat_record(at=timezone.now() - timedelta(seconds=seconds_ago))


def _needs_redis(settings):
    if not tcp_reachable(settings.CELERY_BROKER_URL, 6379):
        service_unavailable("Redis", f"nothing listening for {settings.CELERY_BROKER_URL}")


def test_healthz_ok_with_real_broker_and_a_fresh_heartbeat(client, settings):
    _needs_redis(settings)
    _heartbeat(5)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["broker"]) == ("ok", "ok")
    assert body["heartbeat"]["ok"] is True
    assert 4 <= body["heartbeat"]["age_seconds"] <= 60


def test_healthz_503_when_no_heartbeat_for_three_minutes(client, settings):
    _needs_redis(settings)
    _heartbeat(181)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert (body["database"], body["broker"]) == ("ok", "ok")
    assert body["heartbeat"]["ok"] is False
    assert body["heartbeat"]["age_seconds"] >= 181


def test_healthz_503_when_no_heartbeat_was_ever_processed(client, settings):
    _needs_redis(settings)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["heartbeat"] == {"ok": False, "age_seconds": None}


def test_heartbeat_limit_is_a_setting(client, settings):
    _needs_redis(settings)
    settings.HEALTH_HEARTBEAT_MAX_AGE = 30
    _heartbeat(45)
    assert client.get("/healthz").status_code == 503
    settings.HEALTH_HEARTBEAT_MAX_AGE = 60
    assert client.get("/healthz").status_code == 200


@override_settings(CELERY_BROKER_URL="redis://:s3cret-password@127.0.0.1:1/0")
def test_healthz_503_names_the_broker_when_it_is_down(client):
    _heartbeat(1)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "ok"
    assert response.json()["broker"] == "unavailable"
    assert "s3cret" not in json.dumps(response.json())


def test_healthz_needs_no_sign_in_and_only_get(client):
    assert client.post("/healthz").status_code == 405

"""/healthz reports the database and the broker, with no secrets, and needs no sign-in."""

import json

from django.test import override_settings

import pytest

from tests.services import service_unavailable, tcp_reachable

pytestmark = pytest.mark.django_db


def test_healthz_ok_with_real_broker(client, settings):
    if not tcp_reachable(settings.CELERY_BROKER_URL, 6379):
        service_unavailable("Redis", f"nothing listening for {settings.CELERY_BROKER_URL}")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


@override_settings(CELERY_BROKER_URL="redis://:s3cret-password@127.0.0.1:1/0")
def test_healthz_503_names_the_broker_when_it_is_down(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "unavailable"}
    assert "s3cret" not in json.dumps(response.json())


def test_healthz_needs_no_sign_in_and_only_get(client):
    assert client.post("/healthz").status_code == 405

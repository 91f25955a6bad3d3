"""/unsubscribe/<token>/: GET changes nothing, POST (and RFC 8058 one-click) unsubscribes."""

import json

from django.core import signing
from django.test import Client

import pytest

from newsletter.models import Membership
from newsletter.tokens import unsubscribe_token
from tests.factories import MailingListFactory, subscribe_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership():
    mailing_list = MailingListFactory(name="All staff")
    (subscriber,) = subscribe_many(mailing_list, ["ada@example.ac.uk"])
    return Membership.objects.get(subscriber=subscriber)


def url(membership):
    token = unsubscribe_token(
        subscriber_id=membership.subscriber_id, list_id=membership.mailing_list_id
    )
    return f"/unsubscribe/{token}/"


def test_get_shows_confirmation_and_changes_nothing(membership):
    response = Client().get(url(membership))
    assert response.status_code == 200
    assert "Unsubscribe from All staff?" in response.content.decode()
    membership.refresh_from_db()
    assert membership.unsubscribed_at is None


def test_post_unsubscribes_idempotently_and_offers_resubscribe(membership):
    client = Client(enforce_csrf_checks=True)
    first = client.post(url(membership), {"action": "unsubscribe"})
    second = client.post(url(membership), {"action": "unsubscribe"})
    assert first.status_code == second.status_code == 200
    assert "You are unsubscribed" in second.content.decode()
    assert "Resubscribe to All staff" in second.content.decode()
    membership.refresh_from_db()
    assert membership.unsubscribed_at is not None

    again = client.post(url(membership), {"action": "resubscribe"})
    assert "Welcome back" in again.content.decode()
    membership.refresh_from_db()
    assert membership.unsubscribed_at is None


def test_one_click_post_without_csrf_token(membership):
    response = Client(enforce_csrf_checks=True).post(
        url(membership),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.unsubscribed_at is not None


@pytest.mark.parametrize("token", ["nonsense", "WzEsMl0:tampered"])
def test_tampered_token_gets_a_friendly_400(membership, token):
    response = Client().get(f"/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "could not recognise this unsubscribe link" in response.content.decode()


def test_token_for_someone_else_does_not_validate(membership):
    token = unsubscribe_token(
        subscriber_id=membership.subscriber_id, list_id=membership.mailing_list_id
    )
    payload = json.dumps([membership.subscriber_id + 1, membership.mailing_list_id])
    forged = (
        signing.b64_encode(payload.replace(" ", "").encode()).decode() + ":" + token.split(":")[1]
    )
    assert Client().post(f"/unsubscribe/{forged}/").status_code == 400

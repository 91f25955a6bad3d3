"""Login throttling behind the reverse proxy: django-axes locks out the client's own address,
read through ``TRUSTED_PROXY_COUNT`` proxies, never the proxy's (which every visitor shares)."""

from django.test import Client

import pytest

from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "10.0.0.2"


def login(client, password, *, remote_addr, forwarded_for=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(LOGIN, {"username": "alice", "password": password}, **extra)


def test_behind_one_proxy_a_lockout_follows_the_client_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="alice")
    attacker, alice = Client(), Client()
    for _ in range(5):
        # The attacker's own forged entry comes first; the proxy appends the real address.
        login(attacker, "wrong-password", remote_addr=PROXY, forwarded_for="1.2.3.4, 203.0.113.5")
    locked = login(attacker, TEST_PASSWORD, remote_addr=PROXY, forwarded_for="203.0.113.5")
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()

    signed_in = login(alice, TEST_PASSWORD, remote_addr=PROXY, forwarded_for="198.51.100.7")
    assert signed_in.status_code == 302
    assert "_auth_user_id" in alice.session


def test_behind_two_proxies_the_address_the_outer_proxy_saw_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    UserFactory(username="alice")
    attacker = Client()
    for _ in range(5):
        login(attacker, "wrong-password", remote_addr=PROXY, forwarded_for="203.0.113.5, 10.0.0.9")
    locked = login(
        attacker, TEST_PASSWORD, remote_addr=PROXY, forwarded_for="203.0.113.5, 10.0.0.9"
    )
    assert locked.status_code == 429
    alice = Client()
    signed_in = login(
        alice, TEST_PASSWORD, remote_addr=PROXY, forwarded_for="198.51.100.7, 10.0.0.9"
    )
    assert signed_in.status_code == 302


def test_with_no_proxy_a_forged_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="alice")
    attacker = Client()
    for number in range(5):
        # A new forged address each time would dodge the lockout if the header were believed.
        login(
            attacker, "wrong-password", remote_addr="203.0.113.5", forwarded_for=f"192.0.2.{number}"
        )
    locked = login(attacker, TEST_PASSWORD, remote_addr="203.0.113.5", forwarded_for="192.0.2.99")
    assert locked.status_code == 429
    elsewhere = login(Client(), TEST_PASSWORD, remote_addr="198.51.100.7")
    assert elsewhere.status_code == 302


def test_a_malformed_forwarded_for_falls_back_to_the_proxy_address(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="alice")
    for _ in range(5):
        login(Client(), "wrong-password", remote_addr=PROXY, forwarded_for="not-an-address")
    locked = login(Client(), TEST_PASSWORD, remote_addr=PROXY, forwarded_for="")
    assert locked.status_code == 429

"""Clicks in a mailed issue, counted privately: a recipient's link in the message the SMTP
server received goes through the portal's signed redirect and lands on the link's address;
clicks are counted per link, distinct clickers per send (a person once); tampered or unknown
links get a plain 400 page and nothing is ever a target that the send did not contain; test
sends are not tracked; who clicked what is kept only with NEWSLETTER_CLICKS_PER_PERSON, and
goes with the subscriber's erasure or the retention period, while the counts stay."""

import io
import json
import re
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy

from django.core.management import call_command
from django.test import Client
from django.utils import timezone

import pytest

from comms import roles
from newsletter.clickers import clickers_count
from newsletter.links import issue_links
from newsletter.models import (
    Click,
    ClickerDigest,
    Delivery,
    LinkClickDay,
    SendClickers,
    SendLink,
    Subscriber,
)
from newsletter.rendering import render_issue
from newsletter.selectors import send_clicks
from newsletter.services.clicks import clicks_retention_sweep, send_links_record, send_rendering
from newsletter.services.sends import send_schedule
from newsletter.services.subscribers import subscriber_erase
from newsletter.tokens import click_key
from tests.factories import MailingListFactory, UserFactory, newsletter_issue, subscribe_many
from tests.newsletter.test_engine import run_until_finished

pytestmark = pytest.mark.django_db

NPSA = "https://www.npsa.gov.uk/trusted-research?from=newsletter&issue=3"
BODY = [
    ("heading", "Spotlight"),
    (
        "rich_text",
        '<p>Read <a href="/blog/">the blog</a>, the '
        '<a href="https://www.npsa.gov.uk/trusted-research?from=newsletter&amp;issue=3">NPSA '
        'guidance</a>, or write to <a href="mailto:research-office@example.ac.uk">us</a>.</p>',
    ),
]
CLICK_URL = re.compile(r"https?://[^\s\"<>]+/newsletters/c/[^\s\"<>]+/\d+/")


@pytest.fixture
def lead(db):
    return UserFactory(role=roles.COMMS_LEADS)


@pytest.fixture
def sent(smtp, lead, django_capture_on_commit_callbacks):
    """An issue with links mailed to three people through the real SMTP server; returns the
    send and each recipient's received message."""
    mailing_list = MailingListFactory(name="All staff")
    addresses = ["ann@example.ac.uk", "bob@example.ac.uk", "cat@example.ac.uk"]
    subscribe_many(mailing_list, addresses)
    issue = newsletter_issue(body=BODY)
    send = send_schedule(issue=issue, lists=[mailing_list], at=None, user=lead)
    run_until_finished(send, django_capture_on_commit_callbacks)
    received = {rcpt: message_from_bytes(raw, policy=default_policy) for rcpt, raw in smtp.messages}
    assert sorted(received) == addresses
    return send, received


def parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def links_in(message) -> list[str]:
    text, html = parts(message)
    return CLICK_URL.findall(html) + CLICK_URL.findall(text)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def link_to(message, target: str) -> str:
    """The tracked link in the HTML part that leads to ``target``."""
    send_link = SendLink.objects.get(url=target)
    _, html = parts(message)
    return next(url for url in CLICK_URL.findall(html) if url.endswith(f"/{send_link.position}/"))


def test_a_link_in_the_received_email_redirects_to_the_page_and_is_counted(sent, staff_user):
    send, received = sent
    message = received["ann@example.ac.uk"]
    issue_url = f"http://testserver{send.issue.url}"  # "Read this issue on the portal"
    link = link_to(message, issue_url)

    response = Client().get(path_of(link))  # no sign-in needed for the redirect itself
    assert response.status_code == 302
    assert response["Location"] == issue_url
    reader = Client()
    reader.force_login(staff_user)
    page = reader.get(path_of(response["Location"]))  # lands on the page (signed in)
    assert page.status_code == 200
    assert send.issue.title in page.text

    assert send_clicks(send) == {"clicks": 1, "unique_clickers": 1}
    link = SendLink.objects.get(send=send, url=issue_url)
    assert LinkClickDay.objects.get(link=link).clicks == 1


def test_every_link_but_unsubscribe_and_mailto_is_tracked_in_both_parts(sent):
    send, received = sent
    text, html = parts(received["bob@example.ac.uk"])
    assert set(SendLink.objects.filter(send=send).values_list("url", flat=True)) >= {
        "http://testserver/blog/",
        NPSA,
    }
    assert "mailto:research-office@example.ac.uk" in html
    assert "/unsubscribe/" in html and "/unsubscribe/" in text
    assert "npsa.gov.uk" not in html and "npsa.gov.uk" not in text  # only through the redirect
    assert CLICK_URL.findall(text), "the text part's links go through the redirect too"
    headers = received["bob@example.ac.uk"]["List-Unsubscribe"]
    assert "/unsubscribe/" in headers and "/newsletters/c/" not in headers


def test_each_text_link_leads_where_the_html_link_does(sent):
    """Every tracked link in either part redirects to a recorded address of this send."""
    send, received = sent
    recorded = set(SendLink.objects.filter(send=send).values_list("url", flat=True))
    for url in links_in(received["cat@example.ac.uk"]):
        response = Client().head(path_of(url))
        assert response.status_code == 302
        assert response["Location"] in recorded
    assert send_clicks(send)["clicks"] == 0  # HEAD (link checkers) is not counted


def test_clicks_are_counted_per_link_and_a_person_once(sent):
    send, received = sent
    ann, bob = received["ann@example.ac.uk"], received["bob@example.ac.uk"]
    for _ in range(3):
        Client().get(path_of(link_to(ann, NPSA)))
    Client().get(path_of(link_to(ann, "http://testserver/blog/")))
    Client().get(path_of(link_to(bob, NPSA)))

    assert send_clicks(send) == {"clicks": 5, "unique_clickers": 2}
    by_link = dict(LinkClickDay.objects.filter(link__send=send).values_list("link__url", "clicks"))
    assert by_link == {NPSA: 4, "http://testserver/blog/": 1}


def test_newsletter_status_prints_clicks_and_unique_clickers(sent):
    send, received = sent
    Client().get(path_of(link_to(received["ann@example.ac.uk"], NPSA)))
    out = io.StringIO()
    call_command("newsletter_status", str(send.pk), stdout=out)
    status = json.loads(out.getvalue())
    assert (status["clicks"], status["unique_clickers"]) == (1, 1)
    assert (status["state"], status["sent"]) == ("finished", 3)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda key: key[:-1] + ("A" if key[-1] != "A" else "B"),  # signature changed
        lambda key: "9" + key,  # another send
        lambda key: key.split(".")[0] + ".zz." + key.split(".")[2],  # another delivery
        lambda key: key.rsplit(".", 1)[0],  # no signature
        lambda key: "not-a-key",
    ],
)
def test_a_tampered_link_gets_a_plain_400_page_and_counts_nothing(sent, tamper):
    send, received = sent
    url = path_of(link_to(received["ann@example.ac.uk"], NPSA))
    key = url.split("/")[3]
    response = Client().get(url.replace(key, tamper(key)))
    assert response.status_code == 400
    assert "We could not recognise this newsletter link" in response.text
    assert "Location" not in response
    assert send_clicks(send) == {"clicks": 0, "unique_clickers": 0}


def test_only_addresses_recorded_for_that_send_are_ever_targets(sent, lead):
    """A valid key with a position the send does not have, or another send's link: 400."""
    send, received = sent
    other_list = MailingListFactory(name="Other")
    subscribe_many(other_list, ["someone@example.ac.uk"])
    other = send_schedule(
        issue=newsletter_issue(
            body=[("rich_text", '<p><a href="https://evil.example/">x</a></p>')]
        ),
        lists=[other_list],
        at=None,
        user=lead,
    )
    send_links_record(send=other, urls=["https://evil.example/"])
    delivery = Delivery.objects.filter(send=send).first()
    key = click_key(send_id=send.pk, delivery_id=delivery.pk)
    positions = set(SendLink.objects.filter(send=send).values_list("position", flat=True))
    for position in (0, max(positions) + 1, 99):
        response = Client().get(f"/newsletters/c/{key}/{position}/")
        assert response.status_code == 400
    # The other send's link, with this send's valid key: not a target of this send.
    assert SendLink.objects.get(send=other).position in positions
    response = Client().get(f"/newsletters/c/{key}/{SendLink.objects.get(send=other).position}/")
    assert response.status_code == 302
    assert response["Location"] != "https://evil.example/"
    response = Client().get("/newsletters/c/x/1/?next=https://evil.example/")
    assert response.status_code == 400


def test_a_test_send_is_not_tracked(client_as, lead, smtp):
    issue = newsletter_issue(body=BODY)
    response = client_as(lead).post(f"/admin/newsletter/test/{issue.pk}/", {"email": lead.email})
    assert response.status_code == 302
    (raw,) = [raw for _, raw in smtp.messages]
    message = message_from_bytes(raw, policy=default_policy)
    text, html = parts(message)
    assert "/newsletters/c/" not in html and "/newsletters/c/" not in text
    assert "npsa.gov.uk" in html
    assert not SendLink.objects.exists()


def test_per_person_clicks_are_off_by_default(sent, settings):
    assert settings.NEWSLETTER_CLICKS_PER_PERSON is False
    send, received = sent
    Client().get(path_of(link_to(received["ann@example.ac.uk"], NPSA)))
    assert not Click.objects.exists()
    # Distinct clickers without Redis: a keyed digest, with no column naming the person.
    (digest,) = ClickerDigest.objects.filter(send=send)
    fields = {field.name for field in ClickerDigest._meta.get_fields()}
    assert fields == {"id", "send", "digest", "created_at"}
    assert str(Delivery.objects.get(send=send, email="ann@example.ac.uk").pk) not in digest.digest


def test_per_person_clicks_when_on_and_erased_with_the_subscriber(sent, settings):
    settings.NEWSLETTER_CLICKS_PER_PERSON = True
    send, received = sent
    Client().get(path_of(link_to(received["ann@example.ac.uk"], NPSA)))
    Client().get(path_of(link_to(received["bob@example.ac.uk"], NPSA)))
    ann = Delivery.objects.get(send=send, email="ann@example.ac.uk")
    assert Click.objects.filter(delivery=ann, link__url=NPSA).count() == 1
    assert Click.objects.count() == 2

    subscriber_erase(subscriber=Subscriber.objects.get(email="ann@example.ac.uk"))

    assert not Click.objects.filter(delivery=ann).exists()
    assert Click.objects.count() == 1  # Bob's stays
    assert ClickerDigest.objects.filter(send=send).count() == 1  # Ann's digest went too
    assert send_clicks(send) == {"clicks": 2, "unique_clickers": 2}  # the counts stay


def test_retention_deletes_old_raw_rows_and_keeps_the_counts(sent, settings):
    settings.NEWSLETTER_CLICKS_PER_PERSON = True
    settings.ENGAGEMENT_RETENTION_DAYS = 90
    send, received = sent
    Client().get(path_of(link_to(received["ann@example.ac.uk"], NPSA)))
    Client().get(path_of(link_to(received["bob@example.ac.uk"], NPSA)))
    old = timezone.now() - timedelta(days=91)
    ann = Delivery.objects.get(send=send, email="ann@example.ac.uk")
    Click.objects.filter(delivery=ann).update(clicked_at=old)
    ClickerDigest.objects.filter(send=send).update(created_at=old)

    assert clicks_retention_sweep() == {"clicks": 1, "digests": 2, "folded": 0}

    assert Click.objects.count() == 1  # Bob's recent click stays
    assert not ClickerDigest.objects.exists()
    assert SendClickers.objects.get(send=send).counted == 2
    assert send_clicks(send) == {"clicks": 2, "unique_clickers": 2}
    assert clicks_retention_sweep() == {"clicks": 0, "digests": 0, "folded": 0}  # idempotent


def test_links_are_recorded_once_per_send(sent):
    send, _ = sent
    before = list(SendLink.objects.filter(send=send).values_list("position", "url"))
    again = send_rendering(send=send)  # a second batch renders and records again
    assert list(SendLink.objects.filter(send=send).values_list("position", "url")) == before
    extra = send_links_record(send=send, urls=["https://new.example/"])
    assert extra["https://new.example/"] == len(before) + 1
    assert "%%NEWSLETTER_CLICK_KEY%%" in again.html


def test_the_issues_links_found_in_order_without_unsubscribe_or_mailto(db):
    rendered = render_issue(newsletter_issue(body=BODY))
    links = issue_links(rendered)
    assert links.index("http://testserver/blog/") < links.index(NPSA)
    assert not any("mailto:" in url or "%%" in url for url in links)
    assert len(links) == len(set(links))


@pytest.fixture
def redis_cache(settings):
    """The cache on Redis, as in production (the test run's Redis, under a key prefix of its
    own; only this test's keys are deleted): distinct clickers go into a HyperLogLog."""
    import os

    from django.core.cache import caches

    from tests.services import service_unavailable, tcp_reachable

    url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")
    if not url.startswith("redis") or not tcp_reachable(url, 6379):
        service_unavailable("Redis", url)
    settings.CACHES = {
        "default": {
            "BACKEND": "comms.readercache.cache_backends.ReusedClientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": f"clicks-test-{os.getpid()}",
        }
    }
    yield caches["default"]
    for key in list(
        caches["default"]._cache.get_client().scan_iter(f"clicks-test-{os.getpid()}:*")
    ):
        caches["default"]._cache.get_client().delete(key)


def test_with_redis_distinct_clickers_are_a_hyperloglog_folded_into_the_database(sent, redis_cache):
    send, received = sent
    for _ in range(2):
        Client().get(path_of(link_to(received["ann@example.ac.uk"], NPSA)))
    Client().get(path_of(link_to(received["bob@example.ac.uk"], NPSA)))

    assert not ClickerDigest.objects.exists()  # nothing per person in the database
    assert send_clicks(send) == {"clicks": 3, "unique_clickers": 2}
    assert clicks_retention_sweep()["folded"] == 1
    assert SendClickers.objects.get(send=send).counted == 2
    redis_cache.delete(f"newsletter:clickers:{send.pk}")  # expired (retention): the count stays
    assert clickers_count(send.pk) == 2

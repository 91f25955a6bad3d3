"""Erasure (UK GDPR): after a subscriber is erased, from the privacy page or with Wagtail's
plain Delete, their address and name are nowhere: not in any column of any table (deliveries,
send reports, Wagtail's log entries, sessions…), nor in the cache. Send totals stay true."""

import io
import pickle

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection

from wagtail.models import ModelLogEntry, PageLogEntry

import pytest

from newsletter.models import Subscriber
from newsletter.selectors import send_status
from newsletter.services.sends import send_schedule
from tests.csvfiles import quoted_csv_rows
from tests.factories import newsletter_issue
from tests.newsletter.test_engine import run_until_finished

pytestmark = pytest.mark.django_db

NAME = "Zebedee Quibble"
OLD_EMAIL = "z.quibble@old-dept.example.ac.uk"
EMAIL = "zebedee.quibble@example.ac.uk"
# Lower case: every search below is case-insensitive.
NEEDLES = ("quibble", "zebedee")


def database_hits(needle: str) -> list[str]:
    """``table.column`` of every text-bearing cell, in every table of the database (models'
    or not: sessions, axes, Wagtail's logs and search index…), that contains ``needle``."""
    hits = []
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        for table in tables:
            for column in connection.introspection.get_table_description(cursor, table):
                name = connection.ops.quote_name(column.name)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} "  # noqa: S608
                    f"WHERE LOWER(CAST({name} AS TEXT)) LIKE %s",
                    [f"%{needle}%"],
                )
                if cursor.fetchone()[0]:
                    hits.append(f"{table}.{column.name}")
    return hits


def every_model_table_is_searched() -> None:
    from django.apps import apps

    tables = set(connection.introspection.table_names())
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            assert model._meta.db_table in tables, model


def session_hits(needle: str) -> list[str]:
    """Sessions are stored signed and compressed; search what they decode to."""
    return [
        session.session_key
        for session in Session.objects.all()
        if needle in repr(SessionStore().decode(session.session_data)).lower()
    ]


def cache_hits(needle: str) -> list[str]:
    """Keys of cached values holding ``needle`` (the test settings' local-memory cache, or
    Redis when CACHE_URL names it)."""
    backend = getattr(cache, "_cache", None)
    if isinstance(backend, dict):  # LocMemCache: key -> pickled value
        items = [(key, pickle.loads(value)) for key, value in list(backend.items())]
    else:  # RedisCache
        client = cache._cache.get_client()
        items = [(key, client.get(key)) for key in client.scan_iter()]
    return [str(key) for key, value in items if needle.encode() in pickle.dumps(value).lower()]


@pytest.fixture
def erased_scenario(smtp, client_as, comms_lead, django_capture_on_commit_callbacks):
    """Zebedee is imported, renamed in the admin, sent two issues (the second bounces with
    a reply naming the address), and looked at everywhere a comms lead would look."""
    client = client_as(comms_lead)
    upload = io.BytesIO(
        f"email,name\n{OLD_EMAIL},{NAME}\nkeep@example.ac.uk,Kept Person\n".encode()
    )
    upload.name = "staff.csv"
    response = client.post(
        "/admin/newsletter/import/", {"mailing_list_name": "All staff", "csv_file": upload}
    )
    assert response.status_code == 200
    person = Subscriber.objects.get(email=OLD_EMAIL)
    edited = client.post(
        f"/admin/newsletter/subscribers/edit/{person.pk}/",
        {"email": EMAIL, "name": NAME, "status": "subscribed"},
    )
    assert edited.status_code == 302
    assert ModelLogEntry.objects.filter(label=EMAIL).exists()

    staff = person.lists.get()
    sends = []
    for title in ("Issue one", "Issue two"):
        if title == "Issue two":
            smtp.permfail.add(EMAIL)
        send = send_schedule(issue=newsletter_issue(title), lists=[staff], at=None, user=comms_lead)
        run_until_finished(send, django_capture_on_commit_callbacks)
        sends.append(send)
    assert EMAIL in smtp.recipients()
    totals = [send_status(send) for send in sends]
    assert (totals[0]["sent"], totals[1]["sent"], totals[1]["failed"]) == (2, 1, 1)

    for url in (
        "/",
        "/newsletters/",
        "/admin/",
        "/admin/newsletter/subscribers/?q=quibble",
        f"/admin/newsletter/subscribers/history/{person.pk}/",
        f"/admin/newsletter/subscribers/{person.pk}/privacy/",
        "/admin/reports/site-history/",
        "/admin/newsletter/sends/",
        *(f"/admin/newsletter/sends/{send.pk}/" for send in sends),
    ):
        assert client.get(url).status_code == 200, url
    report = client.get(f"/admin/newsletter/sends/{sends[1].pk}/deliveries.csv")
    assert EMAIL in report.content.decode()
    # Before erasure the search finds Zebedee (so finding nothing afterwards means something).
    assert {"newsletter_subscriber.email", "newsletter_delivery.smtp_reply"} <= set(
        database_hits("quibble")
    )
    assert cache_hits("") != []  # the cache is warm: sessions, routes, page parts, permissions
    return {
        "client": client,
        "lead": comms_lead,
        "person": person,
        "sends": sends,
        "totals": totals,
    }


def erase_on_privacy_page(client, person):
    return client.post(f"/admin/newsletter/subscribers/{person.pk}/privacy/", {"confirm": EMAIL})


def erase_with_wagtail_delete(client, person):
    confirm = client.get(f"/admin/newsletter/subscribers/delete/{person.pk}/")
    assert "Deleting a subscriber erases them (UK GDPR)" in confirm.content.decode()
    return client.post(f"/admin/newsletter/subscribers/delete/{person.pk}/")


@pytest.mark.parametrize(
    "erase", [erase_on_privacy_page, erase_with_wagtail_delete], ids=["privacy page", "delete"]
)
def test_erasure_leaves_the_address_and_name_nowhere(erased_scenario, erase):
    client, person, sends = (erased_scenario[key] for key in ("client", "person", "sends"))
    response = erase(client, person)
    assert response.status_code == 302
    listing = client.get(response["Location"])
    assert "Subscriber erased" in listing.content.decode()
    for url in (
        "/admin/newsletter/subscribers/",
        "/admin/reports/site-history/",
        *(f"/admin/newsletter/sends/{send.pk}/" for send in sends),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "quibble" not in page.content.decode().lower(), url

    every_model_table_is_searched()
    for needle in NEEDLES:
        assert database_hits(needle) == [], needle
        assert session_hits(needle) == [], needle
        assert cache_hits(needle) == [], needle

    # The send reports keep their totals, with an anonymous row where Zebedee was.
    assert [send_status(send) for send in sends] == erased_scenario["totals"]
    rows = quoted_csv_rows(
        client.get(f"/admin/newsletter/sends/{sends[1].pk}/deliveries.csv").content
    )
    assert sorted(row[:3] for row in rows[1:]) == [
        [f"erased-subscriber-{person.pk}@erased.invalid", "", "failed"],
        ["keep@example.ac.uk", "Kept Person", "sent"],
    ]
    # The history says an erasure happened, and by whom, without saying whose.
    erasure = ModelLogEntry.objects.get(action="newsletter.subscriber.erase")
    assert erasure.label == f"Erased subscriber {person.pk}"
    assert erasure.user == erased_scenario["lead"]


def test_erasing_someone_else_leaves_this_subscriber_alone(erased_scenario):
    client, person = erased_scenario["client"], erased_scenario["person"]
    other = Subscriber.objects.get(email="keep@example.ac.uk")
    erase_with_wagtail_delete(client, other)
    assert Subscriber.objects.filter(pk=person.pk, email=EMAIL, name=NAME).exists()
    assert ModelLogEntry.objects.filter(label=EMAIL).exists()


def test_other_log_entries_naming_the_address_are_scrubbed_and_erasing_twice_is_harmless(
    comms_lead,
):
    from wagtail.log_actions import log

    from newsletter.services.subscribers import subscriber_erase
    from tests.factories import SubscriberFactory

    person = SubscriberFactory(email=EMAIL, name=NAME)
    issue = newsletter_issue()
    log(
        instance=issue,
        action="wagtail.edit",
        user=comms_lead,
        title=f"Test send to {EMAIL.upper()}",
        data={"recipients": [EMAIL], "note": "kept"},
    )
    subscriber_erase(subscriber=person, user=comms_lead)

    entry = PageLogEntry.objects.get(label__startswith="Test send")
    placeholder = f"erased-subscriber-{person.pk}@erased.invalid"
    assert entry.label == f"Test send to {placeholder}"
    assert entry.data == {"recipients": [placeholder], "note": "kept"}
    assert subscriber_erase(subscriber=person, user=comms_lead) == 0
    assert database_hits("quibble") == []

"""The engine's services run in-process (no broker): works on SQLite as on PostgreSQL."""

from collections import Counter
from datetime import timedelta

from django.utils import timezone

import pytest

from comms import roles
from newsletter.models import Delivery, Send, Subscriber
from newsletter.selectors import send_status
from newsletter.services.batches import batch_send
from newsletter.services.engine import leases_sweep, sends_dispatch
from newsletter.services.sends import send_schedule
from newsletter.services.subscribers import subscriber_erase, subscriber_unsubscribe
from tests.factories import MailingListFactory, UserFactory, newsletter_issue, subscribe_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(db):
    return UserFactory(role=roles.COMMS_LEADS)


def run_until_finished(send, capture, rounds=10):
    """Dispatcher and batches in this process, as beat and the worker would run them."""
    for _ in range(rounds):
        batches: list[tuple[int, str]] = []
        with capture(execute=True):
            sends_dispatch(enqueue=lambda s, k, found=batches: found.append((s, k)))
        for send_id, key in batches:
            batch_send(send_id=send_id, batch_key=key)
        send.refresh_from_db()
        if send.state == Send.State.FINISHED:
            return
    raise AssertionError(f"send not finished: {send_status(send)}")


def test_small_send_in_process(smtp, lead, django_capture_on_commit_callbacks, settings):
    settings.NEWSLETTER_BATCH_SIZE = 3
    one, two = MailingListFactory(name="One"), MailingListFactory(name="Two")
    subscribe_many(one, ["a@example.ac.uk", "b@example.ac.uk", "c@example.ac.uk"])
    subscribe_many(two, ["c@example.ac.uk", "d@example.ac.uk", "gone@example.ac.uk"])
    Subscriber.objects.filter(email="gone@example.ac.uk").update(status="bounced")
    send = send_schedule(issue=newsletter_issue(), lists=[one, two], at=None, user=lead)

    run_until_finished(send, django_capture_on_commit_callbacks)

    assert Counter(smtp.recipients()) == Counter(
        ["a@example.ac.uk", "b@example.ac.uk", "c@example.ac.uk", "d@example.ac.uk"]
    )
    status = send_status(send)
    assert (status["total"], status["sent"], status["skipped"]) == (5, 4, 1)


def test_a_send_is_started_once_even_if_dispatched_twice(
    smtp, lead, django_capture_on_commit_callbacks
):
    mailing_list = MailingListFactory(name="Once")
    subscribe_many(mailing_list, [f"o{i}@example.ac.uk" for i in range(5)])
    send = send_schedule(issue=newsletter_issue(), lists=[mailing_list], at=None, user=lead)
    batches = []
    with django_capture_on_commit_callbacks(execute=True):
        first = sends_dispatch(enqueue=lambda s, k: batches.append(k))
        second = sends_dispatch(enqueue=lambda s, k: batches.append(k))
    assert first.started == [send.pk] and second.started == []
    assert len(batches) == 1  # the second run found every delivery already queued
    assert Delivery.objects.filter(send=send).count() == 5
    batch_send(send_id=send.pk, batch_key=batches[0])
    batch_send(send_id=send.pk, batch_key=batches[0])  # a redelivered task message
    assert len(smtp.recipients()) == 5


def test_expired_lease_goes_back_to_pending(lead, django_capture_on_commit_callbacks):
    mailing_list = MailingListFactory(name="Leases")
    subscribe_many(mailing_list, ["l@example.ac.uk"])
    send = send_schedule(issue=newsletter_issue(), lists=[mailing_list], at=None, user=lead)
    with django_capture_on_commit_callbacks(execute=True):
        sends_dispatch(enqueue=lambda s, k: None)
    Delivery.objects.filter(send=send).update(
        status=Delivery.Status.SENDING, lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert leases_sweep() == 1
    delivery = Delivery.objects.get(send=send)
    assert (delivery.status, delivery.attempts, delivery.batch_key) == ("pending", 1, "")


def test_future_send_waits(lead, django_capture_on_commit_callbacks):
    mailing_list = MailingListFactory(name="Later")
    subscribe_many(mailing_list, ["later@example.ac.uk"])
    send = send_schedule(
        issue=newsletter_issue(),
        lists=[mailing_list],
        user=lead,
        at=timezone.now() + timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = sends_dispatch(enqueue=lambda s, k: None)
    assert report.started == []
    send.refresh_from_db()
    assert send.state == Send.State.SCHEDULED


def test_erasing_a_subscriber_keeps_counts(smtp, lead, django_capture_on_commit_callbacks):
    mailing_list = MailingListFactory(name="Erase")
    subscribe_many(mailing_list, ["keep@example.ac.uk", "erase.me@example.ac.uk"])
    send = send_schedule(issue=newsletter_issue(), lists=[mailing_list], at=None, user=lead)
    run_until_finished(send, django_capture_on_commit_callbacks)

    subscriber_erase(subscriber=Subscriber.objects.get(email="erase.me@example.ac.uk"))

    assert not Subscriber.objects.filter(email="erase.me@example.ac.uk").exists()
    assert not Delivery.objects.filter(email="erase.me@example.ac.uk").exists()
    assert send_status(send)["sent"] == 2


def test_unsubscribed_since_counts_in_report(smtp, lead, django_capture_on_commit_callbacks):
    from newsletter.selectors import send_unsubscribed_since

    mailing_list = MailingListFactory(name="Leavers")
    (person,) = subscribe_many(mailing_list, ["leaver@example.ac.uk"])
    send = send_schedule(issue=newsletter_issue(), lists=[mailing_list], at=None, user=lead)
    run_until_finished(send, django_capture_on_commit_callbacks)
    subscriber_unsubscribe(subscriber_id=person.pk, list_id=mailing_list.pk)
    assert send_unsubscribed_since(send) == 1


def test_unsubscribe_after_snapshot_is_honoured(smtp, lead, django_capture_on_commit_callbacks):
    mailing_list = MailingListFactory(name="Late")
    first, second = subscribe_many(mailing_list, ["stay@example.ac.uk", "late@example.ac.uk"])
    send = send_schedule(issue=newsletter_issue(), lists=[mailing_list], at=None, user=lead)
    batches = []
    with django_capture_on_commit_callbacks(execute=True):
        sends_dispatch(enqueue=lambda s, k: batches.append(k))
    late = first if first.email == "late@example.ac.uk" else second
    subscriber_unsubscribe(subscriber_id=late.pk, list_id=mailing_list.pk)
    batch_send(send_id=send.pk, batch_key=batches[0])
    assert smtp.recipients() == ["stay@example.ac.uk"]
    assert Delivery.objects.get(email="late@example.ac.uk").status == Delivery.Status.SKIPPED


def test_unreachable_relay_means_retry_later(lead, django_capture_on_commit_callbacks, settings):
    from tests.services import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listening
    mailing_list = MailingListFactory(name="Down")
    subscribe_many(mailing_list, ["a@example.ac.uk", "b@example.ac.uk"])
    send = send_schedule(issue=newsletter_issue(), lists=[mailing_list], at=None, user=lead)
    batches = []
    with django_capture_on_commit_callbacks(execute=True):
        sends_dispatch(enqueue=lambda s, k: batches.append(k))
    report = batch_send(send_id=send.pk, batch_key=batches[0])
    assert report.retrying == 2
    for delivery in Delivery.objects.filter(send=send):
        assert delivery.status == Delivery.Status.PENDING
        assert delivery.next_attempt_at > timezone.now()
        assert "Cannot connect to the SMTP server" in delivery.smtp_reply


def test_every_message_sent_meets_the_mail_standards(
    smtp, lead, django_capture_on_commit_callbacks, passing_issue_body
):
    """A realistic issue with a long paragraph (its HTML part quoted-printable) to awkward
    names: every message the SMTP server receives keeps RFC 2045's 76-character QP lines and
    RFC 5322's 998-character lines, and carries a real Date offset."""
    from newsletter.models import Subscriber
    from tests.newsletter.mailstandards import assert_mail_standards
    from tests.newsletter.test_messages import LONG_PARAGRAPH, RECIPIENTS

    mailing_list = MailingListFactory(name="Awkward")
    subscribe_many(mailing_list, [email for _, email in RECIPIENTS])
    for name, email in RECIPIENTS:
        Subscriber.objects.filter(email=email).update(name=name)
    body = [
        (kind, {**value, "text": LONG_PARAGRAPH}) if kind == "spotlight" else (kind, value)
        for kind, value in passing_issue_body
    ]
    send = send_schedule(
        issue=newsletter_issue(body=body), lists=[mailing_list], at=None, user=lead
    )
    run_until_finished(send, django_capture_on_commit_callbacks)

    assert sorted(smtp.recipients()) == sorted(email for _, email in RECIPIENTS)
    for _, raw in smtp.messages:
        assert b"Content-Transfer-Encoding: quoted-printable" in raw
        assert_mail_standards(raw)


def test_queued_batches_no_idle_worker_picked_up_are_queued_again(
    lead, django_capture_on_commit_callbacks, settings
):
    """A lost task message (broker restarted) is noticed only while the workers sit idle, so a
    batch merely waiting its turn behind busy workers is left alone."""
    settings.NEWSLETTER_BATCH_SIZE = 1
    mailing_list = MailingListFactory(name="Lost messages")
    subscribe_many(mailing_list, ["q1@example.ac.uk", "q2@example.ac.uk", "q3@example.ac.uk"])
    send = send_schedule(issue=newsletter_issue(), lists=[mailing_list], at=None, user=lead)
    with django_capture_on_commit_callbacks(execute=True):
        first = sends_dispatch(enqueue=lambda s, k: None)
    assert len(first.batches) == 3
    later = timezone.now() + timedelta(seconds=settings.NEWSLETTER_PICKUP_SECONDS + 1)
    busy = Delivery.objects.filter(send=send).order_by("pk").first()
    Delivery.objects.filter(pk=busy.pk).update(status=Delivery.Status.SENDING)

    with django_capture_on_commit_callbacks(execute=True):
        waiting = sends_dispatch(enqueue=lambda s, k: None, now=later)
    assert waiting.batches == []
    assert Delivery.objects.filter(send=send, status=Delivery.Status.QUEUED).count() == 2

    Delivery.objects.filter(pk=busy.pk).update(
        status=Delivery.Status.SENT, sent_at=later - timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        idle = sends_dispatch(enqueue=lambda s, k: None, now=later)
    old_keys = {key for _, key in first.batches}
    assert len(idle.batches) == 2 and not old_keys & {key for _, key in idle.batches}

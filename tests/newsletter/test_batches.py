"""The batch sender in-process, against the real SMTP server on loopback and the real database:
one bad delivery, a 421, a lost reply, a relay that refuses everything, the ledger's replies,
and rows a batch no longer owns."""

from collections import Counter
from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from comms import roles
from newsletter.models import Delivery, Send, Subscriber
from newsletter.selectors import send_status
from newsletter.services.batches import batch_send
from newsletter.services.engine import sends_dispatch
from newsletter.services.sends import send_cancel, send_resume, send_schedule
from tests.factories import MailingListFactory, UserFactory, newsletter_issue, subscribe_many

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(db):
    return UserFactory(role=roles.COMMS_LEADS)


def start(lead, addresses, capture, name="Batch list"):
    """Schedule a send now, run the dispatcher once; returns the send and its batch keys."""
    mailing_list = MailingListFactory(name=name)
    subscribe_many(mailing_list, addresses)
    send = send_schedule(issue=newsletter_issue(), lists=[mailing_list], at=None, user=lead)
    keys: list[str] = []
    with capture(execute=True):
        sends_dispatch(enqueue=lambda s, k: keys.append(k))
    return send, keys


def test_a_name_with_a_line_break_fails_that_delivery_only(
    smtp, lead, django_capture_on_commit_callbacks
):
    addresses = ["a@example.ac.uk", "bad@example.ac.uk", "c@example.ac.uk"]
    send, keys = start(lead, addresses, django_capture_on_commit_callbacks)
    # Written past the import's checks, as an older import or a directory sync could have.
    Delivery.objects.filter(send=send, email="bad@example.ac.uk").update(
        name="Mallory\r\nBcc: everyone@example.ac.uk"
    )

    report = batch_send(send_id=send.pk, batch_key=keys[0])

    assert sorted(smtp.recipients()) == ["a@example.ac.uk", "c@example.ac.uk"]
    bad = Delivery.objects.get(send=send, email="bad@example.ac.uk")
    assert bad.status == Delivery.Status.FAILED
    assert "could not be built" in bad.smtp_reply and "newline" in bad.smtp_reply.lower()
    assert (report.sent, report.failed) == (2, 1)


def test_a_421_reconnects_and_the_next_recipient_is_not_charged(
    smtp, lead, django_capture_on_commit_callbacks
):
    addresses = ["m1@example.ac.uk", "m2@example.ac.uk", "m3@example.ac.uk"]
    send, keys = start(lead, addresses, django_capture_on_commit_callbacks)
    smtp.closing = {"m1@example.ac.uk": 1}

    batch_send(send_id=send.pk, batch_key=keys[0])

    refused = Delivery.objects.get(send=send, email="m1@example.ac.uk")
    assert refused.status == Delivery.Status.PENDING and refused.attempts == 1
    assert refused.smtp_reply.startswith("421")
    for email in ("m2@example.ac.uk", "m3@example.ac.uk"):
        innocent = Delivery.objects.get(send=send, email=email)
        assert (innocent.status, innocent.attempts) == ("sent", 1), innocent.smtp_reply
    assert sorted(smtp.recipients()) == ["m2@example.ac.uk", "m3@example.ac.uk"]


def test_successful_deliveries_record_the_servers_reply(
    smtp, lead, client_as, django_capture_on_commit_callbacks
):
    send, keys = start(lead, ["ok@example.ac.uk"], django_capture_on_commit_callbacks)
    batch_send(send_id=send.pk, batch_key=keys[0])

    delivery = Delivery.objects.get(send=send)
    assert delivery.smtp_reply == "250 2.0.0 Accepted"
    client = client_as(lead)
    assert "250 2.0.0 Accepted" in client.get(f"/admin/newsletter/sends/{send.pk}/").text
    csv = client.get(f"/admin/newsletter/sends/{send.pk}/deliveries.csv").content.decode()
    assert "ok@example.ac.uk" in csv and "250 2.0.0 Accepted" in csv


@pytest.mark.parametrize("policy", ["retry", "never"])
def test_a_reply_lost_after_data_is_counted_uncertain(
    smtp, lead, settings, policy, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_UNCERTAIN_DELIVERY = policy
    settings.NEWSLETTER_RETRY_BACKOFF = 0
    addresses = ["u1@example.ac.uk", "u2@example.ac.uk"]
    send, keys = start(lead, addresses, django_capture_on_commit_callbacks)
    smtp.drop_after_data = {"u1@example.ac.uk": 1}

    batch_send(send_id=send.pk, batch_key=keys[0])
    with django_capture_on_commit_callbacks(execute=True):
        sends_dispatch(enqueue=lambda s, k: keys.append(k))
    for key in keys[1:]:
        batch_send(send_id=send.pk, batch_key=key)

    lost = Delivery.objects.get(send=send, email="u1@example.ac.uk")
    status = send_status(send)
    assert status["uncertain"] == 1
    assert "may have received" in lost.smtp_reply or lost.status == Delivery.Status.SENT
    received = Counter(smtp.recipients())
    assert received["u2@example.ac.uk"] == 1
    if policy == "retry":  # sent again, with the same Message-ID, and the report says so
        assert received["u1@example.ac.uk"] == 2
        ids = {
            message_from_bytes(data, policy=default_policy)["Message-ID"]
            for rcpt, data in smtp.messages
            if rcpt == "u1@example.ac.uk"
        }
        assert ids == {lost.message_id}
        assert lost.status == Delivery.Status.SENT
        assert status["sent"] == 2
    else:  # never twice: left uncertain, for a person to check
        assert received["u1@example.ac.uk"] == 1
        assert lost.status == Delivery.Status.UNCERTAIN
        assert "not sent again" in lost.smtp_reply
        assert status["sent"] == 1 and status["pending"] == 0


def test_a_relay_refusing_everything_pauses_the_send_with_the_reason(
    smtp, lead, settings, client_as, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_PAUSE_AFTER_FAILURES = 5
    addresses = [f"x{i}@example.ac.uk" for i in range(12)]
    send, keys = start(lead, addresses, django_capture_on_commit_callbacks)
    smtp.refuse_all = True

    batch_send(send_id=send.pk, batch_key=keys[0])

    send.refresh_from_db()
    assert send.state == Send.State.PAUSED
    assert "5 deliveries in a row failed" in send.pause_reason
    assert "550" in send.pause_reason
    assert Delivery.objects.filter(send=send, status=Delivery.Status.FAILED).count() == 5
    untouched = Delivery.objects.filter(send=send, status=Delivery.Status.PENDING)
    assert untouched.count() == 7 and {d.attempts for d in untouched} == {0}
    page = client_as(lead).get(f"/admin/newsletter/sends/{send.pk}/").text
    assert "5 deliveries in a row failed" in page and "Resume" in page

    send_resume(send=send, user=lead)
    send.refresh_from_db()
    assert (send.state, send.pause_reason, send.consecutive_failures) == ("running", "", 0)


def test_a_success_breaks_the_run_of_failures(
    smtp, lead, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_PAUSE_AFTER_FAILURES = 3
    addresses = [f"y{i}@example.ac.uk" for i in range(6)]
    send, keys = start(lead, addresses, django_capture_on_commit_callbacks)
    smtp.permfail = {"y0@example.ac.uk", "y1@example.ac.uk", "y3@example.ac.uk"}
    smtp.permfail |= {"y4@example.ac.uk"}  # two, a success, two: never three in a row

    batch_send(send_id=send.pk, batch_key=keys[0])

    send.refresh_from_db()
    assert send.state == Send.State.RUNNING
    assert Counter(d.status for d in Delivery.objects.filter(send=send)) == {
        "failed": 4,
        "sent": 2,
    }


def test_cancel_a_running_send_releases_the_rest(
    smtp, lead, client_as, django_capture_on_commit_callbacks
):
    send, keys = start(
        lead, [f"z{i}@example.ac.uk" for i in range(4)], django_capture_on_commit_callbacks
    )
    response = client_as(lead).post(
        f"/admin/newsletter/sends/{send.pk}/action/", {"action": "cancel"}, follow=True
    )
    assert "Send cancelled; 4 deliveries will not be sent." in response.text

    batch_send(send_id=send.pk, batch_key=keys[0])  # the batch's task message arrives late

    send.refresh_from_db()
    assert send.state == Send.State.CANCELLED
    assert smtp.recipients() == []
    status = send_status(send)
    assert (status["cancelled"], status["pending"], status["sent"]) == (4, 0, 0)


def test_a_finished_send_cannot_be_cancelled(smtp, lead, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    send, keys = start(lead, ["f@example.ac.uk"], django_capture_on_commit_callbacks)
    Send.objects.filter(pk=send.pk).update(state=Send.State.FINISHED)
    with pytest.raises(ValidationError, match="This send is finished; it cannot be cancelled now."):
        send_cancel(send=send, user=lead)


def test_a_stale_batch_cannot_resend_or_overwrite_rows_it_lost(
    smtp, lead, django_capture_on_commit_callbacks
):
    """The rows of a batch whose lease expired were given to another batch and sent; the old
    batch's outcome writes and lease renewal find no row they own."""
    from newsletter.services import ledger

    send, keys = start(lead, ["s1@example.ac.uk"], django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(send=send)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENDING)
    stale = ledger.Ledger(send=send, batch_key=keys[0])
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, batch_key="another-batch", smtp_reply="250 sent by another"
    )

    assert stale.transient(delivery, "451 try later") is None
    assert stale.failed(delivery, "550 no") is False
    assert stale.sent(delivery, "250 again") is False
    assert stale.renew([delivery.pk]) == 0
    assert stale.check(delivery) == ledger.LOST
    delivery.refresh_from_db()
    assert (delivery.status, delivery.smtp_reply) == ("sent", "250 sent by another")
    assert Subscriber.objects.count() == 1


def test_the_check_riding_on_a_write_is_trusted_only_briefly(
    smtp, lead, django_capture_on_commit_callbacks
):
    """The "sent" write checks the next delivery too (one round trip per message); a batch
    that slept longer than CHECK_FRESH_SECONDS asks the database again."""
    import time

    from newsletter.services import ledger

    send, keys = start(
        lead, ["t1@example.ac.uk", "t2@example.ac.uk"], django_capture_on_commit_callbacks
    )
    Delivery.objects.filter(send=send).update(status=Delivery.Status.SENDING)
    first, second = Delivery.objects.filter(send=send).order_by("pk")
    batch = ledger.Ledger(send=send, batch_key=keys[0])
    Send.objects.filter(pk=send.pk).update(state=Send.State.PAUSED)

    assert batch.sent(first, "250 ok", then=second) is True
    assert batch.check(second) == Send.State.PAUSED  # seen by the write itself

    assert batch.sent(first, "250 ok", then=second) is False  # sent already: not ours

    Send.objects.filter(pk=send.pk).update(state=Send.State.RUNNING)
    Delivery.objects.filter(pk=first.pk).update(status=Delivery.Status.SENDING)
    assert batch.sent(first, "250 ok", then=second) is True
    # Meanwhile (the worker stopped past its lease) the next row went to another batch.
    Delivery.objects.filter(pk=second.pk).update(batch_key="another-batch")
    time.sleep(ledger.CHECK_FRESH_SECONDS + 0.1)
    assert batch.check(second) == ledger.LOST


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_lost_prepared_statement_falls_back_to_the_plain_one(
    smtp, django_capture_on_commit_callbacks
):
    """Behind a pooler in transaction mode the session's prepared "sent and check" can vanish
    between two messages: the write still happens, with the plain statement."""
    from django.db import connection

    from newsletter.services import ledger

    user = UserFactory(role=roles.COMMS_LEADS)
    send, keys = start(
        user,
        ["p1@example.ac.uk", "p2@example.ac.uk", "p3@example.ac.uk"],
        django_capture_on_commit_callbacks,
    )
    Delivery.objects.filter(send=send).update(status=Delivery.Status.SENDING, batch_key=keys[0])
    first, second, third = Delivery.objects.filter(send=send).order_by("pk")
    batch = ledger.Ledger(send=send, batch_key=keys[0])
    assert batch.sent(first, "250 ok", then=second) is True
    with connection.cursor() as cursor:
        cursor.execute(f"DEALLOCATE {ledger._SENT_AND_CHECK_NAME}")
    assert batch.sent(second, "250 ok", then=third) is True
    assert batch.check(third) is None
    assert list(
        Delivery.objects.filter(send=send).order_by("pk").values_list("status", flat=True)
    ) == ["sent", "sent", "sending"]

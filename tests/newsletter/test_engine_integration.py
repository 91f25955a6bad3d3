"""The whole sending path with real services: Postgres, Redis, a Celery worker process and
beat, and an SMTP server on loopback. Run alone with ``pytest -m integration tests/newsletter``."""

import os
import signal
import time
from collections import Counter
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest

from comms import roles
from newsletter.models import Delivery, Send
from newsletter.selectors import send_status
from newsletter.services.sends import send_pause, send_resend_failed, send_resume, send_schedule
from tests.factories import MailingListFactory, UserFactory, newsletter_issue, subscribe_many

pytestmark = pytest.mark.integration


def wait_for(condition, timeout=60, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout}s waiting for {message}")


def finished(send):
    def check():
        send.refresh_from_db()
        return send.state == Send.State.FINISHED

    return check


@pytest.fixture
def comms_lead_user(transactional_db):
    from comms.services.roles import roles_sync

    roles_sync()
    return UserFactory(role=roles.COMMS_LEADS)


def schedule(user, lists, **kwargs):
    issue = newsletter_issue(**kwargs)
    return send_schedule(issue=issue, lists=lists, at=None, user=user)


def test_overlapping_lists_get_exactly_one_message_each(engine, comms_lead_user):
    staff, researchers = (
        MailingListFactory(name="All staff"),
        MailingListFactory(name="Researchers"),
    )
    subscribe_many(staff, [f"p{i}@example.ac.uk" for i in range(300)])
    subscribe_many(researchers, [f"p{i}@example.ac.uk" for i in range(200, 500)])

    send = schedule(comms_lead_user, [staff, researchers])
    wait_for(finished(send), message="the send to finish")

    received = Counter(engine.recipients())
    assert len(received) == 500
    assert set(received.values()) == {1}
    assert send_status(send) | {"id": 0} == {
        "id": 0,
        "state": "finished",
        "total": 500,
        "sent": 500,
        "failed": 0,
        "pending": 0,
        "skipped": 0,
        "uncertain": 0,
        "cancelled": 0,
        "bounced": 0,
        "percent": 100,
    }
    message = message_from_bytes(engine.messages[0][1], policy=default_policy)
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    assert "Research Office" in message["From"]
    assert message["Reply-To"] == "research-office@example.ac.uk"
    assert message["List-Id"].endswith(".localhost>")
    assert "https://" in message["List-Unsubscribe"] or "http://" in message["List-Unsubscribe"]
    assert "mailto:" in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"].startswith(f"<newsletter.{send.pk}.")
    assert message["Date"]
    delivery = Delivery.objects.get(send=send, email=message["To"].addresses[0].addr_spec)
    assert delivery.message_id == message["Message-ID"]


def test_worker_killed_mid_send_loses_nothing(engine, comms_lead_user, celery_worker):
    mailing_list = MailingListFactory(name="Everyone")
    addresses = [f"k{i}@example.ac.uk" for i in range(300)]
    subscribe_many(mailing_list, addresses)
    engine.delay = 0.01  # slow enough to kill it half way

    send = schedule(comms_lead_user, [mailing_list])
    wait_for(lambda: len(engine.recipients()) >= 60, message="the send to be under way")
    celery_worker.kill()  # SIGKILL, no chance to clean up
    sent_before_restart = len(engine.recipients())
    assert sent_before_restart < 300
    celery_worker.start()
    wait_for(finished(send), timeout=90, message="the send to finish after the restart")

    received = Counter(engine.recipients())
    assert set(received) == set(addresses)
    duplicates = sum(received.values()) - len(addresses)
    assert duplicates <= 2  # at most the message in flight in each of the 2 worker processes
    assert Delivery.objects.filter(send=send, status=Delivery.Status.SENT).count() == 300


def test_transient_failures_retry_and_permanent_ones_are_reported_and_resent(
    engine, comms_lead_user
):
    mailing_list = MailingListFactory(name="Retry list")
    addresses = [f"r{i}@example.ac.uk" for i in range(30)]
    subscribe_many(mailing_list, addresses)
    engine.tempfail = {"r1@example.ac.uk": 2, "r2@example.ac.uk": 1}
    engine.permfail = {"r3@example.ac.uk", "r4@example.ac.uk"}

    send = schedule(comms_lead_user, [mailing_list])
    wait_for(finished(send), message="the send to finish")

    received = Counter(engine.recipients())
    assert received["r1@example.ac.uk"] == 1 and received["r2@example.ac.uk"] == 1
    assert Delivery.objects.get(send=send, email="r1@example.ac.uk").attempts == 3
    failed = Delivery.objects.filter(send=send, status=Delivery.Status.FAILED).order_by("email")
    assert [d.email for d in failed] == ["r3@example.ac.uk", "r4@example.ac.uk"]
    assert all(d.smtp_reply.startswith("550") for d in failed)
    assert send_status(send)["failed"] == 2

    engine.permfail = set()  # the addresses were fixed on the relay
    assert send_resend_failed(send=send, user=comms_lead_user) == 2
    wait_for(finished(send), message="the resend to finish")
    received = Counter(engine.recipients())
    assert received["r3@example.ac.uk"] == 1 and received["r4@example.ac.uk"] == 1
    assert sum(received.values()) == 30
    assert send_status(send)["sent"] == 30


def test_pause_stops_sending_and_resume_finishes(engine, comms_lead_user):
    mailing_list = MailingListFactory(name="Pause list")
    subscribe_many(mailing_list, [f"q{i}@example.ac.uk" for i in range(200)])
    engine.delay = 0.01

    send = schedule(comms_lead_user, [mailing_list])
    wait_for(lambda: len(engine.recipients()) >= 20, message="the send to start")
    send_pause(send=send, user=comms_lead_user)
    time.sleep(2)  # batches notice within a second and hand their rows back
    stopped_at = len(engine.recipients())
    time.sleep(2)
    assert len(engine.recipients()) == stopped_at < 200
    send.refresh_from_db()
    assert send.state == Send.State.PAUSED

    send_resume(send=send, user=comms_lead_user)
    wait_for(finished(send), message="the resumed send to finish")
    assert Counter(engine.recipients()) == Counter(f"q{i}@example.ac.uk" for i in range(200))


def test_cancelled_send_sends_nothing(engine, comms_lead_user):
    from datetime import timedelta

    from django.utils import timezone

    from newsletter.services.sends import send_cancel

    mailing_list = MailingListFactory(name="Cancel list")
    subscribe_many(mailing_list, [f"c{i}@example.ac.uk" for i in range(10)])
    issue = newsletter_issue()
    send = send_schedule(
        issue=issue,
        lists=[mailing_list],
        user=comms_lead_user,
        at=timezone.now() + timedelta(seconds=2),
    )
    send_cancel(send=send, user=comms_lead_user)
    time.sleep(4)
    send.refresh_from_db()
    assert send.state == Send.State.CANCELLED
    assert engine.recipients() == []
    assert not Delivery.objects.filter(send=send).exists()


def test_two_beats_at_once_send_no_duplicates(engine, comms_lead_user, second_beat):
    mailing_list = MailingListFactory(name="Two beats")
    subscribe_many(mailing_list, [f"b{i}@example.ac.uk" for i in range(200)])
    send = schedule(comms_lead_user, [mailing_list])
    wait_for(finished(send), message="the send to finish")
    received = Counter(engine.recipients())
    assert len(received) == 200 and set(received.values()) == {1}


def test_beat_and_worker_keep_the_heartbeat_fresh(engine, client):
    """Beat queues the heartbeat (every second here: HEALTH_HEARTBEAT_INTERVAL), the real
    worker records it, and /healthz reports a small age (operations: a dead worker shows)."""
    from datetime import timedelta

    from django.utils import timezone

    from comms.services.health import heartbeat_record

    heartbeat_record(at=timezone.now() - timedelta(hours=1))  # as if the worker had died

    def fresh():
        response = client.get("/healthz")
        return response if response.json()["heartbeat"]["age_seconds"] < 10 else None

    response = wait_for(fresh, timeout=60, message="a fresh heartbeat from the worker")
    assert response.status_code == 200, response.json()
    assert response.json()["heartbeat"]["ok"] is True


def _process_with_local_port(port: int, pids: list[int]) -> int:
    """The process (among ``pids``) holding the loopback TCP socket bound to ``port``."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port:
            inodes.add(f"socket:[{fields[9]}]")
    for pid in pids:
        fd_dir = f"/proc/{pid}/fd"
        for fd in os.listdir(fd_dir):
            try:
                if os.readlink(f"{fd_dir}/{fd}") in inodes:
                    return pid
            except OSError:
                continue
    raise AssertionError(f"no worker process holds local port {port}")


def _worker_children(celery_worker) -> list[int]:
    main = celery_worker.process.pid
    return [int(pid) for pid in Path(f"/proc/{main}/task/{main}/children").read_text().split()]


def test_worker_paused_past_its_lease_sends_nothing_again(engine, comms_lead_user, celery_worker):
    """SIGSTOP one worker process while it waits on the SMTP server, beyond its lease; the
    other process re-sends its rows; after SIGCONT, while the send is still running, the stale
    process sends nothing and overwrites nothing."""
    mailing_list = MailingListFactory(name="Stopped worker")
    addresses = [f"s{i:03}@example.ac.uk" for i in range(600)]
    subscribe_many(mailing_list, addresses)
    engine.delay = 0.02  # the send outlasts the lease, so the stale process wakes mid-send
    engine.hold = "s005@example.ac.uk"  # in the first batch, with more of it still to send

    send = schedule(comms_lead_user, [mailing_list])
    assert engine.held.wait(30), "the held recipient never reached the SMTP server"
    stale = _process_with_local_port(engine.held_peer[1], _worker_children(celery_worker))
    held = Delivery.objects.get(send=send, email="s005@example.ac.uk")
    stale_rows = Delivery.objects.filter(send=send, batch_key=held.batch_key)
    stale_ids = list(stale_rows.values_list("pk", flat=True))
    assert len(stale_ids) > 1
    os.kill(stale, signal.SIGSTOP)
    try:
        engine.release.set()  # the reply waits in the stopped process's socket
        wait_for(
            lambda: (
                Delivery.objects.filter(pk__in=stale_ids, status="sent").count() == len(stale_ids)
            ),
            timeout=60,
            message="the other process to re-send the stopped process's rows",
        )
        send.refresh_from_db()
        assert send.state == Send.State.RUNNING
    finally:
        os.kill(stale, signal.SIGCONT)
    wait_for(finished(send), timeout=60, message="the send to finish")
    time.sleep(1)

    received = Counter(engine.recipients())
    assert received == Counter(addresses), {a: n for a, n in received.items() if n > 1}
    assert Delivery.objects.filter(send=send, status=Delivery.Status.SENT).count() == 600


def test_pause_is_prompt_and_cancel_releases_the_rest(engine, comms_lead_user):
    from newsletter.services.sends import send_cancel

    mailing_list = MailingListFactory(name="Prompt pause")
    subscribe_many(mailing_list, [f"pp{i}@example.ac.uk" for i in range(300)])
    engine.delay = 0.02

    send = schedule(comms_lead_user, [mailing_list])
    wait_for(lambda: len(engine.recipients()) >= 20, message="the send to start")
    send_pause(send=send, user=comms_lead_user)
    at_pause = len(engine.recipients())
    time.sleep(2)
    # At most the message each of the 2 worker processes had in flight.
    assert len(engine.recipients()) <= at_pause + 2

    send_resume(send=send, user=comms_lead_user)
    wait_for(lambda: len(engine.recipients()) >= at_pause + 40, message="the send to resume")
    send_cancel(send=send, user=comms_lead_user)
    at_cancel = len(engine.recipients())
    time.sleep(2)
    received = len(engine.recipients())
    assert received <= at_cancel + 2 < 300
    send.refresh_from_db()
    status = send_status(send)
    assert status["state"] == "cancelled"
    assert status["pending"] == 0
    assert status["sent"] == received == 300 - status["cancelled"]
    assert set(Counter(engine.recipients()).values()) == {1}


def test_lost_broker_messages_are_picked_up_again_within_seconds(engine, comms_lead_user):
    """FLUSHDB on the broker's Redis database while batches are queued (a Redis restart
    without persistence): the dispatcher notices batches no worker picked up."""
    from django.conf import settings

    import redis

    mailing_list = MailingListFactory(name="Broker lost")
    addresses = [f"g{i}@example.ac.uk" for i in range(300)]
    subscribe_many(mailing_list, addresses)
    engine.delay = 0.01

    send = schedule(comms_lead_user, [mailing_list])
    wait_for(
        lambda: Delivery.objects.filter(send=send, status=Delivery.Status.QUEUED).count() >= 100,
        message="batches to be queued",
    )
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    flushed = time.monotonic()
    wait_for(finished(send), timeout=30, message="the send to finish after the broker lost it")

    assert time.monotonic() - flushed < 30
    assert Counter(engine.recipients()) == Counter(addresses)

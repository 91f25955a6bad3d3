"""Real services for the newsletter tests: an SMTP server, a Celery worker and beat.

- ``smtp``: an aiosmtpd server on a free loopback port. Its handler records every accepted
  message and answers 451 (``tempfail``: address -> how many times), 421 and closes
  (``closing``: address -> how many times) or 550 (``permfail``; ``refuse_all``) to chosen
  recipients; it can drop the connection after taking a message, before replying
  (``drop_after_data``: address -> how many times), hold one recipient's RCPT until released
  (``hold``), and be slowed down (``delay`` seconds per message).
- ``celery_worker`` / ``celery_beat``: real ``celery -A trustedresearch worker`` and ``beat``
  processes (session-wide), on pytest-django's test database and the Redis db in
  CELERY_BROKER_URL, sending to the ``smtp`` server, with short dispatcher interval, leases and
  backoff so integration tests take seconds. ``celery_worker.kill()`` SIGKILLs the worker and
  its children; ``.start()`` starts it again.
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

import pytest
from aiosmtpd.controller import Controller

from tests.newsletter.mailstandards import mail_standards_problems
from tests.services import free_port, service_unavailable, tcp_reachable

ROOT = Path(__file__).resolve().parents[2]
ENGINE_ENV = {
    "NEWSLETTER_DISPATCH_INTERVAL": "0.5",
    "NEWSLETTER_RETRY_BACKOFF": "0.5",
    "NEWSLETTER_LEASE_SECONDS": "3",
    # Long enough that a lost task message is found by the pickup rule, not the queue lease.
    "NEWSLETTER_QUEUE_LEASE_SECONDS": "120",
    "NEWSLETTER_PICKUP_SECONDS": "2",
    "NEWSLETTER_BATCH_SIZE": "20",
    "NEWSLETTER_MAX_IN_FLIGHT": "200",
    "NEWSLETTER_MAX_ATTEMPTS": "4",
    "HEALTH_HEARTBEAT_INTERVAL": "1",
}


class RecordingHandler:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.messages: list[tuple[str, bytes]] = []
            self.tempfail: dict[str, int] = {}
            self.permfail: set[str] = set()
            self.refuse_all = False
            self.closing: dict[str, int] = {}
            self.drop_after_data: dict[str, int] = {}
            self.delay = 0.0
            self.hold: str | None = None
            self.held = threading.Event()
            self.release = threading.Event()
            self.held_peer: tuple | None = None

    @staticmethod
    def _take(counts: dict[str, int], address: str) -> bool:
        if counts.get(address, 0) > 0:
            counts[address] -= 1
            return True
        return False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        address = address.lower()
        if address == self.hold and not self.release.is_set():
            # Keep the client waiting for the reply (a worker blocked on the network).
            self.held_peer = session.peer
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        if self.refuse_all or address in self.permfail:
            return f"550 5.1.1 <{address}>: mailbox unavailable"
        with self.lock:
            if self._take(self.closing, address):
                # RFC 5321 421: the server closes the transmission channel after replying.
                asyncio.get_running_loop().call_soon(server.transport.close)
                return "421 4.3.2 Service shutting down, closing transmission channel"
            if self._take(self.tempfail, address):
                return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, envelope.content))
            drop = any(self._take(self.drop_after_data, rcpt) for rcpt in envelope.rcpt_tos)
        if drop:  # the message was taken, but the reply never reaches the client
            server.transport.abort()
        return "250 2.0.0 Accepted"

    def recipients(self) -> list[str]:
        with self.lock:
            return [rcpt for rcpt, _ in self.messages]


@pytest.fixture(scope="session")
def smtp_server():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def smtp(smtp_server, settings):
    """The SMTP server, reset; Django's own email settings point at it for in-process sends.

    Afterwards every message it received is checked against the mail standards (line limits
    of RFC 5322 and RFC 2045, a real Date offset): each send test checks what it sent.
    """
    smtp_server.handler.reset()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_USE_TLS = False
    yield smtp_server.handler
    with smtp_server.handler.lock:
        received = list(smtp_server.handler.messages)
    for rcpt, raw in received:
        problems = mail_standards_problems(raw)
        assert not problems, f"The message to {rcpt} breaks the mail standards:\n" + "\n".join(
            problems
        )


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db.get("USER") or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return (
        f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    )


class CeleryProcess:
    def __init__(self, kind: str, args: list[str], env: dict, log_dir: Path):
        self.kind, self.args, self.env = kind, args, env
        self.log = log_dir / f"{kind}.log"
        self.process: subprocess.Popen | None = None

    def start(self, *, wait_ready: bool = True) -> None:
        self.log.write_text("")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "trustedresearch",
                *self.args,
                "--logfile",
                str(self.log),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if wait_ready and self.kind.startswith("worker"):
            deadline = time.monotonic() + 60
            while "ready." not in self.log.read_text():
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{self.kind} did not start: {self.log.read_text()[-2000:]}")
                time.sleep(0.2)

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process = None


def engine_environment(smtp_server, *, settings_module="trustedresearch.settings.test", **extra):
    """The environment of the worker and beat processes: the test database, the broker, the
    SMTP server on loopback (failing in CI / skipping elsewhere without Postgres or Redis)."""
    if connection.vendor != "postgresql":
        service_unavailable("PostgreSQL", "set DATABASE_URL=postgres://… for integration tests")
    broker = settings.CELERY_BROKER_URL
    if broker.startswith("redis") and not tcp_reachable(broker, 6379):
        service_unavailable("Redis", f"nothing listening for {broker}")
    return {
        **os.environ,
        **ENGINE_ENV,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "PYTHONPATH": str(ROOT),
        **extra,
    }


@pytest.fixture(scope="session")
def engine_env(django_db_setup, django_db_blocker, smtp_server, tmp_path_factory):
    return {"env": engine_environment(smtp_server), "dir": tmp_path_factory.mktemp("celery")}


def _purge(env):
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "trustedresearch", "purge", "-f"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="session")
def celery_worker(engine_env):
    _purge(engine_env["env"])
    worker = CeleryProcess(
        "worker",
        [
            "worker",
            "--concurrency=2",
            "--pool=prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
            "-n",
            f"tr-send-test-{os.getpid()}@%h",
        ],
        engine_env["env"],
        engine_env["dir"],
    )
    worker.start()
    yield worker
    worker.stop()


def _beat(engine_env, name: str) -> "CeleryProcess":
    return CeleryProcess(
        name,
        ["beat", "--loglevel=INFO", "-s", str(engine_env["dir"] / f"{name}-schedule")],
        engine_env["env"],
        engine_env["dir"],
    )


@pytest.fixture(scope="session")
def celery_beat(engine_env):
    beat = _beat(engine_env, "beat")
    beat.start()
    yield beat
    beat.stop()


@pytest.fixture
def second_beat(engine_env):
    beat = _beat(engine_env, "beat2")
    beat.start()
    yield beat
    beat.stop()


@pytest.fixture
def engine(transactional_db, smtp, celery_worker, celery_beat):
    """Everything a send needs, running: SMTP server, worker, beat. Yields the SMTP handler.

    They stop afterwards: browser tests in the same pytest process set sends up by hand (a
    running send, deliveries marked one by one) and must not find a worker sending them."""
    for process in (celery_worker, celery_beat):
        if process.process is None:
            process.start()
    yield smtp
    celery_beat.stop()
    celery_worker.stop()


@pytest.fixture
def passing_issue_body(db):
    """Every section of the pack's outline filled in, referencing fresh content (a published
    post, a current statistic, figures for its period, a campaign intro, an image with alt
    text): a body every pre-send check passes."""
    import datetime

    from tests.factories import (
        MetricFactory,
        MetricValueFactory,
        StatisticFactory,
        blog_post,
        campaign_intro,
        newsletter_image,
        realistic_issue_body,
    )

    MetricValueFactory(metric=MetricFactory(), period=datetime.date(2024, 3, 1), value=5)
    return realistic_issue_body(
        posts=[blog_post("A published post")],
        statistic=StatisticFactory(),
        intro=campaign_intro(),
        image=newsletter_image(),
    )

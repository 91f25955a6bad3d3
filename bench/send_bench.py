"""Newsletter sending throughput: the whole engine against a plain smtplib loop.

    .venv/bin/python bench/send_bench.py [--recipients 50000] [--concurrency 2] [--timeout 900]

Creates its own PostgreSQL database (dropped at the end), loads the comms pack and the demo
content (the demo issue is the realistic one to send: about 22 KB, as a real issue), imports N
subscribers from a CSV (timed: the import target is 50,000 rows in under 30 s), starts a
loopback aiosmtpd sink in its own process, then, like with like:

1. a plain ``smtplib`` loop sends the same rendered demo issue N times, split over as many
   connections (one process each) as the engine has worker processes (--concurrency);
2. the engine sends the demo issue to the N subscribers: beat's dispatcher, Redis, a Celery
   worker (prefork, --concurrency processes) and the same sink.

Prints messages/s for both and their ratio, the workers' peak RSS, and the time from the
send's scheduled time to the first message. Every process it starts is stopped at the end.
Environment: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432),
CELERY_BROKER_URL (default redis://127.0.0.1:6379/13).
"""

import argparse
import logging
import multiprocessing
import os
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
logger = logging.getLogger("send_bench")


class CountingHandler:
    def __init__(self, count, first, last):
        self.count, self.first, self.last = count, first, last

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        with self.count.get_lock():
            if self.count.value == 0:
                self.first.value = now
            self.count.value += len(envelope.rcpt_tos)
            self.last.value = now
        return "250 2.0.0 Accepted"


def run_sink(port, count, first, last, stop):
    from aiosmtpd.controller import Controller

    controller = Controller(CountingHandler(count, first, last), hostname="127.0.0.1", port=port)
    controller.start()
    stop.wait()
    controller.stop()


class Sink:
    """An aiosmtpd server in its own process, counting messages and timing first and last."""

    def __init__(self, port):
        context = multiprocessing.get_context("spawn")
        self.port = port
        self.count = context.Value("q", 0)
        self.first = context.Value("d", 0.0)
        self.last = context.Value("d", 0.0)
        self.stop = context.Event()
        self.process = context.Process(
            target=run_sink, args=(port, self.count, self.first, self.last, self.stop)
        )

    def start(self):
        self.process.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                smtplib.SMTP("127.0.0.1", self.port, timeout=2).quit()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("SMTP sink did not start")

    def reset(self):
        with self.count.get_lock():
            self.count.value = 0
            self.first.value = self.last.value = 0.0

    def close(self):
        self.stop.set()
        self.process.join(10)
        if self.process.is_alive():
            self.process.kill()


def plain_sender(port, message, addresses, ready, go):
    smtp = smtplib.SMTP("127.0.0.1", port)
    ready.release()
    go.wait()
    for address in addresses:
        smtp.sendmail("newsletter@localhost", [address], message)
    smtp.quit()


def plain_loop(port: int, message: bytes, n: int, connections: int) -> float:
    """Seconds for ``connections`` processes, one SMTP connection each, to send ``n`` copies
    of ``message`` between them (timed from when every connection is open)."""
    context = multiprocessing.get_context("spawn")
    ready, go = context.Semaphore(0), context.Event()
    addresses = [f"reader.{i}@example.ac.uk" for i in range(n)]
    processes = [
        context.Process(
            target=plain_sender, args=(port, message, addresses[k::connections], ready, go)
        )
        for k in range(connections)
    ]
    for process in processes:
        process.start()
    for _ in processes:
        ready.acquire()
    t0 = time.monotonic()
    go.set()
    for process in processes:
        process.join()
    if any(process.exitcode for process in processes):
        raise RuntimeError("a plain smtplib sender failed")
    return time.monotonic() - t0


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def peak_rss_mb(root_pid: int) -> tuple[float, float]:
    """(largest single process, sum) of VmHWM over a process and its children, in MB."""
    pids = [root_pid]
    try:
        children = Path(f"/proc/{root_pid}/task/{root_pid}/children").read_text().split()
        pids += [int(pid) for pid in children]
    except OSError:
        pass
    sizes = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    sizes.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return (max(sizes, default=0.0), sum(sizes))


def start_celery(args, env, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "trustedresearch", *args, "--logfile", str(log)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_process(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def wait_for(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}")


def demo_database_setup(env: dict, *, timeout: float | None = None) -> None:
    """Migrate the bench database in ``env`` and load the comms pack and the demo content."""
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["load_comms_pack"],
        ["create_demo_users"],
        ["load_demo_content"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=timeout,
            capture_output=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900, help="seconds for the whole run")
    options = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    started = time.monotonic()

    import psycopg2

    pg_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    broker = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13")
    db_name = f"tr_send_bench_{os.getpid()}"
    try:
        admin = psycopg2.connect(f"{pg_url}/postgres")
    except psycopg2.OperationalError as exc:
        print(f"send_bench needs PostgreSQL at {pg_url} (BENCH_POSTGRES_URL): {exc}")
        return 1
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{db_name}"')
    workdir = Path(tempfile.mkdtemp(prefix="send-bench-"))
    sink = Sink(free_port())
    worker = beat = None
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trustedresearch.settings.test",
        "DATABASE_URL": f"{pg_url}/{db_name}",
        "CELERY_BROKER_URL": broker,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "NEWSLETTER_DISPATCH_INTERVAL": "1",
        "NEWSLETTER_BATCH_SIZE": "250",
        "NEWSLETTER_MAX_IN_FLIGHT": "5000",
        "NEWSLETTER_RATE_LIMIT": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    try:
        print(
            f"Database {db_name}: migrating, loading the comms pack and demo content…", flush=True
        )
        demo_database_setup(env, timeout=options.timeout)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connections
        from django.utils import timezone

        from comms import roles
        from comms.services.roles import roles_sync
        from newsletter.messages import build_message
        from newsletter.models import Delivery, MailingList, NewsletterIssuePage, Send
        from newsletter.rendering import render_issue
        from newsletter.selectors import send_status
        from newsletter.services.demo import APPROVED_TITLE
        from newsletter.services.sends import send_schedule
        from newsletter.services.subscribers import subscribers_import
        from tests.factories import UserFactory

        n = options.recipients
        csv_path = workdir / "subscribers.csv"
        with csv_path.open("w", encoding="utf-8") as handle:
            handle.write("email,name\n")
            for i in range(n):
                handle.write(f"Reader.{i}@Example.ac.uk,Reader {i}\n")
        t0 = time.monotonic()
        report = subscribers_import(mailing_list_name="Bench", csv_file=csv_path)
        import_seconds = time.monotonic() - t0
        assert report.ok, report.errors[:5]
        print(f"Import of {n} rows: {import_seconds:.1f} s", flush=True)

        roles_sync()
        lead = UserFactory(username="bench-lead", role=roles.COMMS_LEADS)
        issue = NewsletterIssuePage.objects.get(title=APPROVED_TITLE)
        mailing_list = MailingList.objects.get(name="Bench")
        sink.start()

        # 1. The plain loop: the same rendered message, as many connections as worker
        # processes, nothing else.
        rendered = render_issue(issue.live_revision.as_object())
        probe = Delivery(
            pk=1,
            send_id=0,
            subscriber_id=1,
            email="reader.0@example.ac.uk",
            name="Reader 0",
            mailing_list=mailing_list,
        )
        message = (
            build_message(
                send=Send(pk=0), rendered=rendered, delivery=probe, mailing_list=mailing_list
            )
            .message()
            .as_bytes(linesep="\r\n")
        )
        smtp_connections = options.concurrency
        plain_seconds = plain_loop(sink.port, message, n, smtp_connections)
        plain_rate = n / plain_seconds
        print(
            f"Plain smtplib loop: {n} messages of {len(message) / 1024:.1f} KB in "
            f"{plain_seconds:.1f} s over {smtp_connections} connection(s)",
            flush=True,
        )
        sink.reset()

        # 2. The engine: worker processes and beat, through Redis and PostgreSQL.
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "trustedresearch", "purge", "-f"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        worker = start_celery(
            [
                "worker",
                f"--concurrency={options.concurrency}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=WARNING",
                "-n",
                f"send-bench-{os.getpid()}@%h",
            ],
            env,
            workdir / "worker.log",
        )
        beat = start_celery(
            ["beat", "--loglevel=WARNING", "-s", str(workdir / "beat")], env, workdir / "beat.log"
        )
        time.sleep(3)  # let the worker come up before the clock starts
        scheduled = timezone.now() + timedelta(seconds=2)
        send = send_schedule(issue=issue, lists=[mailing_list], at=scheduled, user=lead)
        peak = (0.0, 0.0)

        def done():
            nonlocal peak
            single, total = peak_rss_mb(worker.pid)
            peak = (max(peak[0], single), max(peak[1], total))
            send.refresh_from_db()
            return send.state == Send.State.FINISHED

        remaining = options.timeout - (time.monotonic() - started)
        wait_for(done, remaining, "the send to finish")
        status = send_status(send)
        engine_seconds = sink.last.value - sink.first.value
        engine_rate = sink.count.value / engine_seconds if engine_seconds else 0.0
        first_after = sink.first.value - scheduled.timestamp()
        connections.close_all()

        print()
        print(f"recipients                      {n}")
        print(f"import (CSV -> subscribers)     {import_seconds:.1f} s")
        print(f"message size                    {len(message) / 1024:.1f} KB (the demo issue)")
        print(f"plain smtplib loop x{smtp_connections}           {plain_rate:.0f} messages/s")
        print(
            f"engine (worker x{options.concurrency}, Redis, PG)   {engine_rate:.0f} messages/s"
            f"  ({status['sent']} sent, {status['failed']} failed, "
            f"{sink.count.value} received)"
        )
        print(f"ratio engine / plain            {engine_rate / plain_rate:.2f}")
        print(
            f"worker peak RSS                 {peak[0]:.0f} MB per process, "
            f"{peak[1]:.0f} MB all worker processes"
        )
        print(f"scheduled time -> first message {first_after:.1f} s")
        return 0 if status["sent"] == n and sink.count.value == n else 1
    finally:
        stop_process(worker)
        stop_process(beat)
        if sink.process.is_alive():
            sink.close()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # Django never set up: nothing to close
            pass
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    sys.exit(main())

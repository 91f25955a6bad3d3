"""CPU per message of the batch sender: the engine's own cost, apart from machine load.

    .venv/bin/python bench/engine_cpu_bench.py [--recipients 5000] [--batch 250] [--profile]

``send_bench.py`` measures throughput end to end, which on a shared two-core machine moves with
whatever else runs. This one measures what the engine itself spends per message: it sends the
demo issue (about 22 KB) to N subscribers by running the dispatcher and ``batch_send``
in-process against a loopback aiosmtpd sink (its own process), and prints the CPU time per
message of the sending process and of its PostgreSQL backend (read from /proc), which load
on other cores does not change. ``--profile`` prints the top functions (cProfile).

Creates its own PostgreSQL database (dropped at the end). Environment: BENCH_POSTGRES_URL
(default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from send_bench import Sink, demo_database_setup, free_port  # noqa: E402


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=5_000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database for a look")
    options = parser.parse_args()

    import psycopg2

    pg_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    db_name = f"tr_cpu_bench_{os.getpid()}"
    admin = psycopg2.connect(f"{pg_url}/postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{db_name}"')
    sink = Sink(free_port())
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trustedresearch.settings.test",
        "DATABASE_URL": f"{pg_url}/{db_name}",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "NEWSLETTER_BATCH_SIZE": str(options.batch),
        "NEWSLETTER_MAX_IN_FLIGHT": str(options.recipients + 1000),
        "NEWSLETTER_RATE_LIMIT": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    try:
        demo_database_setup(env)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection, connections
        from django.test.utils import override_settings

        from comms import roles
        from comms.services.roles import roles_sync
        from newsletter.models import MailingList, NewsletterIssuePage
        from newsletter.services.batches import batch_send
        from newsletter.services.demo import APPROVED_TITLE
        from newsletter.services.engine import sends_dispatch
        from newsletter.services.sends import send_schedule
        from newsletter.services.subscribers import subscribers_import
        from tests.factories import UserFactory

        n = options.recipients
        csv_path = Path(tempfile.mkdtemp(prefix="cpu-bench-")) / "subscribers.csv"
        with csv_path.open("w", encoding="utf-8") as handle:
            handle.write("email,name\n")
            for i in range(n):
                handle.write(f"Reader.{i}@Example.ac.uk,Reader {i}\n")
        assert subscribers_import(mailing_list_name="Bench", csv_file=csv_path).ok
        roles_sync()
        lead = UserFactory(username="bench-lead", role=roles.COMMS_LEADS)
        issue = NewsletterIssuePage.objects.get(title=APPROVED_TITLE)
        send = send_schedule(
            issue=issue, lists=[MailingList.objects.get(name="Bench")], at=None, user=lead
        )
        sink.start()
        batches: list[str] = []
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend"):
            sends_dispatch(enqueue=lambda _send_id, key: batches.append(key))
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backend_pid = cursor.fetchone()[0]
            profiler = cProfile.Profile(time.process_time) if options.profile else None
            cpu0, pg0, wall0 = time.process_time(), proc_cpu_seconds(backend_pid), time.monotonic()
            if profiler:
                profiler.enable()
            timings: dict[str, list[float]] = {}

            def timed(execute, sql, params, many, context):
                t = time.perf_counter()
                try:
                    return execute(sql, params, many, context)
                finally:
                    timings.setdefault(sql[:90], []).append(time.perf_counter() - t)

            with connection.execute_wrapper(timed):
                for key in batches:
                    batch_send(send_id=send.pk, batch_key=key)
            if profiler:
                profiler.disable()
            cpu = time.process_time() - cpu0
            pg = proc_cpu_seconds(backend_pid) - pg0
            wall = time.monotonic() - wall0
        received = sink.count.value
        print(f"recipients                {n} ({received} received by the sink)")
        print(f"sender CPU per message    {cpu / n * 1e6:.0f} µs")
        print(f"PostgreSQL CPU per message {pg / n * 1e6:.0f} µs")
        print(f"wall per message          {wall / n * 1e6:.0f} µs (moves with machine load)")
        if options.profile:
            for sql, times in sorted(timings.items(), key=lambda kv: -sum(kv[1]))[:12]:
                print(f"{sum(times):7.3f} s {len(times):6d}x  {sql}")
        if profiler:
            stats = pstats.Stats(profiler).sort_stats("tottime")
            stats.print_stats(25)
            stats.print_callers("execute' of|'sub' of")
        connections.close_all()
        return 0 if received == n else 1
    finally:
        if sink.process.is_alive():
            sink.close()
        if options.keep:
            print(f"database kept: {pg_url}/{db_name}")
        else:
            admin.cursor().execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    sys.exit(main())

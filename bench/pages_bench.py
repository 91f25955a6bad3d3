"""Page serving speed: gunicorn (2 workers, production settings) on PostgreSQL, signed in.

    .venv/bin/python bench/pages_bench.py [--seconds 5] [--threads 4] [--scale 10]

Creates its own PostgreSQL database (dropped at the end), migrates it, loads the comms pack,
the demo users and some content (blog posts, statistics, campaign activities, a newsletter
issue), then:

1. counts the SQL queries of each reader page in-process (Django's test client, signed in as
   a Staff reader), with that content and again with ``--scale`` times more: served from the
   warm caches, and "cold" just after a page was published, which invalidates them all
   (``comms.readercache.caching``);
2. starts gunicorn with 2 sync workers (``trustedresearch.settings.production``, DEBUG off,
   ``SECURE_SSL_REDIRECT=false``) and, for ``--seconds`` per page, requests the page from
   ``--threads`` loopback client threads carrying the reader's session cookie: requests/s,
   p50 and p95 latency.

3. measures what counting reads adds (``--reads-seconds`` per page, default 20; 0 skips it):
   a second gunicorn without ``comms.middleware.ReadCountMiddleware``
   (``bench/settings_no_reads.py``) beside the first, one client alternating between them
   request by request, so both see the same machine; prints each page's p50 with and without
   and the difference.

Prints the tables. Targets: <= 10 queries per page at both sizes, warm and cold, p50 <= 20 ms,
>= 150 req/s; counting reads adds <= 1 ms to each counted page's p50.
Every process it starts is stopped at the end. Environment: BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432), CELERY_BROKER_URL (not used by pages; production settings
require one; default redis://127.0.0.1:6379/13), CACHE_URL (the cache the portal uses in
production; default redis://127.0.0.1:6379/13).
"""

import argparse
import http.client
import logging
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
logger = logging.getLogger("pages_bench")
TARGET_QUERIES, TARGET_P50_MS, TARGET_RPS = 10, 20.0, 150.0
TARGET_READS_MS = 1.0
# The reader pages that count reads (comms.models.ReadsCountedMixin); the others are measured
# for the difference too, as a control: theirs should be noise around 0.
COUNTED = {"a post", "statistics", "campaign", "an issue"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def query_counts(client, pages: dict[str, str], *, cold: bool = False) -> dict[str, int | str]:
    """Queries per page from warm caches, or (``cold``) just after a publish invalidated them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from comms.readercache import caching

    counts: dict[str, int | str] = {}
    for name, url in pages.items():
        client.get(url, HTTP_HOST="127.0.0.1")  # warm per-process caches, as a server would
        if cold:
            caching.generation_bump(caching.CONTENT)
            caching.generation_bump(caching.TREE)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, HTTP_HOST="127.0.0.1")
        counts[name] = (
            len(captured) if response.status_code == 200 else f"HTTP {response.status_code}"
        )
        if os.environ.get("BENCH_SHOW_QUERIES"):
            print(f"-- {name} {url}{' (cold)' if cold else ''}: {len(captured)} queries")
            for query in captured.captured_queries:
                print(f"   {query['sql'][:160]}")
    return counts


def _get_ms(port: int, path: str, cookie: str) -> float | None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    start = time.perf_counter()
    try:
        conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        ok = response.status == 200
    except OSError:
        ok = False
    finally:
        conn.close()
    return (time.perf_counter() - start) * 1000 if ok else None


def load(
    port: int, path: str, cookie: str, seconds: float, threads: int, *, keep: bool = False
) -> dict:
    """``threads`` clients request ``path`` back to back for ``seconds``; latencies in ms."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client():
        own, bad = [], 0
        while time.monotonic() < deadline:
            took = _get_ms(port, path, cookie)
            if took is None:
                bad += 1
            else:
                own.append(took)
        with lock:
            latencies.extend(own)
            errors[0] += bad

    workers = [threading.Thread(target=client) for _ in range(threads)]
    began = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - began
    if not latencies:
        return {"rps": 0.0, "p50": float("nan"), "p95": float("nan"), "errors": errors[0]}
    latencies.sort()
    return {
        "latencies": latencies if keep else None,
        "rps": len(latencies) / elapsed,
        "p50": statistics.median(latencies),
        "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)],
        "errors": errors[0],
    }


def reads_compare(pages, cookie, *, on: int, off: int, seconds: float) -> dict:
    """Each page's median latency (ms) with read counting and without. One client alternates
    between the two servers request by request for ``seconds``, so both see the same machine
    at the same moments (load on a shared two-core machine drifts by more than the 1 ms being
    measured); one client, so a request never queues behind another."""
    results = {}
    for name, url in pages.items():
        for port in (on, off):
            for _ in range(20):  # warm-up: both workers, their caches
                _get_ms(port, url, cookie)
        pooled = {on: [], off: []}
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for port in (on, off):
                took = _get_ms(port, url, cookie)
                if took is not None:
                    pooled[port].append(took)
        results[name] = (
            statistics.median(pooled[on]),
            statistics.median(pooled[off]),
            min(len(pooled[on]), len(pooled[off])),
        )
    return results


def gunicorn_start(port: int, env: dict, log: Path, *, workers: int = 2) -> subprocess.Popen:
    """gunicorn on loopback with ``env`` (the benches' one way to start it), once it answers."""
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "trustedresearch.wsgi",
            f"--workers={workers}",
            f"--bind=127.0.0.1:{port}",
            "--access-logfile=-" if os.environ.get("BENCH_ACCESS_LOG") else "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited: {log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/accounts/login/", headers={"Host": "127.0.0.1"})
            if conn.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer within 60 s")


def gunicorn_stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page")
    parser.add_argument("--threads", type=int, default=4, help="concurrent loopback clients")
    parser.add_argument("--scale", type=int, default=10, help="content multiplier")
    parser.add_argument(
        "--reads-seconds",
        type=float,
        default=20.0,
        help="per page, for the counting on/off comparison (0: skip it)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import psycopg2

    pg_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    db_name = f"tr_pages_bench_{os.getpid()}"
    try:
        admin = psycopg2.connect(f"{pg_url}/postgres")
    except psycopg2.OperationalError as exc:
        print(f"pages_bench needs PostgreSQL at {pg_url} (BENCH_POSTGRES_URL): {exc}")
        return 1
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{db_name}"')
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trustedresearch.settings.production",
        "DATABASE_URL": f"{pg_url}/{db_name}",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13"),
        "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/13"),
        "SECRET_KEY": "pages-bench-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WAGTAILADMIN_BASE_URL": "https://portal.example.ac.uk",
        "DEFAULT_FROM_EMAIL": "Trusted Research <trusted-research@example.ac.uk>",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    server = None
    log = Path(f"/tmp/pages-bench-gunicorn-{os.getpid()}.log")
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        from comms import roles
        from tests.factories import UserFactory
        from tests.perf.content import reader_content_add, reader_page_urls
        from tests.security.content import pack_load

        # Publishing the set-up's issues notifies their approvers: no SMTP server here.
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        started = time.monotonic()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        pack_load()
        with open(os.devnull, "w") as quiet:
            call_command("create_demo_users", password="bench-password-1", stdout=quiet)
        base = {"posts": 10, "statistics": 20, "activities": 10, "issues": 3}
        reader_content_add(**base, tag="base")
        print(f"set-up {time.monotonic() - started:.0f} s: database {db_name}, pack and content")

        reader = UserFactory(username="bench-reader", role=roles.STAFF)
        client = Client()
        client.force_login(reader)
        cookie = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
        pages = reader_page_urls()
        queries_1x = query_counts(client, pages)
        cold_1x = query_counts(client, pages, cold=True)

        port = free_port()
        server = gunicorn_start(port, env, log)
        speed = {}
        for name, url in pages.items():
            load(port, url, cookie, 1.0, args.threads)  # warm-up: both workers, their caches
            speed[name] = load(port, url, cookie, args.seconds, args.threads)
        reads = {}
        if args.reads_seconds > 0:
            off_port = free_port()
            off_env = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings_no_reads"}
            off_server = gunicorn_start(off_port, off_env, Path(f"{log}.no-reads"))
            try:
                reads = reads_compare(
                    pages, cookie, on=port, off=off_port, seconds=args.reads_seconds
                )
            finally:
                gunicorn_stop(off_server)
        gunicorn_stop(server)
        server = None

        more = {key: value * (args.scale - 1) for key, value in base.items()}
        reader_content_add(**more, tag="more")
        queries_nx = query_counts(client, reader_page_urls())
        cold_nx = query_counts(client, reader_page_urls(), cold=True)

        rows = [
            [
                "page",
                "url",
                "req/s",
                "p50 ms",
                "p95 ms",
                "errors",
                "queries",
                f"queries {args.scale}x",
                "cold",
                f"cold {args.scale}x",
            ]
        ]
        misses = []
        for name, url in pages.items():
            result = speed[name]
            rows.append(
                [
                    name,
                    url,
                    f"{result['rps']:.0f}",
                    f"{result['p50']:.1f}",
                    f"{result['p95']:.1f}",
                    str(result["errors"]),
                    str(queries_1x[name]),
                    str(queries_nx.get(name, "-")),
                    str(cold_1x[name]),
                    str(cold_nx.get(name, "-")),
                ]
            )
            for label, value in (
                ("queries", queries_1x[name]),
                (f"queries {args.scale}x", queries_nx.get(name)),
                ("cold", cold_1x[name]),
                (f"cold {args.scale}x", cold_nx.get(name)),
            ):
                if not isinstance(value, int) or value > TARGET_QUERIES:
                    misses.append(f"{name}: {label} {value} (target <= {TARGET_QUERIES})")
            if cold_nx.get(name) != cold_1x[name]:
                misses.append(
                    f"{name}: cold {cold_1x[name]} -> {cold_nx.get(name)} queries at {args.scale}x"
                )
            if result["p50"] > TARGET_P50_MS or result["p50"] != result["p50"]:
                misses.append(f"{name}: p50 {result['p50']:.1f} ms (target <= {TARGET_P50_MS:.0f})")
            if result["rps"] < TARGET_RPS:
                misses.append(f"{name}: {result['rps']:.0f} req/s (target >= {TARGET_RPS:.0f})")
        print(
            f"gunicorn 2 workers, {args.threads} client threads, {args.seconds:.0f} s per page, "
            f"{os.cpu_count()} CPUs (shared with the clients)"
        )
        print(table(rows))
        if reads:
            rows = [
                [
                    "page",
                    "counts reads",
                    "requests each",
                    "p50 ms counting",
                    "p50 ms not counting",
                    "added ms",
                ]
            ]
            for name, (on, off, count) in reads.items():
                rows.append(
                    [
                        name,
                        "yes" if name in COUNTED else "no",
                        str(count),
                        f"{on:.2f}",
                        f"{off:.2f}",
                        f"{on - off:+.2f}",
                    ]
                )
                if name in COUNTED and on - off > TARGET_READS_MS:
                    misses.append(
                        f"{name}: counting reads adds {on - off:.2f} ms to the p50 "
                        f"(target <= {TARGET_READS_MS:.0f})"
                    )
            print(
                f"counting reads: one client, {args.reads_seconds:.0f} s per page, each request "
                "to the server with counting, then to the one without"
            )
            print(table(rows))
        print("targets missed:" if misses else "all targets met")
        for miss in misses:
            print(f"  {miss}")
        return 0
    finally:
        gunicorn_stop(server)
        from django.db import connections

        connections.close_all()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    sys.exit(main())

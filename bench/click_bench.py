"""The click redirect's speed: gunicorn (production settings) on PostgreSQL, as deployed.

    .venv/bin/python bench/click_bench.py [--requests 1000] [--per-minute 10000] [--minutes 1]
                                          [--workers 2] [--threads 16] [--no-redis]

Creates its own PostgreSQL database (dropped at the end), migrates it, creates one send of an
issue with a few links to ``--recipients`` people (its links recorded as a batch records them:
``newsletter.services.clicks.send_rendering``), starts gunicorn with ``--workers`` sync workers
(``trustedresearch.settings.production``, the server production runs; ``make run``'s
``runserver`` is a development server and not measured), then:

1. latency: ``--requests`` clicks one after another (a new connection each, as a mail client
   makes): median and p95 response time (time.perf_counter, request sent to 302 read);
2. sustained: ``--per-minute`` clicks a minute for ``--minutes``, each due at its own moment,
   from ``--threads`` client threads, on a random recipient's random link: the rate achieved,
   the latency under load, and whether anything was lost: every click must be a 302 to the
   link's address, and the database's counts must equal the clicks made (clicks per link) and
   the distinct recipients who clicked (unique clickers, exact for the database digests; the
   Redis HyperLogLog's standard error is 0.81%).

It also prints the CPU time gunicorn's workers spent per sequential click (from /proc), which
load from other processes does not change, and the machine's load average: on a shared
machine the response times move with that load. Targets: median < 5 ms; the rate held with
nothing lost. The distinct clickers live in Redis (CACHE_URL, default redis://127.0.0.1:6379/13)
as in production; ``--no-redis`` measures the database digests instead (the embedded
default's way). Environment: BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432), CELERY_BROKER_URL (production settings require one;
nothing is queued), CACHE_URL.
"""

import argparse
import http.client
import os
import random
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pages_bench import free_port, gunicorn_start, gunicorn_stop  # noqa: E402

TARGET_P50_MS = 5.0
LINKS = [
    "https://www.npsa.gov.uk/trusted-research",
    "https://www.ncsc.gov.uk/collection/trusted-research",
    "https://www.gov.uk/government/publications/national-security-and-investment-act",
    "https://www.ukri.org/manage-your-award/good-research-resource-hub/trusted-research/",
]


def click(port: int, path: str) -> tuple[float, int, str]:
    """One click on a new connection: (seconds, status, Location)."""
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        response.read()
        return time.perf_counter() - began, response.status, response.getheader("Location", "")
    finally:
        conn.close()


def server_cpu_seconds(master: int) -> float:
    """User + system CPU seconds of gunicorn's workers (Linux /proc): what the clicks cost the
    server, which load from other processes on the machine does not change."""
    total = 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def setup(recipients: int):
    """A send of an issue with LINKS to ``recipients`` deliveries; its links recorded."""
    from django.utils import timezone

    from newsletter.links import click_url
    from newsletter.models import Delivery, Send
    from newsletter.services.clicks import send_rendering
    from newsletter.tokens import click_key
    from tests.factories import newsletter_issue

    body = [
        ("heading", "Spotlight"),
        (
            "rich_text",
            "".join(f'<p>Read <a href="{url}">this guidance</a>.</p>' for url in LINKS),
        ),
    ]
    issue = newsletter_issue("Click bench issue", body=body)
    send = Send.objects.create(
        issue=issue,
        revision=issue.latest_revision,
        subject=issue.title,
        scheduled_at=timezone.now(),
        state=Send.State.FINISHED,
    )
    Delivery.objects.bulk_create(
        Delivery(send=send, email=f"reader{i}@example.ac.uk", status=Delivery.Status.SENT)
        for i in range(recipients)
    )
    send_rendering(send=send)  # records the links, as the first batch does
    positions = dict(send.links.values_list("position", "url"))
    keys = [
        click_key(send_id=send.pk, delivery_id=pk)
        for pk in Delivery.objects.filter(send=send).values_list("pk", flat=True)
    ]
    prefix = click_url(0, "KEY").split("://", 1)[1].split("/", 1)[1]
    paths = {
        (key, position): "/" + prefix.replace("KEY", key).replace("/0/", f"/{position}/")
        for key in keys
        for position in positions
    }
    return send, positions, paths


def sustained(port, plan, threads, positions) -> dict:
    """Run ``plan`` (a list of (due seconds, path, position)) from ``threads`` threads."""
    results: list[tuple[float, int, bool, float]] = []  # latency, status, right target, lag
    lock = threading.Lock()
    index = [0]
    began = time.perf_counter()

    def worker():
        own = []
        while True:
            with lock:
                i = index[0]
                index[0] += 1
            if i >= len(plan):
                break
            due, path, position = plan[i]
            wait = began + due - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            lag = time.perf_counter() - (began + due)
            try:
                seconds, status, location = click(port, path)
            except OSError:
                seconds, status, location = float("nan"), 0, ""
            own.append((seconds, status, location == positions[position], lag))
        with lock:
            results.extend(own)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - began
    ok = [r for r in results if r[1] == 302 and r[2]]
    latencies = [r[0] for r in ok]
    return {
        "made": len(results),
        "ok": len(ok),
        "elapsed": elapsed,
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 0.95) if latencies else float("nan"),
        "lag_p95": percentile([r[3] for r in results], 0.95),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="sequential clicks")
    parser.add_argument("--per-minute", type=int, default=10_000)
    parser.add_argument("--minutes", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--threads", type=int, default=16, help="client threads")
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--no-redis", action="store_true", help="database digests, no Redis")
    args = parser.parse_args()

    import psycopg2

    pg_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    db_name = f"tr_click_bench_{os.getpid()}"
    admin = psycopg2.connect(f"{pg_url}/postgres")
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{db_name}"')
    redis_url = os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/13")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trustedresearch.settings.production",
        "DATABASE_URL": f"{pg_url}/{db_name}",
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13"),
        "CACHE_URL": "locmem://" if args.no_redis else redis_url,
        "SECRET_KEY": "click-bench-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WAGTAILADMIN_BASE_URL": "https://portal.example.ac.uk",
        "DEFAULT_FROM_EMAIL": "Trusted Research <trusted-research@example.ac.uk>",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    server = None
    log = Path(f"/tmp/click-bench-gunicorn-{os.getpid()}.log")
    hll_key = None
    try:
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command

        from newsletter.models import ClickerDigest, LinkClickDay
        from newsletter.selectors import send_clicks

        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)  # gunicorn's ready probe
        send, positions, paths = setup(args.recipients)
        hll_key = f"newsletter:clickers:{send.pk}"
        cache.delete(hll_key)  # a key left by an earlier run's send of the same id
        print(
            f"set-up: database {db_name}, send {send.pk}: {args.recipients} recipients, "
            f"{len(positions)} links; distinct clickers in "
            f"{'the database (digests)' if args.no_redis else 'Redis (HyperLogLog)'}"
        )
        port = free_port()
        server = gunicorn_start(port, env, log)
        rng = random.Random(17)
        keys = sorted({key for key, _ in paths})

        made: dict[str, int] = {}
        clickers: set[str] = set()

        def pick():
            key, position = rng.choice(keys), rng.choice(list(positions))
            made[positions[position]] = made.get(positions[position], 0) + 1
            clickers.add(key)
            return paths[(key, position)], position

        for _ in range(50):  # warm-up: both workers, their connections
            click(port, pick()[0])
        latencies, wrong = [], 0
        cpu_before = server_cpu_seconds(server.pid)
        for _ in range(args.requests):
            path, position = pick()
            seconds, status, location = click(port, path)
            latencies.append(seconds)
            wrong += status != 302 or location != positions[position]
        cpu_per_click = (server_cpu_seconds(server.pid) - cpu_before) / args.requests * 1000
        p50, p95 = statistics.median(latencies) * 1000, percentile(latencies, 0.95) * 1000

        total = int(args.per_minute * args.minutes)
        interval = 60.0 / args.per_minute
        plan = [(i * interval, *pick()) for i in range(total)]
        load = sustained(port, plan, args.threads, positions)

        counted = dict(
            LinkClickDay.objects.filter(link__send=send).values_list("link__url", "clicks")
        )
        figures = send_clicks(send)
        digests = ClickerDigest.objects.filter(send=send).count()
        lost = sum(made.values()) - figures["clicks"]
        rate = load["made"] / load["elapsed"] * 60
        print(f"sequential clicks         {args.requests} ({wrong} wrong)")
        print(f"median response           {p50:.2f} ms (target < {TARGET_P50_MS:.0f} ms)")
        print(f"p95 response              {p95:.2f} ms")
        print(f"server CPU per click      {cpu_per_click:.2f} ms (gunicorn workers, any load)")
        print(f"machine load average      {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(
            f"sustained                 {load['made']} clicks in {load['elapsed']:.1f} s "
            f"= {rate:.0f}/min (asked {args.per_minute}/min), gunicorn {args.workers} workers"
        )
        print(f"  302 to the right link   {load['ok']}")
        print(f"  median / p95 under load {load['p50'] * 1000:.2f} / {load['p95'] * 1000:.2f} ms")
        print(f"  start lag p95           {load['lag_p95'] * 1000:.1f} ms (behind schedule)")
        print(f"clicks made / counted     {sum(made.values())} / {figures['clicks']} (lost {lost})")
        print(f"per link made == counted  {made == counted}")
        print(
            f"distinct clickers         {len(clickers)} made / {figures['unique_clickers']} "
            f"counted{f' ({digests} digests)' if args.no_redis else ' (HyperLogLog)'}"
        )
        held = load["ok"] == total and rate >= args.per_minute * 0.98
        good = p50 < TARGET_P50_MS and held and lost == 0 and made == counted and not wrong
        print("RESULT", "OK" if good else "MISSED")
        return 0 if good else 1
    finally:
        gunicorn_stop(server)
        if hll_key:
            from django.core.cache import cache

            cache.delete(hll_key)
        from django.db import connections

        connections.close_all()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())

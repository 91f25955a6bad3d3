"""What counting a read adds to a reader page: ``read_record`` timed on both stores.

    .venv/bin/python bench/reads_bench.py [--reads 2000]

``comms.middleware.ReadCountMiddleware`` calls ``comms.services.engagement_reads.read_record``
once per signed-in reader's page. This times that call in-process, on the embedded default's
store (SQLite and the file cache in a temporary folder, as ``make run``) and on Redis
(CACHE_URL, default redis://127.0.0.1:6379/13; its keys are deleted at the end): a reader's
first read of an item on a day (a new mark) and the re-reads after it (the common case).
Prints the median and p95 in microseconds. The middleware runs the call once the response is
sent (the reader never waits for it), so this is worker time; the target, a median under 1 ms,
is checked on every case but the embedded default's first read of the day (a committed SQLite
INSERT, once per reader, item and day). ``bench/pages_bench.py`` measures whole pages.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_MEDIAN_US = 1000.0


def timed(calls) -> dict:
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1e6)
    times.sort()
    return {"median": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1]}


def measure(reads: int) -> dict:
    from django.contrib.contenttypes.models import ContentType

    from comms.models import ReadCount
    from comms.services.engagement_reads import read_record

    content_type_id = ContentType.objects.get_for_model(ReadCount).pk

    def record(user_id: int, object_id: int):
        return lambda: read_record(
            user_id=user_id, content_type_id=content_type_id, object_id=object_id
        )

    object_id = int(time.time())  # a new item each run
    first = timed(record(user_id, object_id) for user_id in range(1, reads + 1))
    again = timed(record(user_id % 50 + 1, object_id) for user_id in range(reads))
    return {"first read of the day": first, "re-read": again}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=2000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reads-bench-"))
    try:
        return run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> int:
    redis_url = os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/13")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "trustedresearch.settings.dev",
            "PORTAL_DATA_DIR": str(work),
            "DATABASE_URL": f"sqlite:///{work / 'portal.sqlite3'}",
            "CACHE_URL": f"file://{work / 'cache'}",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    from comms.services import engagement_reads

    call_command("migrate", verbosity=0, interactive=False)
    results = {"database (SQLite, file cache)": measure(args.reads)}
    redis = override_settings(
        CACHES={
            "default": {
                "BACKEND": "comms.readercache.cache_backends.ReusedClientRedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": f"reads-bench-{os.getpid()}",
            }
        }
    )
    redis.enable()
    client, backend = engagement_reads._redis_client()
    try:
        client.ping()
    except Exception as exc:
        print(f"Redis at {redis_url} (CACHE_URL) is not answering: {exc}")
        return 1
    try:
        results[f"Redis ({redis_url})"] = measure(args.reads)
    finally:
        keys = list(client.scan_iter(match=backend.make_key("*")))
        if keys:
            client.delete(*keys)
        redis.disable()
    misses = []
    print(f"read_record, {args.reads} calls each, microseconds")
    print(f"{'store':<44}{'case':<24}{'median':>8}{'p95':>8}")
    for store, cases in results.items():
        for case, figures in cases.items():
            print(f"{store:<44}{case:<24}{figures['median']:>8.0f}{figures['p95']:>8.0f}")
            exempt = store.startswith("database") and case.startswith("first")
            if figures["median"] > TARGET_MEDIAN_US and not exempt:
                misses.append(f"{store}, {case}: median {figures['median']:.0f} us")
    print("targets missed:" if misses else "all targets met (median < 1 ms)")
    for miss in misses:
        print(f"  {miss}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A list that follows a 20,000-person directory group against a manual list of the same size:
the send's audience snapshot, and the list's directory sync on its own.

    .venv/bin/python bench/audience_bench.py [--people 20000] [--rounds 5]

Creates its own PostgreSQL database (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432),
a directory group of ``--people`` people and a list that follows it (synced once, as it would
be), and a manual list of as many other subscribers; then, ``--rounds`` times each, in turn,
snapshots a send to each list (``newsletter.services.engine._snapshot``: for the directory list
that includes bringing it up to date, which finds nothing to change), and times a directory
sync that adds 1% joiners and takes off 1% leavers. Prints medians (``time.perf_counter``) and
peak RSS, then drops the database. Target: the directory list's snapshot within 1.5x the
manual list's.
"""

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = f"tr_audience_bench_{os.getpid()}"


def admin_db(sql: str) -> None:
    conn = psycopg2.connect(f"{SERVER}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    admin_db(f'CREATE DATABASE "{DB_NAME}"')
    try:
        os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "trustedresearch.settings.test"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections, transaction

        from comms import roles
        from directory.models import DirectoryGroup, DirectoryPerson, Source
        from newsletter.models import Delivery, MailingList, Send
        from newsletter.services.audiences import list_directory_sync
        from newsletter.services.engine import _snapshot
        from newsletter.services.sends import send_schedule
        from tests.factories import UserFactory, newsletter_issue, subscribe_many

        call_command("migrate", verbosity=0)
        n = args.people
        DirectoryPerson.objects.bulk_create(
            [
                DirectoryPerson(
                    source=Source.LDAP,
                    external_id=f"id-{i}",
                    user_name=f"p{i}@example.ac.uk",
                    email=f"p{i}@example.ac.uk",
                    display_name=f"Person {i}",
                )
                for i in range(int(n * 1.02))
            ],
            batch_size=5000,
        )
        people = list(DirectoryPerson.objects.order_by("pk").values_list("pk", flat=True))
        group = DirectoryGroup.objects.create(source=Source.LDAP, display_name="All staff")
        Through = DirectoryGroup.members.through
        Through.objects.bulk_create(
            [Through(directorygroup_id=group.pk, directoryperson_id=pk) for pk in people[:n]],
            batch_size=5000,
        )
        followed = MailingList.objects.create(name="All staff (directory)")
        followed.directory_groups.add(group)
        started = time.perf_counter()
        first = list_directory_sync(followed)
        print(
            f"first sync of the {n:,}-person group: {time.perf_counter() - started:.2f} s ({first})"
        )
        manual = MailingList.objects.create(name="All staff (manual)")
        subscribe_many(manual, [f"m{i}@example.ac.uk" for i in range(n)])
        lead = UserFactory(role=roles.COMMS_LEADS)
        issue = newsletter_issue()

        def snapshot(mailing_list) -> float:
            send = send_schedule(issue=issue, lists=[mailing_list], at=None, user=lead)
            begin = time.perf_counter()
            with transaction.atomic():
                total = _snapshot(Send.objects.get(pk=send.pk))
            took = time.perf_counter() - begin
            assert total == n, total
            Delivery.objects.filter(send=send).delete()
            Send.objects.filter(pk=send.pk).update(state=Send.State.CANCELLED)
            return took

        times = {"directory": [], "manual": []}
        for _ in range(args.rounds):
            times["directory"].append(snapshot(followed))
            times["manual"].append(snapshot(manual))
        changes = []
        for round_number in range(args.rounds):
            leavers = people[round_number * (n // 100) : (round_number + 1) * (n // 100)]
            joiners = people[n + round_number * (n // 500) : n + (round_number + 1) * (n // 500)]
            group.members.remove(*leavers)
            group.members.add(*joiners)
            begin = time.perf_counter()
            report = list_directory_sync(followed)
            changes.append((time.perf_counter() - begin, report))
        directory, manual_time = (
            statistics.median(times["directory"]),
            statistics.median(times["manual"]),
        )
        print(f"{n:,} people, {args.rounds} rounds each, medians:")
        print(f"  snapshot, manual list:               {manual_time * 1000:8.0f} ms")
        print(
            f"  snapshot, list following the group:  {directory * 1000:8.0f} ms "
            f"({directory / manual_time:.2f}x; includes its no-change directory sync)"
        )
        print(
            f"  directory sync with changes:         "
            f"{statistics.median(t for t, _ in changes) * 1000:8.0f} ms (last: {changes[-1][1]})"
        )
        print(f"  peak RSS {rss_mb():.0f} MB")
        ok = directory <= manual_time * 1.5
        print("target met" if ok else "target missed: the directory list's snapshot > 1.5x")
        connections.close_all()
        return 0 if ok else 1
    finally:
        admin_db(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    sys.exit(main())

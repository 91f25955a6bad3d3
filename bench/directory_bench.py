"""LDAP directory sync at a university's size: 50,000 people, 2,000 groups, ~200,000 memberships.

    .venv/bin/python bench/directory_bench.py [--people 50000] [--groups 2000]

Starts its own OpenLDAP (slapd, loaded offline with slapadd; tests/directory/ldap/slapd.py)
and creates its own PostgreSQL database (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432),
then times ``manage.py directory_sync`` end to end (LDAP read + apply) three times: the first
sync, a sync with no change, and one after 1% of the directory changed (addresses changed,
people left and joined, memberships added and removed). Prints seconds, peak RSS and RSS
after each run (memory should stay flat), then the LDAP read alone. Target: each under 60 s.
Everything it started is stopped and the database dropped at the end.
"""

import argparse
import io
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = f"tr_directory_bench_{os.getpid()}"
TARGET_SECONDS = 60.0
ALL_STAFF = 20_000  # members of the "All staff"-like group


def admin_db(sql: str) -> None:
    conn = psycopg2.connect(f"{SERVER}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def memberships(people: int, groups: int) -> dict[int, list[int]]:
    """Group number -> person numbers: group 0 is "All staff" (the first 20,000), every person
    in three other groups and three in five in a fourth (~200,000 at the default size)."""
    rng = random.Random(1)
    members: dict[int, set[int]] = {g: set() for g in range(groups)}
    members[0].update(range(min(ALL_STAFF, people)))
    for person in range(people):
        count = 4 if person % 5 < 3 else 3
        for group in rng.sample(range(1, groups), count):
            members[group].add(person)
    return {g: sorted(p) for g, p in members.items()}


def directory_ldif(people: int, groups: dict[int, list[int]]) -> str:
    from tests.directory.ldap import slapd

    parts = [slapd.base_ldif()]
    for i in range(people):
        parts.append(
            slapd.person_ldif(f"p{i:05d}", f"Given{i}", f"Family{i}", f"p{i:05d}@example.ac.uk")
        )
    for g, members in groups.items():
        name = "All staff" if g == 0 else f"Group {g:04d}"
        parts.append(slapd.group_ldif(name, [slapd.person_dn(f"p{i:05d}") for i in members]))
    return "".join(parts)


def change_one_percent(server, people: int, groups: dict[int, list[int]]) -> dict[str, int]:
    """1% of the people touched: a quarter change address, a quarter leave, a quarter join,
    and as many memberships are added and removed."""
    import ldap3

    from tests.directory.ldap import slapd

    rng = random.Random(2)
    conn = server.connection()
    touched = rng.sample(range(people), people // 100)
    quarter = len(touched) // 4
    changed, leaving = touched[:quarter], touched[quarter : 2 * quarter]
    for i in changed:
        dn = slapd.person_dn(f"p{i:05d}")
        conn.modify(dn, {"mail": [(ldap3.MODIFY_REPLACE, [f"new.p{i:05d}@example.ac.uk"])]})
    for i in leaving:
        conn.delete(slapd.person_dn(f"p{i:05d}"))
    for j in range(quarter):
        uid = f"new{j:05d}"
        conn.add(
            slapd.person_dn(uid),
            ["inetOrgPerson"],
            {"uid": uid, "cn": f"New {j}", "sn": f"New{j}", "mail": f"{uid}@example.ac.uk"},
        )
        conn.modify(
            slapd.group_dn("All staff"),
            {"member": [(ldap3.MODIFY_ADD, [slapd.person_dn(uid)])]},
        )
    moved = 0
    for i in touched[2 * quarter :]:
        source = next(g for g, members in groups.items() if g and i in members)
        target = rng.choice([g for g in range(1, len(groups)) if i not in groups[g]])
        person = slapd.person_dn(f"p{i:05d}")
        conn.modify(
            slapd.group_dn(f"Group {source:04d}"),
            {"member": [(ldap3.MODIFY_DELETE, [person])]},
        )
        conn.modify(
            slapd.group_dn(f"Group {target:04d}"), {"member": [(ldap3.MODIFY_ADD, [person])]}
        )
        moved += 1
    conn.unbind()
    return {"changed": len(changed), "left": len(leaving), "joined": quarter, "moved": moved}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--groups", type=int, default=2_000)
    args = parser.parse_args()

    from tests.directory.ldap import slapd

    if slapd.slapd_binary() is None:
        sys.exit("slapd is not installed: make ldap-deps")
    workdir = Path(tempfile.mkdtemp(prefix="directory-bench-"))
    server = slapd.Slapd(workdir)
    groups = memberships(args.people, args.groups)
    total = sum(len(m) for m in groups.values())
    started = time.perf_counter()
    server.load(directory_ldif(args.people, groups))
    print(
        f"slapadd of {args.people:,} people, {args.groups:,} groups, {total:,} memberships: "
        f"{time.perf_counter() - started:.1f} s"
    )
    server.start()
    admin_db(f'CREATE DATABASE "{DB_NAME}"')
    try:
        os.environ.update(
            {
                "DATABASE_URL": f"{SERVER}/{DB_NAME}",
                "DJANGO_SETTINGS_MODULE": "trustedresearch.settings.test",
                "LDAP_URL": server.url,
                "LDAP_BIND_DN": slapd.SYNC_DN,
                "LDAP_BIND_PASSWORD": slapd.SYNC_PASSWORD,
                "LDAP_USER_BASE": slapd.PEOPLE,
                "LDAP_GROUP_BASE": slapd.GROUPS,
                "LDAP_TIMEOUT": "120",
            }
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"RSS before the first sync: {rss_mb():.0f} MB")
        runs = [("first sync", None), ("no change", None), ("1% changed", change_one_percent)]
        slow = []
        for name, prepare in runs:
            if prepare is not None:
                print(f"  changes made in LDAP: {prepare(server, args.people, groups)}")
            out = io.StringIO()
            started = time.perf_counter()
            call_command("directory_sync", stdout=out)
            seconds = time.perf_counter() - started
            print(
                f"{name:>11}: {seconds:5.1f} s, peak RSS {peak_mb():.0f} MB, "
                f"RSS after {rss_mb():.0f} MB\n    {out.getvalue().strip()}"
            )
            if seconds > TARGET_SECONDS:
                slow.append(name)
        from directory.services.ldap import LdapConfig, ldap_directory_read

        started = time.perf_counter()
        snapshot = ldap_directory_read(config=LdapConfig.from_settings())
        print(
            f"LDAP read alone (of the sync's time): {time.perf_counter() - started:.1f} s for "
            f"{len(snapshot.people):,} people and {len(snapshot.groups):,} groups"
        )
        if slow:
            sys.exit(f"Over {TARGET_SECONDS:.0f} s: {', '.join(slow)}")
    finally:
        from django.db import connections

        connections.close_all()
        admin_db(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()

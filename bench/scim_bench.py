"""SCIM provisioning at the size of the institution: N users and G groups with members.

    .venv/bin/python bench/scim_bench.py [--users 50000] [--groups 2000] [--memberships 5]
        [--members-per-patch 50] [--http] [--workers 2] [--threads 4]

Creates its own PostgreSQL database (dropped at the end) and migrates it, makes a SCIM token,
then provisions as an identity provider does: one ``POST /Users`` per person, one
``POST /Groups`` per group, then group memberships by ``PATCH /Groups/{id}``
(``{"op": "add", "path": "members", "value": [...]}``, ``--members-per-patch`` members each;
every person is in ``--memberships`` groups), and finally one ``GET /Users?filter=userName eq``
and one ``GET /Groups?filter=displayName eq`` per 100 people/groups (the look-ups Entra ID
makes before writing).

Without ``--http`` the requests go through Django's WSGI handler in this process (the test
``Client``: the whole middleware stack and the views, no socket). With ``--http`` they go over
loopback HTTP to gunicorn (``--workers`` sync workers, production settings) from
``--threads`` client threads. Prints, per phase and in total: requests, seconds,
requests/s, and peak RSS (``resource.getrusage``: this process, and gunicorn's workers with
``--http``). Target: the whole directory in under 60 s.

Environment: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432),
CELERY_BROKER_URL (production settings need one; nothing is queued; default
redis://127.0.0.1:6379/13).
"""

import argparse
import http.client
import json
import logging
import os
import resource
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from pages_bench import free_port, gunicorn_start, gunicorn_stop  # noqa: E402

TARGET_SECONDS = 60.0
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"


def user_body(n: int) -> dict:
    return {
        "schemas": [USER_SCHEMA],
        "externalId": f"00000000-0000-4000-8000-{n:012d}",
        "userName": f"person{n}@example.ac.uk",
        "active": True,
        "displayName": f"Person {n}",
        "name": {"givenName": "Person", "familyName": str(n)},
        "emails": [{"primary": True, "type": "work", "value": f"person{n}@example.ac.uk"}],
    }


def group_body(n: int) -> dict:
    return {
        "schemas": [GROUP_SCHEMA],
        "externalId": f"10000000-0000-4000-8000-{n:012d}",
        "displayName": f"Group {n}",
    }


class InProcess:
    """Requests through Django's WSGI handler, in this process (no socket)."""

    def __init__(self, secret: str):
        from django.test import Client

        self.client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_HOST="127.0.0.1")

    def __call__(self, method: str, path: str, body=None) -> tuple[int, bytes]:
        kwargs = {"content_type": "application/scim+json"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        response = getattr(self.client, method.lower())(path, **kwargs)
        return response.status_code, response.content


class OverHttp:
    """Requests over loopback HTTP/1.1, one keep-alive connection per client thread."""

    def __init__(self, secret: str, port: int):
        self.port = port
        self.headers = {
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/scim+json",
            "Host": "127.0.0.1",
        }
        self.local = threading.local()

    def __call__(self, method: str, path: str, body=None) -> tuple[int, bytes]:
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        data = json.dumps(body).encode() if body is not None else None
        try:
            conn.request(method, path, body=data, headers=self.headers)
            response = conn.getresponse()
        except (http.client.HTTPException, OSError):
            self.local.conn = None
            conn.close()
            return self(method, path, body)
        return response.status, response.read()


def run_phase(send, requests, threads: int) -> tuple[list, float]:
    """Send ``requests`` ((method, path, body)) with ``threads`` workers; (results, seconds)."""
    results = [None] * len(requests)
    started = time.monotonic()
    if threads <= 1:
        for i, (method, path, body) in enumerate(requests):
            results[i] = send(method, path, body)
    else:
        cursor = iter(range(len(requests)))
        lock = threading.Lock()

        def work():
            while True:
                with lock:
                    i = next(cursor, None)
                if i is None:
                    return
                results[i] = send(*requests[i])

        workers = [threading.Thread(target=work) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    return results, time.monotonic() - started


def check(results, expected: int, phase: str) -> None:
    bad = [(status, body[:200]) for status, body in results if status != expected]
    if bad:
        raise SystemExit(f"{phase}: {len(bad)} responses were not {expected}; first: {bad[0]}")


def provision(send, args, threads: int) -> list[tuple[str, int, float]]:
    """The phases; returns (phase, requests, seconds)."""
    phases = []
    users = [("POST", "/scim/v2/Users", user_body(n)) for n in range(args.users)]
    results, seconds = run_phase(send, users, threads)
    check(results, 201, "POST /Users")
    user_ids = [json.loads(body)["id"] for _, body in results]
    phases.append(("POST /Users", len(users), seconds))

    groups = [("POST", "/scim/v2/Groups", group_body(n)) for n in range(args.groups)]
    results, seconds = run_phase(send, groups, threads)
    check(results, 201, "POST /Groups")
    group_ids = [json.loads(body)["id"] for _, body in results]
    phases.append(("POST /Groups", len(groups), seconds))

    # Person n is in groups n, n+1, ... (mod G): every group gets about N*m/G members.
    members: dict[int, list[str]] = {g: [] for g in range(args.groups)}
    for n, user_id in enumerate(user_ids):
        for k in range(args.memberships):
            members[(n + k) % args.groups].append(user_id)
    patches = []
    size = args.members_per_patch
    for g, ids in members.items():
        for start in range(0, len(ids), size):
            value = [{"value": user_id} for user_id in ids[start : start + size]]
            operation = {"op": "Add", "path": "members", "value": value}
            body = {"schemas": [PATCH_SCHEMA], "Operations": [operation]}
            patches.append(("PATCH", f"/scim/v2/Groups/{group_ids[g]}", body))
    results, seconds = run_phase(send, patches, threads)
    check(results, 204, "PATCH /Groups members")
    phases.append((f"PATCH /Groups (+{size} members)", len(patches), seconds))

    lookups = [
        ("GET", f'/scim/v2/Users?filter=userName+eq+"person{n}@example.ac.uk"', None)
        for n in range(0, args.users, 100)
    ] + [
        (
            "GET",
            f'/scim/v2/Groups?excludedAttributes=members&filter=displayName+eq+"Group+{n}"',
            None,
        )
        for n in range(0, args.groups, 100)
    ]
    results, seconds = run_phase(send, lookups, threads)
    check(results, 200, "GET filter")
    assert all(json.loads(body)["totalResults"] == 1 for _, body in results)
    phases.append(("GET ?filter= eq", len(lookups), seconds))
    return phases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--groups", type=int, default=2_000)
    parser.add_argument("--memberships", type=int, default=5, help="groups per person")
    parser.add_argument("--members-per-patch", type=int, default=50)
    parser.add_argument("--http", action="store_true", help="over HTTP to gunicorn")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (--http)")
    parser.add_argument("--threads", type=int, default=4, help="client threads (--http)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import psycopg2

    pg_url = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    db_name = f"tr_scim_bench_{os.getpid()}"
    try:
        admin = psycopg2.connect(f"{pg_url}/postgres")
    except psycopg2.OperationalError as exc:
        print(f"scim_bench needs PostgreSQL at {pg_url} (BENCH_POSTGRES_URL): {exc}")
        return 1
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{db_name}"')
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "trustedresearch.settings.production",
            "DATABASE_URL": f"{pg_url}/{db_name}",
            "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/13"),
            "SECRET_KEY": "scim-bench-not-secret-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "WAGTAILADMIN_BASE_URL": "https://portal.example.ac.uk",
            "DEFAULT_FROM_EMAIL": "Trusted Research <trusted-research@example.ac.uk>",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from directory.models import DirectoryGroup, DirectoryPerson
        from directory.services.scim_tokens import scim_token_create

        call_command("migrate", verbosity=0, interactive=False)
        secret = scim_token_create(name="bench")[1]
        if args.http:
            port = free_port()
            log = Path(f"/tmp/scim-bench-gunicorn-{os.getpid()}.log")
            server = gunicorn_start(port, dict(os.environ), log, workers=args.workers)
            send, threads = OverHttp(secret, port), args.threads
            how = f"HTTP to gunicorn ({args.workers} sync workers), {threads} client threads"
        else:
            send, threads = InProcess(secret), 1
            how = "in-process WSGI (Django test Client), one thread"
        print(
            f"SCIM provisioning of {args.users} users and {args.groups} groups "
            f"({args.memberships} groups per person): {how}"
        )
        phases = provision(send, args, threads)
        gunicorn_stop(server)
        server = None
        total_requests = sum(count for _, count, _ in phases)
        total_seconds = sum(seconds for _, _, seconds in phases)
        width = max(len(name) for name, _, _ in phases)
        for name, count, seconds in phases:
            rate = count / seconds
            print(f"  {name:<{width}}  {count:>7} requests  {seconds:7.1f} s  {rate:7.0f}/s")
        print(
            f"  {'total':<{width}}  {total_requests:>7} requests  {total_seconds:7.1f} s  "
            f"{total_requests / total_seconds:7.0f}/s"
        )
        people, groups = DirectoryPerson.objects.count(), DirectoryGroup.objects.count()
        memberships = DirectoryGroup.members.through.objects.count()
        print(f"  stored: {people} people, {groups} groups, {memberships} memberships")
        self_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        line = f"  peak RSS: this process {self_rss:.0f} MB"
        if args.http:
            children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            line += f", largest gunicorn process {children:.0f} MB"
        print(line)
        verdict = "met" if total_seconds <= TARGET_SECONDS else "missed"
        print(f"target (whole directory in {TARGET_SECONDS:.0f} s): {verdict}")
        return 0
    finally:
        gunicorn_stop(server)
        from django.db import connections

        connections.close_all()
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    sys.exit(main())

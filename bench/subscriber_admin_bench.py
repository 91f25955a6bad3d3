"""Subscriber admin at 50,000 subscribers: listing, search, filter and a late page.

Creates its own PostgreSQL database (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432),
imports 50,000 subscribers through the real import service, times each admin view over five
requests with Django's test client, prints median milliseconds and query counts, then drops the
database.
"""

import io
import os
import statistics
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = f"tr_admin_bench_{os.getpid()}"
ROWS = 50_000


def admin_db(sql: str) -> None:
    conn = psycopg2.connect(f"{SERVER}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def main() -> None:
    admin_db(f'CREATE DATABASE "{DB_NAME}"')
    try:
        os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
        os.environ["DJANGO_SETTINGS_MODULE"] = "trustedresearch.settings.test"
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from newsletter.services.subscribers import subscribers_import

        call_command("migrate", verbosity=0)
        rows = "".join(f"person{i}@example.ac.uk,Person {i}\n" for i in range(ROWS))
        started = time.perf_counter()
        subscribers_import(
            mailing_list_name="All staff", csv_file=io.BytesIO(f"email,name\n{rows}".encode())
        )
        print(f"import of {ROWS:,} subscribers: {time.perf_counter() - started:.1f} s")
        user = get_user_model().objects.create_superuser(
            "bench", "bench@example.ac.uk", "x-1234567"
        )
        client = Client()
        client.force_login(user)
        base = "/admin/newsletter/subscribers/"
        for label, query in [
            ("listing", ""),
            ("search", "?q=person4999"),
            ("filter", "?status=subscribed"),
            ("page 500", "?p=500"),
        ]:
            timings = []
            for _ in range(5):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(base + query)
                    timings.append((time.perf_counter() - started) * 1000)
            print(
                f"{label:<10} HTTP {response.status_code}  "
                f"median {statistics.median(timings):6.0f} ms  {len(queries)} queries"
            )
        connection.close()
    finally:
        admin_db(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()

"""``manage.py bounce_receive``: one returned message on standard input, as an MTA's pipe
transport hands it over (Postfix: ``bounces unix - n n - - pipe flags=Rq user=portal
argv=/srv/portal/.venv/bin/python /srv/portal/manage.py bounce_receive``).

Exit statuses are the MTA's (sysexits): 0 taken (acted on, or kept for review), 65 no message
on standard input, 75 a temporary failure (the database): the MTA keeps the message and tries
again later."""

import sys

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from newsletter.services.bounces import bounce_process

EX_DATAERR, EX_TEMPFAIL = 65, 75


class Command(BaseCommand):
    help = "Process one returned message (bounce, complaint, unsubscribe) read from standard input."

    def handle(self, *args, **options):
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self.stderr.write("No message on standard input: pipe one whole message in.")
            sys.exit(EX_DATAERR)
        try:
            outcome = bounce_process(raw, source="pipe")
        except DatabaseError as exc:
            self.stderr.write(f"The database is unavailable ({exc}); the MTA will try again.")
            sys.exit(EX_TEMPFAIL)
        verdict = "processed" if outcome.understood else "kept for review"
        self.stdout.write(f"{outcome.kind}: {outcome.detail} ({verdict})")

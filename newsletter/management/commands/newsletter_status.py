"""manage.py newsletter_status SEND_ID: one JSON object (state, total, sent, failed, pending,
skipped, and the clicks on its links: clicks, unique_clickers)."""

import json

from django.core.management.base import BaseCommand, CommandError

from newsletter.models import Send
from newsletter.selectors import send_clicks, send_status


class Command(BaseCommand):
    help = "Print a send's progress as one JSON object."

    def add_arguments(self, parser):
        parser.add_argument("send_id", type=int)

    def handle(self, *args, **options):
        send = Send.objects.filter(pk=options["send_id"]).first()
        if send is None:
            raise CommandError(f"No send with id {options['send_id']}.")
        self.stdout.write(json.dumps(send_status(send) | send_clicks(send)))

"""``manage.py load_demo_content``: the demo content `make run` starts with (idempotent)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from comms.pack import info_logs_quiet
from newsletter.services.demo import demo_content_load


class Command(BaseCommand):
    help = (
        "Add demo content on top of the comms pack: a fictional university's settings, figures, "
        "campaign answers, endorsers, KPIs and activities, two posts, the campaign intro, a "
        "mailing list, a sent issue (its email kept in the data directory's mail/ folder), an "
        "approved issue and a draft. For demos only; running it again adds nothing."
    )

    def handle(self, *args, **options):
        try:
            with info_logs_quiet():
                report = demo_content_load(mail_dir=settings.DATA_DIR / "mail")
        except Exception as error:  # the demo must say what went wrong, not leave half of it
            raise CommandError(
                f"Demo content not loaded ({error}). Run `manage.py load_comms_pack` and "
                "`manage.py create_demo_users` first."
            ) from error
        for line in report or ["Demo content already loaded: nothing to add."]:
            self.stdout.write(line)

"""manage.py import_subscribers LIST CSV: all or nothing; exit status 1 if any row is bad."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletter.services.subscribers import subscribers_import


class Command(BaseCommand):
    help = (
        "Import subscribers from a CSV file (header: email, optional name; comma or semicolon; "
        "UTF-8) into a mailing list, created if missing. Nothing is imported if any row is bad."
    )

    def add_arguments(self, parser):
        parser.add_argument("list", help="Mailing list name")
        parser.add_argument("csv", help="Path of the CSV file")

    def handle(self, *args, **options):
        path = Path(options["csv"])
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        report = subscribers_import(mailing_list_name=options["list"], csv_file=path)
        for error in report.errors:
            self.stderr.write(error)
        if not report.ok:
            raise CommandError(report.summary())
        for skipped in report.skipped:
            self.stdout.write(f"Skipped: {skipped}")
        self.stdout.write(self.style.SUCCESS(report.summary()))

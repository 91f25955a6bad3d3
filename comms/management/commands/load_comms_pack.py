import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from comms.pack import info_logs_quiet

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Load the NPSA communications pack and campaign plan into the portal. Idempotent: "
        "what exists is kept (an editor's later edits included); --reset restores pack text."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Restore the pack's own text on items an editor has changed.",
        )

    def handle(self, *args, reset: bool, **options):
        loaders = getattr(settings, "COMMS_PACK_LOADERS", [])
        for dotted in loaders:
            with info_logs_quiet():
                report = import_string(dotted)(reset=reset)
            self.stdout.write(report.summary())
            for label in report.edited:
                self.stdout.write(
                    f"  skipped {label}: edited since it was loaded; kept (--reset restores it)"
                )
            for label in report.skipped:
                self.stdout.write(f"  skipped {label}")
        if not loaders:
            self.stdout.write("No pack loaders are installed yet; the site tree is in place.")

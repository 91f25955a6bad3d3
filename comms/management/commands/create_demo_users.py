from django.core.management.base import BaseCommand, CommandError

from comms.services.users import DEFAULT_DEMO_PASSWORD, demo_users_ensure


class Command(BaseCommand):
    help = "Create (or reset) one demo account per role and print them. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_DEMO_PASSWORD,
            help=f"Password for every demo account (default: {DEFAULT_DEMO_PASSWORD}).",
        )

    def handle(self, *args, password: str, **options):
        if len(password) < 8:
            raise CommandError("--password must be at least 8 characters long.")
        accounts = demo_users_ensure(password=password)
        self.stdout.write(f"{'username':<12} {'password':<24} group")
        for account in accounts:
            group = account.group or "(superuser: every permission)"
            self.stdout.write(f"{account.username:<12} {password:<24} {group}")

"""manage.py directory_sync: sync the directory from LDAP / Active Directory now (what the beat
schedule does every LDAP_SYNC_INTERVAL seconds). Exit status 1, with the reason, when the sync
failed (nothing was changed) or LDAP_URL is not set."""

from django.core.management.base import BaseCommand, CommandError

from directory.services.ldap import DirectorySyncFailed, directory_ldap_sync


class Command(BaseCommand):
    help = (
        "Sync people and groups from LDAP / Active Directory (LDAP_URL and the LDAP_* "
        "settings) in one transaction: all or nothing."
    )

    def handle(self, *args, **options):
        try:
            report = directory_ldap_sync()
        except DirectorySyncFailed as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Directory synced from LDAP. {report.summary()}"))

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "comms"
    verbose_name = "Communications"

    def ready(self) -> None:
        from comms.services.roles import roles_sync_after_migrate

        # Model permissions exist only after every app has migrated, so the groups get theirs here.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="comms-roles-sync")

        from comms.services.site import site_address_sync

        # The site tree's migration can only guess localhost:80; page links follow the setting.
        post_migrate.connect(site_address_sync, sender=self, dispatch_uid="comms-site-address")

        from comms.readercache.receivers import receivers_connect

        # Edits invalidate the reader caches (comms.readercache.caching).
        receivers_connect()

        from wagtail.admin.views.mixins import SpreadsheetExportMixin

        from comms.csvutils import wagtail_csv_stream

        # Every CSV Wagtail exports (list_export view sets, reports) quotes and neutralises
        # each cell as ours do. Wagtail's reports are its own views, so the writer is set on
        # the mixin they share rather than on a subclass of ours.
        SpreadsheetExportMixin.stream_csv = wagtail_csv_stream
        from wagtail.admin.views.account import AvatarSettingsPanel

        from comms.images import PortalAvatarForm

        # The profile picture decodes its upload in full (a damaged one is a form error, not a
        # server error). Wagtail builds this panel itself and has no setting for its form, so
        # the panel's form class is set here; tests/security/test_uploads.py covers it.
        AvatarSettingsPanel.form_class = PortalAvatarForm

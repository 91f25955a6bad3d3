"""Celery tasks of the directory. Thin: they call the services.

``ldap_sync`` runs from the one beat schedule (trustedresearch/celery.py) every
LDAP_SYNC_INTERVAL seconds; it does nothing when LDAP_URL is not set.
"""

import logging

from django.conf import settings

from celery import shared_task

from directory.services.ldap import DirectorySyncFailed, directory_ldap_sync

logger = logging.getLogger(__name__)


@shared_task(name="directory.tasks.ldap_sync", ignore_result=True)
def ldap_sync() -> None:
    """Sync the directory from LDAP (``directory.services.ldap.directory_ldap_sync``): all or
    nothing, safe to run twice. A failure is recorded (``DirectorySyncRun``) and logged; the
    next run tries again."""
    if not settings.LDAP_URL:
        return
    try:
        report = directory_ldap_sync()
    except DirectorySyncFailed as exc:
        logger.warning("LDAP directory sync failed: %s", exc)
        return
    logger.info("LDAP directory sync %s: %s", report.run_id, report.summary())

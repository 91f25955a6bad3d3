"""The ldap_sync task and its place in the one beat schedule."""

import pytest

from directory.models import DirectoryPerson, DirectorySyncRun
from directory.tasks import ldap_sync
from trustedresearch.celery import app

pytestmark = [pytest.mark.django_db, pytest.mark.integration]  # a real slapd


def test_the_beat_schedule_runs_the_ldap_sync_hourly_by_default():
    entry = app.conf.beat_schedule["directory-ldap-sync"]
    assert entry["task"] == "directory.tasks.ldap_sync" == ldap_sync.name
    assert entry["schedule"] == 3600.0


def test_the_task_does_nothing_without_ldap_url(settings):
    settings.LDAP_URL = ""
    ldap_sync()
    assert not DirectorySyncRun.objects.exists()


def test_the_task_syncs(directory):
    ldap_sync()
    assert DirectoryPerson.objects.filter(active=True).count() == 10
    assert DirectorySyncRun.objects.get().status == "ok"


def test_a_failed_sync_is_logged_and_recorded_not_raised(directory, settings, caplog):
    settings.LDAP_BIND_PASSWORD = "wrong"
    ldap_sync()
    assert "LDAP directory sync failed: The LDAP server" in caplog.text
    assert DirectorySyncRun.objects.get().status == "failed"

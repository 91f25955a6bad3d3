"""The LDAP directory sync against a real OpenLDAP server (conftest.py): what each sync changes,
what it reports, and that a failure changes nothing and says so."""

import io
import re

from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import ModelLogEntry

import pytest

from directory.management.commands.directory_sync import Command
from directory.models import DirectoryGroup, DirectoryPerson, DirectorySyncRun, Source
from directory.services.ldap import DirectorySyncFailed, directory_ldap_sync
from directory.signals import directory_changed
from tests.directory.ldap import slapd
from tests.directory.ldap.conftest import GROUPS
from tests.services import free_port

pytestmark = [pytest.mark.django_db, pytest.mark.integration]  # a real slapd

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def members(name: str) -> set[str]:
    group = DirectoryGroup.objects.get(source=Source.LDAP, display_name=name)
    return set(group.members.values_list("user_name", flat=True))


def group_id(name: str) -> int:
    return DirectoryGroup.objects.get(source=Source.LDAP, display_name=name).pk


def state() -> tuple:
    """Everything a sync may change, to compare before and after."""
    people = set(
        DirectoryPerson.objects.values_list(
            "pk", "external_id", "user_name", "email", "display_name", "active", "updated_at"
        )
    )
    groups = set(DirectoryGroup.objects.values_list("pk", "external_id", "display_name"))
    pairs = set(
        DirectoryGroup.members.through.objects.values_list(
            "directorygroup_id", "directoryperson_id"
        )
    )
    return people, groups, pairs


def test_first_sync_creates_people_groups_and_memberships(directory):
    report = directory_ldap_sync()

    assert (report.people_added, report.groups_added, report.memberships_added) == (10, 3, 17)
    assert report.people_updated == report.people_deactivated == report.people_unchanged == 0
    alice = DirectoryPerson.objects.get(source=Source.LDAP, user_name="alice")
    assert (alice.email, alice.given_name, alice.family_name, alice.display_name) == (
        "alice@example.ac.uk",
        "Alice",
        "Archer",
        "Alice Archer",
    )
    assert UUID.match(alice.external_id)  # OpenLDAP's entryUUID
    assert members("Research office") == {"alice", "bob", "carol"}
    assert members("Engineering") == {"dan", "erin", "frank", "grace"}
    assert len(members("All staff")) == 10
    run = DirectorySyncRun.objects.get()
    assert (run.status, run.source, run.people_added, run.memberships_added) == (
        "ok",
        "ldap",
        10,
        17,
    )
    # "All staff" lists the Engineering group as a member: not a person, ignored and said so.
    assert "1 group members were not among the synced people" in run.message
    assert report.changed_group_ids == {
        group_id(n) for n in ("All staff", "Research office", "Engineering")
    }


def test_groups_without_the_display_name_attribute_are_named_by_their_rdn(directory, settings):
    settings.LDAP_ATTR_DISPLAY_NAME = "displayName"  # as for Active Directory; groups lack it

    directory_ldap_sync()

    assert set(DirectoryGroup.objects.values_list("display_name", flat=True)) == set(GROUPS)


def test_a_second_sync_without_changes_reports_everything_unchanged(directory):
    directory_ldap_sync()
    before = state()

    report = directory_ldap_sync()

    assert report.counts() == {
        "people_added": 0,
        "people_updated": 0,
        "people_deactivated": 0,
        "people_unchanged": 10,
        "groups_added": 0,
        "groups_updated": 0,
        "groups_emptied": 0,
        "groups_unchanged": 3,
        "memberships_added": 0,
        "memberships_removed": 0,
    }
    assert report.changed_group_ids == set()
    assert state() == before


def test_members_added_and_removed_in_ldap_follow(directory):
    directory_ldap_sync()
    directory.add_member("Research office", "judy")
    directory.remove_member("Engineering", "dan")

    report = directory_ldap_sync()

    assert (report.memberships_added, report.memberships_removed) == (1, 1)
    assert (report.groups_updated, report.groups_unchanged) == (2, 1)
    assert members("Research office") == {"alice", "bob", "carol", "judy"}
    assert members("Engineering") == {"erin", "frank", "grace"}
    assert report.changed_group_ids == {group_id("Research office"), group_id("Engineering")}


def test_a_new_person_is_added(directory):
    directory_ldap_sync()
    directory.add_person("ken", "Ken", "King")
    directory.add_member("All staff", "ken")

    report = directory_ldap_sync()

    assert (report.people_added, report.people_unchanged, report.memberships_added) == (1, 10, 1)
    assert "ken" in members("All staff")


def test_a_person_deleted_from_ldap_is_deactivated_not_deleted(directory):
    directory_ldap_sync()
    ivan = DirectoryPerson.objects.get(user_name="ivan")
    directory.delete(slapd.person_dn("ivan"))  # without refint, "All staff" still names him

    report = directory_ldap_sync()

    assert (report.people_deactivated, report.people_unchanged) == (1, 9)
    ivan.refresh_from_db()
    assert ivan.active is False
    assert "ivan" not in members("All staff")
    assert report.memberships_removed == 1
    assert report.changed_group_ids == {group_id("All staff")}
    # Gone is gone: the next sync does not deactivate him again.
    assert directory_ldap_sync().people_deactivated == 0


def test_a_changed_address_updates_the_same_row_and_its_groups_follow(directory):
    directory_ldap_sync()
    alice = DirectoryPerson.objects.get(user_name="alice")
    directory.replace("alice", "mail", "alice.archer@example.ac.uk")

    report = directory_ldap_sync()

    assert (report.people_updated, report.people_unchanged) == (1, 9)
    assert DirectoryPerson.objects.get(user_name="alice").pk == alice.pk
    alice.refresh_from_db()
    assert alice.email == "alice.archer@example.ac.uk"
    # Her groups' mailing lists must pick up the new address.
    assert report.changed_group_ids == {group_id("All staff"), group_id("Research office")}
    assert report.memberships_added == report.memberships_removed == 0


def test_a_group_removed_from_ldap_is_emptied_and_kept(directory):
    directory_ldap_sync()
    engineering = group_id("Engineering")
    directory.delete(slapd.group_dn("Engineering"))

    report = directory_ldap_sync()

    assert (report.groups_emptied, report.groups_unchanged, report.memberships_removed) == (1, 2, 4)
    assert DirectoryGroup.objects.filter(pk=engineering).exists()
    assert members("Engineering") == set()
    assert report.changed_group_ids == {engineering}
    assert directory_ldap_sync().groups_emptied == 0


def test_a_connection_dropped_mid_sync_changes_nothing_and_says_so(directory):
    directory_ldap_sync()
    directory.add_person("ken", "Ken", "King")
    directory.replace("alice", "mail", "new-alice@example.ac.uk")
    directory.delete(slapd.group_dn("Engineering"))
    before = state()
    pages = []

    def kill_after_first_page(kind, read):
        pages.append((kind, read))
        directory.kill()

    with pytest.raises(DirectorySyncFailed) as failure:
        directory_ldap_sync(page_size=4, on_page=kill_after_first_page)

    message = str(failure.value)
    assert pages == [("users", 4)]
    assert message.startswith("The LDAP connection was lost after reading 4 of the users")
    assert message.endswith("nothing was changed. The next sync will try again.")
    assert state() == before
    run = DirectorySyncRun.objects.order_by("-pk").first()
    assert (run.status, run.message) == ("failed", message)
    assert run.people_added == run.memberships_removed == 0


def test_a_wrong_password_is_a_clear_message(directory, settings):
    settings.LDAP_BIND_PASSWORD = "not-the-password"

    with pytest.raises(DirectorySyncFailed) as failure:
        directory_ldap_sync()

    assert "refused the bind as LDAP_BIND_DN='cn=portal-sync" in str(failure.value)
    assert "invalid credentials. Check LDAP_BIND_DN and LDAP_BIND_PASSWORD" in str(failure.value)
    assert "nothing was changed" in str(failure.value)
    assert not DirectoryPerson.objects.exists()
    assert DirectorySyncRun.objects.get().status == "failed"


def test_an_unreachable_server_is_a_clear_message(settings, db):
    settings.LDAP_URL = f"ldap://127.0.0.1:{free_port()}"
    settings.LDAP_USER_BASE, settings.LDAP_GROUP_BASE = slapd.PEOPLE, slapd.GROUPS
    settings.LDAP_TIMEOUT = 2

    with pytest.raises(DirectorySyncFailed) as failure:
        directory_ldap_sync()

    assert str(failure.value).startswith(
        f"Could not connect to the LDAP server at {settings.LDAP_URL}"
    )
    assert "Check LDAP_URL" in str(failure.value)
    assert DirectorySyncRun.objects.get().status == "failed"


def test_a_missing_base_names_the_setting(directory, settings):
    settings.LDAP_GROUP_BASE = f"ou=teams,{slapd.SUFFIX}"

    with pytest.raises(DirectorySyncFailed) as failure:
        directory_ldap_sync()

    assert str(failure.value).startswith(
        f"LDAP_GROUP_BASE='ou=teams,{slapd.SUFFIX}' does not exist"
    )
    assert not DirectoryPerson.objects.exists()


def test_a_sync_that_finds_nobody_refuses_to_deactivate_everyone(directory, settings):
    directory_ldap_sync()
    before = state()
    settings.LDAP_USER_FILTER = "(objectClass=posixAccount)"  # a filter gone wrong

    with pytest.raises(DirectorySyncFailed, match="returned no people under LDAP_USER_BASE="):
        directory_ldap_sync()

    assert state() == before
    assert DirectorySyncRun.objects.order_by("-pk").first().status == "failed"


def test_directory_changed_is_sent_after_commit_with_the_changed_groups(
    directory, django_capture_on_commit_callbacks
):
    directory_ldap_sync()
    directory.add_member("Research office", "judy")
    received = []

    def receiver(sender, source, group_ids, **kwargs):
        received.append((source, group_ids))

    directory_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            directory_ldap_sync()
        assert received == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        directory_changed.disconnect(receiver)

    assert received == [(Source.LDAP, [group_id("Research office")])]


def test_each_sync_is_in_wagtails_audit_log(directory):
    directory_ldap_sync()
    directory.delete(slapd.person_dn("ivan"))
    directory_ldap_sync()

    entries = ModelLogEntry.objects.filter(action="directory.sync").order_by("pk")
    assert [entry.message for entry in entries] == [
        "Directory sync from LDAP: 10 added, 0 removed, 0 updated, 0 unchanged",
        "Directory sync from LDAP: 0 added, 1 removed, 0 updated, 9 unchanged",
    ]
    assert entries[0].content_type.model_class() is DirectorySyncRun


def test_the_command_prints_the_report(directory):
    out = io.StringIO()

    call_command("directory_sync", stdout=out)

    assert out.getvalue().strip() == (
        "Directory synced from LDAP. People: 10 added, 0 updated, 0 deactivated, 0 unchanged. "
        "Groups: 3 added, 0 updated, 0 emptied, 0 unchanged. "
        "Memberships: 17 added, 0 removed."
    )


def test_the_command_exits_1_with_the_reason_when_the_sync_fails(directory, settings, capsys):
    settings.LDAP_BIND_PASSWORD = "wrong"

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["manage.py", "directory_sync"])

    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "refused the bind" in err and "nothing was changed" in err
    assert "Traceback" not in err


def test_the_command_says_what_to_set_without_ldap_url(settings, db):
    settings.LDAP_URL = ""

    with pytest.raises(CommandError, match="LDAP_URL is not set: nothing to sync. Set LDAP_URL"):
        call_command("directory_sync")
    assert not DirectorySyncRun.objects.exists()

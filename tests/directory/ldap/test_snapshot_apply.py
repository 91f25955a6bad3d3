"""directory_snapshot_apply without LDAP: the cases a directory produces rarely but does
produce (a recreated account, sign-in names swapped, a reactivated person, another source)."""

import pytest

from directory.models import DirectoryGroup, DirectoryPerson, DirectorySyncRun, Source
from directory.services.sync import GroupRecord, PersonRecord, directory_snapshot_apply

pytestmark = pytest.mark.django_db


def person(ext: str, name: str, **extra) -> PersonRecord:
    return PersonRecord(ext, name, email=f"{name}@example.ac.uk", **extra)


def apply(people, groups=()):
    return directory_snapshot_apply(source=Source.LDAP, people=people, groups=list(groups))


def test_a_recreated_account_takes_over_the_row_of_the_one_it_replaces():
    apply([person("old-guid", "alice")])
    row = DirectoryPerson.objects.get()

    report = apply([person("new-guid", "alice")])

    assert (report.people_added, report.people_updated, report.people_deactivated) == (0, 1, 0)
    row.refresh_from_db()
    assert (row.external_id, row.active) == ("new-guid", True)


def test_sign_in_names_swapped_between_two_people():
    apply([person("1", "alice"), person("2", "bob")])

    report = apply([person("1", "bob"), person("2", "alice")])

    assert report.people_updated == 2
    names = dict(DirectoryPerson.objects.values_list("external_id", "user_name"))
    assert names == {"1": "bob", "2": "alice"}


def test_a_departed_persons_name_taken_by_someone_else():
    apply([person("1", "alice"), person("2", "bob")])
    apply([person("2", "bob")])  # alice leaves

    report = apply([person("2", "alice")])  # bob is renamed alice: the row of "1" is gone

    assert DirectoryPerson.objects.get(external_id="2").user_name == "alice"
    assert DirectoryPerson.objects.get(external_id="1").active is False
    assert report.people_updated == 1


def test_a_person_back_in_the_directory_is_reactivated_and_their_groups_follow():
    apply([person("1", "alice"), person("2", "bob")], [GroupRecord("g", "Staff", ["1", "2"])])
    apply([person("2", "bob")], [GroupRecord("g", "Staff", ["2"])])

    report = apply(
        [person("1", "alice"), person("2", "bob")], [GroupRecord("g", "Staff", ["1", "2"])]
    )

    assert DirectoryPerson.objects.get(external_id="1").active is True
    assert (report.people_updated, report.memberships_added) == (1, 1)
    assert report.changed_group_ids == {DirectoryGroup.objects.get().pk}


def test_a_renamed_group_keeps_its_row():
    apply([person("1", "alice")], [GroupRecord("g", "Staff", ["1"])])
    group = DirectoryGroup.objects.get()

    report = apply([person("1", "alice")], [GroupRecord("g", "All staff", ["1"])])

    assert (report.groups_updated, report.groups_added, report.changed_group_ids) == (1, 0, set())
    group.refresh_from_db()
    assert group.display_name == "All staff"


def test_other_sources_are_left_alone():
    scim = DirectoryPerson.objects.create(source=Source.SCIM, external_id="s", user_name="alice")
    scim_group = DirectoryGroup.objects.create(
        source=Source.SCIM, external_id="sg", display_name="X"
    )
    scim_group.members.add(scim)

    apply([person("1", "alice")], [GroupRecord("g", "Staff", ["1", "s"])])
    apply([], [])

    scim.refresh_from_db()
    assert scim.active is True
    assert list(scim_group.members.all()) == [scim]
    assert not DirectoryGroup.objects.get(source=Source.LDAP).members.exists()


def test_a_snapshot_with_a_name_twice_is_refused_and_changes_nothing():
    with pytest.raises(ValueError, match="Two people with the user name 'Alice'"):
        apply([person("1", "alice"), person("2", "Alice")])
    assert not DirectoryPerson.objects.exists()
    assert not DirectorySyncRun.objects.exists()

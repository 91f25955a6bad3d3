"""SCIM Groups: create with members, filter by displayName, PATCH members (Entra ID's and
Okta's shapes) at a cost of the members changed, delete; and ``directory_changed``."""

import pytest

from directory.models import DirectoryGroup, DirectoryPerson, Source
from directory.signals import directory_changed

from .conftest import GROUP_SCHEMA, assert_scim_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def changes():
    """Every ``directory_changed`` sent: (source, sorted group ids)."""
    sent = []

    def receiver(sender, source, group_ids, **kwargs):
        sent.append((source, sorted(group_ids)))

    directory_changed.connect(receiver)
    yield sent
    directory_changed.disconnect(receiver)


def members(group_id) -> set[str]:
    group = DirectoryGroup.objects.get(scim_id=group_id)
    return {str(p.scim_id) for p in group.members.all()}


def test_create_group_with_members_and_filter_by_displayName(scim):
    ada = scim.create_user("ada@example.ac.uk")
    group = scim.create_group("Research Office", members=[ada["id"]], externalId="g-1")
    assert DirectoryGroup.objects.get(scim_id=group["id"]).source == Source.SCIM
    assert [m["value"] for m in group["members"]] == [ada["id"]]
    found = scim.get(
        "/Groups",
        data={"filter": 'displayName eq "research office"', "excludedAttributes": "members"},
    ).json()
    assert found["totalResults"] == 1
    assert "members" not in found["Resources"][0]
    assert found["Resources"][0]["displayName"] == "Research Office"
    by_ext = scim.get("/Groups", data={"filter": 'externalId eq "g-1"'}).json()
    assert by_ext["Resources"][0]["members"][0]["value"] == ada["id"]
    user = scim.get(f"/Users/{ada['id']}").json()
    assert user["groups"][0]["value"] == group["id"]
    one = scim.get(f"/Groups/{group['id']}", data={"excludedAttributes": "members"}).json()
    assert "members" not in one and one["displayName"] == "Research Office"


def test_entra_member_patches(scim, changes, django_capture_on_commit_callbacks):
    ada, bob, cy = (scim.create_user(f"{n}@example.ac.uk") for n in ("ada", "bob", "cy"))
    group = scim.create_group("Security")
    pk = DirectoryGroup.objects.get(scim_id=group["id"]).pk
    path = f"/Groups/{group['id']}"
    with django_capture_on_commit_callbacks(execute=True):
        response = scim.patch(
            path, {"op": "Add", "path": "members", "value": [{"$ref": None, "value": ada["id"]}]}
        )
    assert response.status_code == 204, response.content
    assert changes == [(Source.SCIM, [pk])]
    scim.patch(path, {"op": "Add", "path": "members", "value": [{"value": bob["id"]}]})
    scim.patch(path, {"op": "Add", "path": "members", "value": [{"value": bob["id"]}]})
    assert members(group["id"]) == {ada["id"], bob["id"]}
    scim.patch(path, {"op": "Remove", "path": f'members[value eq "{ada["id"]}"]'})
    assert members(group["id"]) == {bob["id"]}
    scim.patch(path, {"op": "Remove", "path": "members", "value": [{"value": bob["id"]}]})
    assert members(group["id"]) == set()
    scim.patch(path, {"op": "Replace", "path": "members", "value": [{"value": cy["id"]}]})
    assert members(group["id"]) == {cy["id"]}
    scim.patch(path, {"op": "Replace", "path": "displayName", "value": "Security team"})
    assert DirectoryGroup.objects.get(pk=pk).display_name == "Security team"
    # Removing someone who is not (or no longer) a member is not an error.
    removed = scim.patch(path, {"op": "Remove", "path": f'members[value eq "{ada["id"]}"]'})
    assert removed.status_code == 204
    scim.patch(path, {"op": "Remove", "path": "members"})
    assert members(group["id"]) == set()


def test_okta_group_patch(scim):
    ada = scim.create_user("ada@example.ac.uk")
    group = scim.create_group("Okta group")
    path = f"/Groups/{group['id']}"
    response = scim.patch(
        path,
        {"op": "replace", "value": {"id": group["id"], "displayName": "Okta renamed"}},
        {"op": "add", "path": "members", "value": [{"value": ada["id"], "display": "ada"}]},
    )
    assert response.status_code == 204, response.content
    assert DirectoryGroup.objects.get(scim_id=group["id"]).display_name == "Okta renamed"
    assert members(group["id"]) == {ada["id"]}
    removed = scim.patch(path, {"op": "remove", "path": f'members[value eq "{ada["id"]}"]'})
    assert removed.status_code == 204
    assert members(group["id"]) == set()


def test_group_patch_errors(scim):
    group = scim.create_group("Errors")
    path = f"/Groups/{group['id']}"
    missing = "00000000-0000-4000-8000-000000000000"
    assert_scim_error(
        scim.patch(path, {"op": "add", "path": "members", "value": [{"value": missing}]}),
        400,
        "invalidValue",
    )
    assert_scim_error(
        scim.patch(path, {"op": "replace", "path": "owner", "value": "x"}), 400, "invalidPath"
    )
    assert_scim_error(
        scim.patch(path, {"op": "remove", "path": 'members[display eq "x"]'}), 400, "invalidPath"
    )
    assert_scim_error(scim.patch(path, {"op": "remove", "path": "displayName"}), 400)
    assert_scim_error(scim.patch(f"/Groups/{missing}", {"op": "remove", "path": "members"}), 404)
    assert_scim_error(scim.post("/Groups", {"schemas": [GROUP_SCHEMA]}), 400, "invalidValue")
    scim.create_group("Ext", externalId="dup")
    assert_scim_error(
        scim.post("/Groups", {"displayName": "Other", "externalId": "dup"}), 409, "uniqueness"
    )


def test_membership_patch_costs_the_members_changed(scim, django_assert_max_num_queries):
    """Adding one member to a group of 300 takes as many queries as adding to an empty one."""
    people = [
        DirectoryPerson.objects.create(source=Source.SCIM, user_name=f"p{n}@example.ac.uk")
        for n in range(300)
    ]
    group = scim.create_group("Big", members=[str(p.scim_id) for p in people[:299]])
    newcomer = str(people[299].scim_id)
    with django_assert_max_num_queries(12):
        response = scim.patch(
            f"/Groups/{group['id']}",
            {"op": "add", "path": "members", "value": [{"value": newcomer}]},
        )
    assert response.status_code == 204
    with django_assert_max_num_queries(12):
        scim.patch(
            f"/Groups/{group['id']}", {"op": "remove", "path": f'members[value eq "{newcomer}"]'}
        )
    assert len(members(group["id"])) == 299


def test_directory_changed_for_people_and_groups(scim, changes, django_capture_on_commit_callbacks):
    ada = scim.create_user("ada@example.ac.uk", emails=[{"value": "ada@example.ac.uk"}])
    bob = scim.create_user("bob@example.ac.uk")
    one = scim.create_group("One", members=[ada["id"]])
    two = scim.create_group("Two", members=[ada["id"], bob["id"]])
    pk1 = DirectoryGroup.objects.get(scim_id=one["id"]).pk
    pk2 = DirectoryGroup.objects.get(scim_id=two["id"]).pk

    def sent_by(call):
        changes.clear()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            call()
        return callbacks, list(changes)

    # A change that does not touch who lists reach: nothing sent.
    _, sent = sent_by(
        lambda: scim.patch(
            f"/Users/{ada['id']}", {"op": "replace", "path": "displayName", "value": "A"}
        )
    )
    assert sent == []
    # Deactivated: every group of hers.
    _, sent = sent_by(
        lambda: scim.patch(
            f"/Users/{ada['id']}", {"op": "Replace", "path": "active", "value": "False"}
        )
    )
    assert sent == [(Source.SCIM, sorted([pk1, pk2]))]
    # A new address: the same.
    _, sent = sent_by(
        lambda: scim.patch(
            f"/Users/{ada['id']}",
            {"op": "replace", "path": 'emails[type eq "work"].value', "value": "a2@example.ac.uk"},
        )
    )
    assert sent == [(Source.SCIM, sorted([pk1, pk2]))]
    # Not sent before the transaction commits.
    callbacks, _ = sent_by(lambda: None)
    assert callbacks == []
    # Bob deleted: his one group.
    _, sent = sent_by(lambda: scim.delete(f"/Users/{bob['id']}"))
    assert sent == [(Source.SCIM, [pk2])]
    # A group deleted: its pk, although it is gone.
    _, sent = sent_by(lambda: scim.delete(f"/Groups/{one['id']}"))
    assert sent == [(Source.SCIM, [pk1])]
    assert not DirectoryGroup.objects.filter(pk=pk1).exists()
    # A refused request sends nothing.
    _, sent = sent_by(
        lambda: scim.patch(
            f"/Groups/{two['id']}",
            {"op": "remove", "path": "members"},
            {"op": "replace", "path": "nope", "value": 1},
        )
    )
    assert sent == []
    assert members(two["id"]) == {ada["id"]}


def test_put_group_replaces_members(scim):
    ada, bob = scim.create_user("ada@example.ac.uk"), scim.create_user("bob@example.ac.uk")
    group = scim.create_group("Put", members=[ada["id"]])
    response = scim.put(
        f"/Groups/{group['id']}",
        {"schemas": [GROUP_SCHEMA], "displayName": "Put 2", "members": [{"value": bob["id"]}]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["displayName"] == "Put 2"
    assert members(group["id"]) == {bob["id"]}

"""SCIM Users: create, read, filter, page, replace, patch (Entra ID's and Okta's shapes),
delete, and the RFC's errors."""

import pytest

from directory.models import DirectoryPerson, Source

from .conftest import USER_SCHEMA, assert_scim_error

pytestmark = pytest.mark.django_db


def test_create_and_get_user(scim):
    created = scim.create_user(
        "Ada.Lovelace@example.ac.uk",
        externalId="obj-1",
        name={"givenName": "Ada", "familyName": "Lovelace"},
        displayName="Ada Lovelace",
        emails=[{"value": "ada@example.ac.uk", "type": "work", "primary": True}],
    )
    person = DirectoryPerson.objects.get(scim_id=created["id"])
    assert person.source == Source.SCIM
    assert (person.user_name, person.external_id, person.email) == (
        "Ada.Lovelace@example.ac.uk",
        "obj-1",
        "ada@example.ac.uk",
    )
    fetched = scim.get(f"/Users/{created['id']}").json()
    assert fetched["schemas"] == [USER_SCHEMA]
    assert fetched["name"]["givenName"] == "Ada"
    assert fetched["emails"] == [{"value": "ada@example.ac.uk", "type": "work"}]
    assert fetched["active"] is True
    assert fetched["groups"] == []
    assert fetched["meta"]["resourceType"] == "User"
    assert fetched["meta"]["location"].endswith(f"/scim/v2/Users/{created['id']}")


def test_filters_userName_case_insensitive_and_externalId(scim):
    ada = scim.create_user("ada@example.ac.uk", externalId="obj-1")
    scim.create_user("bob@example.ac.uk", externalId="obj-2")
    found = scim.get("/Users", data={"filter": 'userName eq "ADA@example.ac.uk"'}).json()
    assert found["totalResults"] == 1
    assert found["Resources"][0]["id"] == ada["id"]
    found = scim.get("/Users", data={"filter": 'externalId eq "obj-2"'}).json()
    assert [r["userName"] for r in found["Resources"]] == ["bob@example.ac.uk"]
    none = scim.get("/Users", data={"filter": 'userName eq "nobody@example.ac.uk"'}).json()
    assert none["totalResults"] == 0 and none["Resources"] == []


def test_only_scim_people_are_visible(scim):
    DirectoryPerson.objects.create(source=Source.LDAP, user_name="ldap@example.ac.uk")
    listing = scim.get("/Users").json()
    assert listing["totalResults"] == 0
    ldap = DirectoryPerson.objects.get()
    assert_scim_error(scim.get(f"/Users/{ldap.scim_id}"), 404)
    # The same userName may exist in another source.
    scim.create_user("ldap@example.ac.uk")


def test_pagination_and_count_cap(scim):
    for n in range(5):
        scim.create_user(f"user{n}@example.ac.uk")
    page = scim.get("/Users", data={"startIndex": 2, "count": 2}).json()
    assert page["totalResults"] == 5
    assert page["startIndex"] == 2
    assert page["itemsPerPage"] == 2
    assert [r["userName"] for r in page["Resources"]] == [
        "user1@example.ac.uk",
        "user2@example.ac.uk",
    ]
    huge = scim.get("/Users", data={"count": 10_000_000})
    assert huge.status_code == 200
    assert huge.json()["itemsPerPage"] == 5
    assert scim.get("/Users", data={"count": 0}).json()["Resources"] == []
    assert_scim_error(scim.get("/Users", data={"count": "many"}), 400, "invalidValue")


def test_count_is_capped_at_max_results(scim, settings):
    from directory.scim import documents

    for n in range(3):
        scim.create_user(f"cap{n}@example.ac.uk")
    original = documents.MAX_RESULTS
    documents.MAX_RESULTS = 2
    try:
        page = scim.get("/Users", data={"count": 1000}).json()
    finally:
        documents.MAX_RESULTS = original
    assert page["itemsPerPage"] == 2 and page["totalResults"] == 3


def test_put_replaces_everything(scim):
    user = scim.create_user("ada@example.ac.uk", displayName="Ada", externalId="obj-1")
    response = scim.put(
        f"/Users/{user['id']}",
        {"schemas": [USER_SCHEMA], "userName": "ada.l@example.ac.uk", "active": False},
    )
    assert response.status_code == 200, response.content
    person = DirectoryPerson.objects.get(scim_id=user["id"])
    assert (person.user_name, person.display_name, person.external_id, person.active) == (
        "ada.l@example.ac.uk",
        "",
        "",
        False,
    )


def test_entra_patch_shapes(scim):
    user = scim.create_user(
        "ada@example.ac.uk", emails=[{"value": "old@example.ac.uk", "type": "work"}]
    )
    response = scim.patch(
        f"/Users/{user['id']}",
        {"op": "Replace", "path": "active", "value": "False"},
        {"op": "Replace", "path": 'emails[type eq "work"].value', "value": "new@example.ac.uk"},
        {"op": "Replace", "path": "name.givenName", "value": "Augusta"},
        {"op": "Replace", "path": "name.familyName", "value": "King"},
        {"op": "Replace", "path": "displayName", "value": "Augusta Ada King"},
        {"op": "Replace", "path": "externalId", "value": "obj-9"},
        {"op": "Replace", "path": "userName", "value": "augusta@example.ac.uk"},
        {"op": "Add", "path": "title", "value": "Countess"},
        {
            "op": "Add",
            "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            "value": "Mathematics",
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False
    person = DirectoryPerson.objects.get(scim_id=user["id"])
    assert (
        person.active,
        person.email,
        person.given_name,
        person.family_name,
        person.display_name,
        person.external_id,
        person.user_name,
    ) == (
        False,
        "new@example.ac.uk",
        "Augusta",
        "King",
        "Augusta Ada King",
        "obj-9",
        "augusta@example.ac.uk",
    )
    scim.patch(f"/Users/{user['id']}", {"op": "Replace", "path": "active", "value": "True"})
    assert DirectoryPerson.objects.get(scim_id=user["id"]).active is True


def test_okta_patch_without_path(scim):
    user = scim.create_user("okta@example.ac.uk")
    response = scim.patch(f"/Users/{user['id']}", {"op": "replace", "value": {"active": False}})
    assert response.status_code == 200, response.content
    assert DirectoryPerson.objects.get(scim_id=user["id"]).active is False
    response = scim.patch(
        f"/Users/{user['id']}",
        {
            "op": "replace",
            "value": {
                "name": {"givenName": "Olive", "familyName": "Okta"},
                "emails": [{"value": "olive@example.ac.uk", "primary": True, "type": "work"}],
                "displayName": "Olive Okta",
                "active": True,
            },
        },
    )
    assert response.status_code == 200, response.content
    person = DirectoryPerson.objects.get(scim_id=user["id"])
    assert (person.given_name, person.email, person.active) == (
        "Olive",
        "olive@example.ac.uk",
        True,
    )


def test_delete_user_leaves_subscriber_unlinked(scim):
    from newsletter.models import Subscriber

    user = scim.create_user("leaver@example.ac.uk")
    person = DirectoryPerson.objects.get(scim_id=user["id"])
    subscriber = Subscriber.objects.create(email="leaver@example.ac.uk", directory_person=person)
    assert scim.delete(f"/Users/{user['id']}").status_code == 204
    assert not DirectoryPerson.objects.filter(pk=person.pk).exists()
    subscriber.refresh_from_db()
    assert subscriber.directory_person is None
    assert_scim_error(scim.get(f"/Users/{user['id']}"), 404)
    assert_scim_error(scim.delete(f"/Users/{user['id']}"), 404)


def test_duplicate_userName_and_externalId_are_409_uniqueness(scim):
    scim.create_user("ada@example.ac.uk", externalId="obj-1")
    body = {"schemas": [USER_SCHEMA], "userName": "ADA@example.ac.uk"}
    assert_scim_error(scim.post("/Users", body), 409, "uniqueness")
    body = {"schemas": [USER_SCHEMA], "userName": "other@example.ac.uk", "externalId": "obj-1"}
    assert_scim_error(scim.post("/Users", body), 409, "uniqueness")
    other = scim.create_user("bob@example.ac.uk")
    response = scim.patch(
        f"/Users/{other['id']}", {"op": "replace", "path": "userName", "value": "Ada@example.ac.uk"}
    )
    assert_scim_error(response, 409, "uniqueness")


def test_bad_input_is_a_scim_error(scim):
    assert_scim_error(scim.post("/Users", raw="{not json"), 400, "invalidSyntax")
    assert_scim_error(scim.post("/Users", {"schemas": [USER_SCHEMA]}), 400, "invalidValue")
    assert_scim_error(scim.get("/Users", data={"filter": 'nickName eq "x"'}), 400, "invalidFilter")
    assert_scim_error(scim.get("/Users", data={"filter": 'userName co "x"'}), 400, "invalidFilter")
    assert_scim_error(
        scim.get("/Users", data={"filter": 'meta.lastModified gt "2011-05-13T04:42:34Z"'}),
        400,
        "invalidFilter",
    )
    assert_scim_error(scim.get("/Users", data={"filter": "userName eq"}), 400, "invalidFilter")
    user = scim.create_user("ada@example.ac.uk")
    assert_scim_error(
        scim.patch(f"/Users/{user['id']}", {"op": "replace", "path": "shoeSize", "value": "9"}),
        400,
        "invalidPath",
    )
    assert_scim_error(
        scim.patch(f"/Users/{user['id']}", {"op": "replace", "path": "emails[", "value": "x"}),
        400,
        "invalidPath",
    )
    assert_scim_error(scim.patch(f"/Users/{user['id']}", {"op": "remove"}), 400, "noTarget")
    assert_scim_error(
        scim.patch(f"/Users/{user['id']}", {"op": "replace", "path": "active", "value": "maybe"}),
        400,
        "invalidValue",
    )
    assert_scim_error(scim.patch(f"/Users/{user['id']}", {"op": "move", "path": "x"}), 400)
    assert_scim_error(scim.get("/Users/not-a-uuid"), 404)
    assert_scim_error(scim.request("PATCH", "/Users", {}), 405)
    assert_scim_error(scim.post(f"/Users/{user['id']}", {}), 405)
    assert_scim_error(scim.get("/Nothing/here"), 404)
    # Nothing changed by the refused PATCHes.
    assert DirectoryPerson.objects.get(scim_id=user["id"]).user_name == "ada@example.ac.uk"


def test_attributes_and_excluded_attributes(scim):
    user = scim.create_user("ada@example.ac.uk", displayName="Ada")
    only = scim.get(f"/Users/{user['id']}", data={"attributes": "userName"}).json()
    assert set(only) == {"schemas", "id", "userName", "meta"}
    without = scim.get(f"/Users/{user['id']}", data={"excludedAttributes": "groups,displayName"})
    assert "groups" not in without.json() and "displayName" not in without.json()


def test_discovery_documents(scim):
    config = scim.get("/ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True
    assert config["filter"] == {"supported": True, "maxResults": 1000}
    assert config["bulk"]["supported"] is False
    assert config["sort"]["supported"] is False
    assert config["etag"]["supported"] is False
    assert config["changePassword"]["supported"] is False
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim.get("/ResourceTypes").json()
    assert {r["id"] for r in types["Resources"]} == {"User", "Group"}
    assert scim.get("/ResourceTypes/User").json()["endpoint"] == "/Users"
    schemas = scim.get("/Schemas").json()
    assert {s["id"] for s in schemas["Resources"]} == {
        USER_SCHEMA,
        "urn:ietf:params:scim:schemas:core:2.0:Group",
    }
    assert scim.get(f"/Schemas/{USER_SCHEMA}").json()["name"] == "User"
    assert_scim_error(scim.get("/Schemas/urn:nothing"), 404)


def test_search_requests(scim):
    ada = scim.create_user("ada@example.ac.uk")
    scim.create_group("Ada's group", members=[ada["id"]])
    body = {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
        "filter": 'userName eq "ada@example.ac.uk"',
        "attributes": ["userName"],
    }
    found = scim.post("/Users/.search", body).json()
    assert found["totalResults"] == 1
    assert set(found["Resources"][0]) == {"schemas", "id", "userName", "meta"}
    # At the root: a filter only Users understand finds no Groups; displayName finds both.
    assert scim.post("/.search", body).json()["totalResults"] == 1
    both = scim.post("/.search", {"filter": 'displayName eq "Ada\'s group"'}).json()
    assert [r["schemas"][0].rsplit(":", 1)[1] for r in both["Resources"]] == ["Group"]
    assert (
        scim.post("/.search", {"count": 1, "startIndex": 2}).json()["Resources"][0]["displayName"]
        == "Ada's group"
    )
    assert_scim_error(scim.post("/.search", {"filter": 'shoeSize eq "9"'}), 400, "invalidFilter")
    assert_scim_error(scim.post("/Groups/.search", raw="nope"), 400, "invalidSyntax")


def test_unexpected_failure_is_a_logged_scim_500(scim, monkeypatch, caplog):
    from directory.services import scim as services

    def broken(**kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(services, "person_get", broken)
    response = scim.get("/Users/00000000-0000-4000-8000-000000000000")
    body = assert_scim_error(response, 500)
    assert "fire" not in body["detail"]
    assert "SCIM GET /scim/v2/Users/" in caplog.text and "token entra" in caplog.text

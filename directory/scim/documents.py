"""What the service provider says about people, groups and itself, as SCIM documents:
User and Group resources (RFC 7643 §4), ServiceProviderConfig (§5), ResourceTypes (§6) and
the Schemas of the attributes this portal stores (§7). Attributes of the RFC's schemas that
are not listed here are accepted on writes and not stored (``directory.scim.attributes``)."""

from django.urls import reverse

from directory.models import DirectoryGroup, DirectoryPerson

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
SEARCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SPC_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"
ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
# A page holds at most this many resources: a larger ``count`` is lowered to it (RFC 7644
# §3.4.2.4 lets the server return fewer than asked), never refused.
MAX_RESULTS = 1000
DEFAULT_COUNT = 100


def base_url(request) -> str:
    return request.build_absolute_uri(reverse("scim:root")).rstrip("/")


def _timestamp(value) -> str:
    return value.isoformat().replace("+00:00", "Z")


def _meta(request, resource_type: str, obj, path: str) -> dict:
    return {
        "resourceType": resource_type,
        "created": _timestamp(obj.created_at),
        "lastModified": _timestamp(obj.updated_at),
        "location": f"{base_url(request)}/{path}/{obj.scim_id}",
    }


def user_document(
    request, person: DirectoryPerson, *, with_groups: bool = True, new: bool = False
) -> dict:
    """A person as a SCIM User. ``groups`` (read-only) needs ``prefetch_related("groups")`` in
    a listing, or costs one query; a ``new`` person has none."""
    doc: dict = {"schemas": [USER_SCHEMA], "id": str(person.scim_id)}
    if person.external_id:
        doc["externalId"] = person.external_id
    doc["userName"] = person.user_name
    name = {}
    if person.given_name:
        name["givenName"] = person.given_name
    if person.family_name:
        name["familyName"] = person.family_name
    if name:
        doc["name"] = name
    if person.display_name:
        doc["displayName"] = person.display_name
    if person.email:
        # One address is kept: the work one (a provider's "primary" is read, not stored).
        doc["emails"] = [{"value": person.email, "type": "work"}]
    doc["active"] = person.active
    if with_groups:
        doc["groups"] = [
            {
                "value": str(group.scim_id),
                "display": group.display_name,
                "$ref": f"{base_url(request)}/Groups/{group.scim_id}",
                "type": "direct",
            }
            for group in ([] if new else person.groups.all())
        ]
    doc["meta"] = _meta(request, "User", person, "Users")
    return doc


def group_document(request, group: DirectoryGroup, *, with_members: bool = True) -> dict:
    """A group as a SCIM Group; ``members`` costs one query (left out when excluded). A
    member is its ``value`` (the person's id), ``$ref`` and ``type``: no ``display``, so a
    group reads back exactly as the provider wrote it."""
    doc: dict = {"schemas": [GROUP_SCHEMA], "id": str(group.scim_id)}
    if group.external_id:
        doc["externalId"] = group.external_id
    doc["displayName"] = group.display_name
    if with_members:
        root = base_url(request)
        doc["members"] = [
            {"value": str(scim_id), "$ref": f"{root}/Users/{scim_id}", "type": "User"}
            for scim_id in group.members.order_by("pk").values_list("scim_id", flat=True)
        ]
    doc["meta"] = _meta(request, "Group", group, "Groups")
    return doc


def list_document(resources: list[dict], *, total: int, start: int) -> dict:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def service_provider_config(request) -> dict:
    return {
        "schemas": [SPC_SCHEMA],
        "documentationUri": "https://datatracker.ietf.org/doc/html/rfc7644",
        "patch": {"supported": True},
        "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_RESULTS},
        "changePassword": {"supported": False},
        "sort": {"supported": False},
        "etag": {"supported": False},
        "authenticationSchemes": [
            {
                "type": "oauthbearertoken",
                "name": "OAuth Bearer Token",
                "description": "A token from 'manage.py scim_token create NAME', sent as "
                "'Authorization: Bearer <token>'.",
                "primary": True,
            }
        ],
        "meta": {
            "resourceType": "ServiceProviderConfig",
            "location": f"{base_url(request)}/ServiceProviderConfig",
        },
    }


def _attr(
    name,
    type_="string",
    *,
    required=False,
    mutability="readWrite",
    multi=False,
    uniqueness="none",
    case_exact=False,
    returned="default",
    sub=None,
    **extra,
) -> dict:
    attribute = {
        "name": name,
        "type": type_,
        "multiValued": multi,
        "description": extra.pop("description", name),
        "required": required,
        "mutability": mutability,
        "returned": returned,
        "uniqueness": uniqueness,
    }
    if type_ in ("string", "reference"):
        attribute["caseExact"] = case_exact
    if sub:
        attribute["subAttributes"] = sub
    attribute.update(extra)
    return attribute


SCHEMAS = {
    USER_SCHEMA: {
        "name": "User",
        "description": "A person in the institution's directory",
        "attributes": [
            _attr("userName", required=True, uniqueness="server"),
            _attr(
                "name",
                "complex",
                sub=[_attr("givenName"), _attr("familyName")],
            ),
            _attr("displayName"),
            _attr(
                "emails",
                "complex",
                multi=True,
                sub=[
                    _attr("value"),
                    _attr("type", canonicalValues=["work"]),
                ],
            ),
            _attr("active", "boolean"),
            _attr(
                "groups",
                "complex",
                multi=True,
                mutability="readOnly",
                sub=[
                    _attr("value", mutability="readOnly"),
                    _attr("$ref", "reference", mutability="readOnly", referenceTypes=["Group"]),
                    _attr("display", mutability="readOnly"),
                    _attr("type", mutability="readOnly", canonicalValues=["direct"]),
                ],
            ),
        ],
    },
    GROUP_SCHEMA: {
        "name": "Group",
        "description": "A group in the institution's directory",
        "attributes": [
            _attr("displayName", required=True),
            _attr(
                "members",
                "complex",
                multi=True,
                sub=[
                    _attr("value", mutability="immutable"),
                    _attr("$ref", "reference", mutability="immutable", referenceTypes=["User"]),
                    _attr("type", mutability="immutable", canonicalValues=["User"]),
                ],
            ),
        ],
    },
}
RESOURCE_TYPES = {
    "User": {"endpoint": "/Users", "schema": USER_SCHEMA, "description": "People"},
    "Group": {"endpoint": "/Groups", "schema": GROUP_SCHEMA, "description": "Groups"},
}


def schema_document(request, urn: str) -> dict:
    return {
        "schemas": [SCHEMA_SCHEMA],
        "id": urn,
        **SCHEMAS[urn],
        "meta": {"resourceType": "Schema", "location": f"{base_url(request)}/Schemas/{urn}"},
    }


def resource_type_document(request, name: str) -> dict:
    return {
        "schemas": [RESOURCE_TYPE_SCHEMA],
        "id": name,
        "name": name,
        **RESOURCE_TYPES[name],
        "schemaExtensions": [],
        "meta": {
            "resourceType": "ResourceType",
            "location": f"{base_url(request)}/ResourceTypes/{name}",
        },
    }

"""SCIM attributes to the fields of ``DirectoryPerson`` and ``DirectoryGroup``: a whole
resource (POST, PUT) and PATCH operations (RFC 7644 §3.5.2), in the shapes Entra ID and Okta
send: ops in any case (``"Replace"``), booleans as strings (``"False"``), a path or none (a
value object whose keys are paths), ``emails[type eq "work"].value``,
``members[value eq "id"]``.

Pure functions on plain values: no database here (``directory.services.scim`` writes).
Attributes of the RFC's User schema that the portal does not keep (``title``,
``phoneNumbers``, the enterprise extension, ...) are accepted and ignored, so a provider whose
mappings include them still provisions; an attribute no schema defines is ``invalidPath``.
"""

from dataclasses import dataclass, field

from scim2_models import Path, SCIMException
from scim2_models.path.expressions import AttrPath, Comparison, ValuePath

from .documents import ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, PATCH_SCHEMA, USER_SCHEMA
from .errors import ScimError, invalid_path, invalid_value

PERSON_FIELDS = (
    "user_name",
    "external_id",
    "given_name",
    "family_name",
    "display_name",
    "email",
    "active",
)
# RFC 7643 §4.1 attributes that are accepted on writes and not stored.
IGNORED_USER_ATTRIBUTES = {
    name.lower()
    for name in (
        *("nickName", "profileUrl", "title", "userType", "preferredLanguage", "locale"),
        *("timezone", "password", "phoneNumbers", "ims", "photos", "addresses"),
        *("entitlements", "roles", "x509Certificates", "groups", "id", "meta", "schemas"),
    )
}
IGNORED_NAME_PARTS = {"formatted", "middlename", "honorificprefix", "honorificsuffix"}
FIELD_LENGTHS = {
    "user_name": 255,
    "external_id": 255,
    "given_name": 150,
    "family_name": 150,
    "display_name": 255,
    "email": 254,
}


def text(value, attribute: str, field_name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise invalid_value(f"'{attribute}' must be a string, not {value!r}.")
    value = value.strip()
    if len(value) > FIELD_LENGTHS[field_name]:
        raise invalid_value(f"'{attribute}' is longer than {FIELD_LENGTHS[field_name]} characters.")
    return value


def boolean(value, attribute: str = "active") -> bool:
    """JSON booleans, and Entra ID's ``"True"``/``"False"`` strings."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise invalid_value(f"'{attribute}' must be true or false, not {value!r}.")


def work_email(emails) -> str:
    """The address to keep from an ``emails`` list: the primary, else the work, else the
    first."""
    if emails in (None, []):
        return ""
    if isinstance(emails, dict):
        emails = [emails]
    if not isinstance(emails, list) or not all(isinstance(e, dict) for e in emails):
        raise invalid_value("'emails' must be a list of objects with a 'value'.")
    chosen = (
        next((e for e in emails if _is_true(e.get("primary"))), None)
        or next((e for e in emails if str(e.get("type", "")).lower() == "work"), None)
        or emails[0]
    )
    return text(chosen.get("value"), "emails.value", "email")


def _is_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


def person_fields_from_resource(data: dict) -> dict:
    """All the person's fields from a User resource (POST, PUT: what is absent is cleared)."""
    if not isinstance(data, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    user_name = text(data.get("userName"), "userName", "user_name")
    if not user_name:
        raise invalid_value("'userName' is required.")
    name = data.get("name") or {}
    if not isinstance(name, dict):
        raise invalid_value("'name' must be an object.")
    return {
        "user_name": user_name,
        "external_id": text(data.get("externalId"), "externalId", "external_id"),
        "given_name": text(name.get("givenName"), "name.givenName", "given_name"),
        "family_name": text(name.get("familyName"), "name.familyName", "family_name"),
        "display_name": text(data.get("displayName"), "displayName", "display_name"),
        "email": work_email(data.get("emails")),
        "active": boolean(data["active"]) if data.get("active") is not None else True,
    }


def group_fields_from_resource(data: dict) -> tuple[dict, list[str]]:
    """A Group resource: its fields and its members' ids."""
    if not isinstance(data, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    display_name = text(data.get("displayName"), "displayName", "display_name")
    if not display_name:
        raise invalid_value("'displayName' is required.")
    fields = {
        "display_name": display_name,
        "external_id": text(data.get("externalId"), "externalId", "external_id"),
    }
    return fields, member_ids(data.get("members"))


def member_ids(value) -> list[str]:
    if value in (None, []):
        return []
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        raise invalid_value("'members' must be a list of objects with a 'value'.")
    ids = []
    for member in value:
        member_id = member.get("value") if isinstance(member, dict) else None
        if not isinstance(member_id, str) or not member_id:
            raise invalid_value("Each member needs a 'value': the id of a User.")
        ids.append(member_id)
    return ids


@dataclass
class PatchOperation:
    op: str
    path: str | None
    value: object


def patch_operations(data) -> list[PatchOperation]:
    """The operations of a PatchOp body (RFC 7644 §3.5.2), ops lower-cased."""
    if not isinstance(data, dict):
        raise ScimError(400, "The body must be a PatchOp JSON object.", "invalidSyntax")
    schemas = data.get("schemas")
    if schemas is not None and PATCH_SCHEMA not in (schemas or []):
        raise ScimError(
            400, f"A PATCH body's schemas must include {PATCH_SCHEMA}.", "invalidSyntax"
        )
    operations = data.get("Operations", data.get("operations"))
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PATCH body needs a non-empty 'Operations' list.", "invalidSyntax")
    parsed = []
    for operation in operations:
        if not isinstance(operation, dict):
            raise ScimError(400, "Each operation must be an object.", "invalidSyntax")
        op = str(operation.get("op", "")).lower()
        if op not in ("add", "replace", "remove"):
            raise invalid_value(f"Unknown PATCH op {operation.get('op')!r}: add, replace, remove.")
        path = operation.get("path")
        if path is not None and (not isinstance(path, str) or not path.strip()):
            raise invalid_path(f"Invalid path {path!r}.")
        if op == "remove" and path is None:
            raise ScimError(400, "A 'remove' operation needs a path.", "noTarget")
        if op != "remove" and "value" not in operation:
            raise invalid_value(f"The '{op}' operation needs a value.")
        parsed.append(PatchOperation(op, path.strip() if path else None, operation.get("value")))
    return parsed


def _parse_path(path: str, schema: str):
    """A PATCH path's node, with the resource's own schema URN taken off."""
    try:
        node = Path(path).ast
    except SCIMException as exc:
        raise invalid_path(f"Invalid path '{path}': {exc}") from exc
    attr_path = node.attr_path if isinstance(node, ValuePath) else node
    if attr_path.uri and attr_path.uri.lower() == schema.lower():
        attr_path = AttrPath(attr=attr_path.attr, sub_attr=attr_path.sub_attr)
        if isinstance(node, ValuePath):
            node = ValuePath(
                attr_path=attr_path, val_filter=node.val_filter, sub_attr=node.sub_attr
            )
        else:
            node = attr_path
    return node, attr_path


def _value_object_items(value, schema: str):
    """A path-less add/replace: ``{"active": false, "name.givenName": "x",
    "urn:...:User:displayName": "y"}``; extension objects are flattened to their URN paths."""
    if not isinstance(value, dict):
        raise invalid_value("An operation without a path needs an object as its value.")
    for key, item in value.items():
        if key.lower() == ENTERPRISE_USER_SCHEMA.lower() or key.lower() == schema.lower():
            if isinstance(item, dict):
                prefix = "" if key.lower() == schema.lower() else f"{key}:"
                for sub_key, sub_item in item.items():
                    yield f"{prefix}{sub_key}", sub_item
            continue
        yield key, item


def apply_person_patch(state: dict, operations: list[PatchOperation]) -> dict:
    """The person's fields after ``operations`` (``state`` has ``PERSON_FIELDS``)."""
    state = dict(state)
    for operation in operations:
        if operation.path is None:
            for key, value in _value_object_items(operation.value, USER_SCHEMA):
                _person_apply(state, operation.op, key, value)
        else:
            _person_apply(state, operation.op, operation.path, operation.value)
    if not state["user_name"]:
        raise invalid_value("'userName' is required.")
    return state


def _person_apply(state: dict, op: str, path: str, value) -> None:
    node, attr_path = _parse_path(path, USER_SCHEMA)
    if attr_path.uri:
        if attr_path.uri.lower().startswith(ENTERPRISE_USER_SCHEMA.lower()):
            return
        raise invalid_path(f"The path '{path}' is not an attribute of this schema.")
    attr = attr_path.attr.lower()
    sub = (attr_path.sub_attr or getattr(node, "sub_attr", None) or "").lower()
    remove = op == "remove"
    simple = {
        "username": ("user_name", "userName"),
        "externalid": ("external_id", "externalId"),
        "displayname": ("display_name", "displayName"),
    }
    if attr in simple and not sub and not isinstance(node, ValuePath):
        field_name, label = simple[attr]
        state[field_name] = "" if remove else text(value, label, field_name)
    elif attr == "active" and not sub:
        if remove:
            raise invalid_value("'active' cannot be removed; replace it with true or false.")
        state["active"] = boolean(value)
    elif attr == "name":
        _person_name(state, sub, value, remove)
    elif attr == "emails":
        _person_emails(state, node, sub, value, remove)
    elif attr in IGNORED_USER_ATTRIBUTES:
        return
    else:
        raise invalid_path(f"The path '{path}' is not an attribute of a User.")


def _person_name(state: dict, sub: str, value, remove: bool) -> None:
    parts = {"givenname": "given_name", "familyname": "family_name"}
    if not sub:
        if remove:
            state["given_name"] = state["family_name"] = ""
            return
        if not isinstance(value, dict):
            raise invalid_value("'name' must be an object.")
        for key, item in value.items():
            _person_name(state, key.lower(), item, False)
    elif sub in parts:
        label = f"name.{'givenName' if sub == 'givenname' else 'familyName'}"
        state[parts[sub]] = "" if remove else text(value, label, parts[sub])
    elif sub not in IGNORED_NAME_PARTS:
        raise invalid_path(f"'name.{sub}' is not an attribute of a User.")


def _person_emails(state: dict, node, sub: str, value, remove: bool) -> None:
    if isinstance(node, ValuePath):
        _check_email_filter(node.val_filter)
    if remove:
        if sub in ("", "value"):
            state["email"] = ""
        return
    if sub == "value":
        state["email"] = text(value, "emails.value", "email")
    elif sub in ("type", "primary", "display"):
        return
    elif sub:
        raise invalid_path(f"'emails.{sub}' is not an attribute of a User.")
    elif isinstance(node, ValuePath):
        # emails[type eq "work"] with an object (or objects) as the value.
        state["email"] = work_email(value)
    else:
        state["email"] = work_email(value)


def _check_email_filter(val_filter) -> None:
    conditions = getattr(val_filter, "terms", None) or [val_filter]
    for condition in conditions:
        if not isinstance(condition, Comparison) or condition.attr_path.attr.lower() not in (
            "type",
            "primary",
            "value",
        ):
            raise invalid_path(f"The filter 'emails[{val_filter}]' is not supported.")


@dataclass
class GroupPatch:
    """What a group PATCH does: field changes and member changes, in order."""

    fields: dict = field(default_factory=dict)
    # ("add" | "remove" | "replace", ids); ("remove", None) removes every member.
    member_changes: list[tuple[str, list[str] | None]] = field(default_factory=list)


def group_patch(operations: list[PatchOperation]) -> GroupPatch:
    patch = GroupPatch()
    for operation in operations:
        if operation.path is None:
            for key, value in _value_object_items(operation.value, GROUP_SCHEMA):
                _group_apply(patch, operation.op, key, value)
        else:
            _group_apply(patch, operation.op, operation.path, operation.value)
    return patch


def _group_apply(patch: GroupPatch, op: str, path: str, value) -> None:
    node, attr_path = _parse_path(path, GROUP_SCHEMA)
    if attr_path.uri:
        raise invalid_path(f"The path '{path}' is not an attribute of a Group.")
    attr = attr_path.attr.lower()
    if attr == "members":
        if isinstance(node, ValuePath) or attr_path.sub_attr:
            ids = _member_filter_ids(node, path)
            if op != "remove":
                raise invalid_path(f"'{path}': only 'remove' takes a filtered members path.")
            patch.member_changes.append(("remove", ids))
        elif op == "remove":
            patch.member_changes.append(("remove", member_ids(value) if value else None))
        else:
            patch.member_changes.append((op, member_ids(value)))
    elif attr == "displayname" and not attr_path.sub_attr:
        if op == "remove":
            raise invalid_value("'displayName' is required; it cannot be removed.")
        patch.fields["display_name"] = text(value, "displayName", "display_name")
        if not patch.fields["display_name"]:
            raise invalid_value("'displayName' is required.")
    elif attr == "externalid" and not attr_path.sub_attr:
        patch.fields["external_id"] = (
            "" if op == "remove" else text(value, "externalId", "external_id")
        )
    elif attr in ("id", "schemas", "meta"):
        return
    else:
        raise invalid_path(f"The path '{path}' is not an attribute of a Group.")


def _member_filter_ids(node, path: str) -> list[str]:
    """``members[value eq "id"]`` (or ``... or value eq "id2"``): the ids it names."""
    if not isinstance(node, ValuePath) or node.sub_attr:
        raise invalid_path(f"'{path}': use members[value eq \"<id>\"].")
    conditions = [node.val_filter]
    if getattr(node.val_filter, "op", None) == "or":
        conditions = list(node.val_filter.terms)
    ids = []
    for condition in conditions:
        if (
            not isinstance(condition, Comparison)
            or condition.attr_path.attr.lower() != "value"
            or condition.op != "eq"
            or not isinstance(condition.value, str)
        ):
            raise invalid_path(f"'{path}': use members[value eq \"<id>\"].")
        ids.append(condition.value)
    return ids

"""SCIM ``filter`` (RFC 7644 §3.4.2.2) to a Django ``Q``: what Entra ID and Okta send.

Supported: ``eq`` on the attributes below, combined with ``and``, ``or``, ``not`` and
parentheses; ``emails[type eq "work"].value eq "x"`` as well as ``emails.value eq "x"``.
Anything else (another operator, an attribute not listed) is refused with 400
``invalidFilter`` rather than answered wrongly. Every supported comparison is indexed:
``userName`` and a group's ``displayName`` compare lower-cased (their ``caseExact`` is false),
on the functional indexes of ``directory.models``.
"""

import uuid

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from scim2_models import SCIMException, ScimFilter
from scim2_models.path.expressions import AttrPath, Comparison, LogicalExpr, Not, ValuePath

from .documents import GROUP_SCHEMA, USER_SCHEMA
from .errors import ScimError


def _invalid(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidFilter")


def _text(value) -> str:
    if not isinstance(value, str):
        raise _invalid(f"Compare this attribute with a string, not {value!r}.")
    return value


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _invalid(f"Compare 'active' with true or false, not {value!r}.")


def _scim_id(value) -> Q:
    try:
        return Q(scim_id=uuid.UUID(_text(value)))
    except ValueError:
        return Q(pk__in=[])


USER_FILTERS = {
    "userName": lambda v: Q(user_name_lower=_text(v).lower()),
    "externalId": lambda v: Q(external_id=_text(v)),
    "id": _scim_id,
    "displayName": lambda v: Q(display_name__iexact=_text(v)),
    "active": lambda v: Q(active=_boolean(v)),
    "emails.value": lambda v: Q(email__iexact=_text(v)),
    "emails": lambda v: Q(email__iexact=_text(v)),
    "name.givenName": lambda v: Q(given_name__iexact=_text(v)),
    "name.familyName": lambda v: Q(family_name__iexact=_text(v)),
}
GROUP_FILTERS = {
    "displayName": lambda v: Q(display_name_lower=_text(v).lower()),
    "externalId": lambda v: Q(external_id=_text(v)),
    "id": _scim_id,
}


def _name(attr_path: AttrPath, schema: str) -> str:
    if attr_path.uri and attr_path.uri.lower() != schema.lower():
        raise _invalid(f"Filtering on '{attr_path}' is not supported.")
    return f"{attr_path.attr}.{attr_path.sub_attr}" if attr_path.sub_attr else attr_path.attr


def _to_q(node, filters: dict, schema: str) -> Q:
    if isinstance(node, LogicalExpr):
        terms = [_to_q(term, filters, schema) for term in node.terms]
        combined = terms[0]
        for term in terms[1:]:
            combined = combined & term if node.op == "and" else combined | term
        return combined
    if isinstance(node, Not):
        return ~_to_q(node.expr, filters, schema)
    if isinstance(node, ValuePath) and node.attr_path.attr == "emails" and "emails" in filters:
        return _emails_value_path(node)
    if isinstance(node, Comparison):
        name = _name(node.attr_path, schema)
        lookup = {key.lower(): build for key, build in filters.items()}.get(name.lower())
        if lookup is None:
            raise _invalid(
                f"Filtering on '{name}' is not supported; supported: {', '.join(filters)}."
            )
        if node.op != "eq":
            raise _invalid(f"Only the 'eq' operator is supported, not '{node.op}'.")
        return lookup(node.value)
    raise _invalid(f"The filter '{node}' is not supported (only 'eq' comparisons).")


def _emails_value_path(node: ValuePath) -> Q:
    """``emails[type eq "work" and value eq "x"]`` or ``emails[type eq "work"].value eq "x"``:
    the one address stored is the work address."""
    conditions = (
        node.val_filter.terms if isinstance(node.val_filter, LogicalExpr) else [node.val_filter]
    )
    if isinstance(node.val_filter, LogicalExpr) and node.val_filter.op != "and":
        raise _invalid("Only 'and' is supported inside emails[...].")
    q = Q()
    for condition in conditions:
        if not isinstance(condition, Comparison) or condition.op != "eq":
            raise _invalid("Only 'eq' comparisons are supported inside emails[...].")
        attr = condition.attr_path.attr.lower()
        if attr == "value":
            q &= Q(email__iexact=_text(condition.value))
        elif attr == "type":
            if _text(condition.value).lower() != "work":
                q &= Q(pk__in=[])
        elif attr == "primary":
            if not _boolean(condition.value):
                q &= Q(pk__in=[])
        else:
            raise _invalid(f"Filtering on 'emails.{condition.attr_path.attr}' is not supported.")
    return q & ~Q(email="")


def filter_people(queryset: QuerySet, expression: str | None) -> QuerySet:
    queryset = queryset.alias(user_name_lower=Lower("user_name"))
    return (
        queryset.filter(_parse(expression, USER_FILTERS, USER_SCHEMA)) if expression else queryset
    )


def filter_groups(queryset: QuerySet, expression: str | None) -> QuerySet:
    queryset = queryset.alias(display_name_lower=Lower("display_name"))
    if not expression:
        return queryset
    return queryset.filter(_parse(expression, GROUP_FILTERS, GROUP_SCHEMA))


def _parse(expression: str, filters: dict, schema: str) -> Q:
    try:
        node = ScimFilter(expression).ast
    except SCIMException as exc:
        raise _invalid(f"The filter could not be parsed: {exc}") from exc
    return _to_q(node, filters, schema)

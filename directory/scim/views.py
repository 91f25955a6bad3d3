"""``/scim/v2/`` views: thin. Each checks the bearer token, parses, calls
``directory.services.scim`` and answers SCIM JSON. Every failure is a SCIM error body
(RFC 7644 §3.12), an unexpected one a logged 500: never HTML, never a redirect to sign in
(``login_not_required``), no CSRF (a bearer token API)."""

import json
import logging

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from directory.services import scim as services
from directory.services.scim_tokens import scim_token_authenticate

from . import attributes, documents
from .errors import ScimError, error_response, not_found, scim_response
from .filters import filter_groups, filter_people

logger = logging.getLogger(__name__)


def _authenticate(request) -> None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ScimError(401, "A bearer token is required: 'Authorization: Bearer <token>'.")
    token = scim_token_authenticate(secret=secret.strip())
    if token is None:
        raise ScimError(401, "The bearer token is not valid, or has been revoked.")
    request.scim_token = token


def scim_endpoint(**handlers):
    """A view answering the HTTP methods given (``GET=...``, ``POST=...``), after the token
    check; any other method is a 405 SCIM error."""
    allowed = ", ".join(sorted(handlers))

    @csrf_exempt
    @login_not_required
    def view(request, *args, **kwargs):
        try:
            _authenticate(request)
            handler = handlers.get(request.method)
            if handler is None:
                response = error_response(
                    ScimError(405, f"{request.method} is not supported here; use {allowed}.")
                )
                response["Allow"] = allowed
                return response
            return handler(request, *args, **kwargs)
        except ScimError as error:
            return error_response(error)
        except RequestDataTooBig:
            return error_response(ScimError(413, "The request body is too large."))
        except Exception:
            logger.exception(
                "SCIM %s %s failed (token %s)",
                request.method,
                request.path,
                getattr(getattr(request, "scim_token", None), "name", "-"),
            )
            return error_response(ScimError(500, "The server could not process this request."))

    return view


def _body(request) -> dict:
    try:
        data = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScimError(400, f"The body is not valid JSON: {exc}", "invalidSyntax") from exc
    if not isinstance(data, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    return data


def _query(request) -> dict:
    """A listing's parameters: the query string (GET), or a SearchRequest body (POST
    ``.search``, RFC 7644 §3.4.3) whose ``attributes`` lists are joined the same way."""
    if request.method == "GET":
        return request.GET
    body = _body(request)
    if documents.SEARCH_SCHEMA not in (body.get("schemas") or [documents.SEARCH_SCHEMA]):
        raise ScimError(
            400, f"A search's schemas must be [{documents.SEARCH_SCHEMA}].", "invalidSyntax"
        )
    params = {}
    for key in ("filter", "startIndex", "count", "attributes", "excludedAttributes"):
        value = body.get(key)
        if isinstance(value, list):
            value = ",".join(str(item) for item in value)
        if value is not None:
            params[key] = str(value)
    return params


def _names(params, param: str) -> set[str]:
    """``attributes`` / ``excludedAttributes``: lower-cased, the core schema URNs taken off."""
    raw = params.get(param, "")
    names = set()
    for name in raw.split(","):
        name = name.strip().lower()
        for urn in (documents.USER_SCHEMA, documents.GROUP_SCHEMA):
            if name.startswith(urn.lower() + ":"):
                name = name[len(urn) + 1 :]
        if name:
            names.add(name)
    return names


def _wanted(params, attribute: str) -> bool:
    """Whether a costly attribute (``groups``, ``members``) is to be returned."""
    included = _names(params, "attributes")
    if included:
        return attribute in included
    return attribute not in _names(params, "excludedAttributes")


def _project(params, doc: dict) -> dict:
    """Apply ``attributes`` / ``excludedAttributes`` (RFC 7644 §3.4.2.5) to a document;
    ``id``, ``schemas`` and ``meta.resourceType`` are always returned."""
    included, excluded = _names(params, "attributes"), _names(params, "excludedAttributes")
    if not included and not excluded:
        return doc
    always = {"id", "schemas"}
    result = {}
    for key, value in doc.items():
        lower = key.lower()
        subs = {n.split(".", 1)[1] for n in included if n.startswith(lower + ".")}
        if lower in always:
            result[key] = value
        elif included:
            if lower in included:
                result[key] = value
            elif subs and isinstance(value, dict):
                result[key] = {k: v for k, v in value.items() if k.lower() in subs}
            elif key == "meta":
                result[key] = {"resourceType": value["resourceType"]}
        elif lower not in excluded:
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if f"{lower}.{k.lower()}" not in excluded}
            result[key] = value
    return result


def _page(params) -> tuple[int, int]:
    """``startIndex`` (1-based; below 1 is 1) and ``count`` (below 0 is 0; above
    ``MAX_RESULTS`` is lowered to it: RFC 7644 §3.4.2.4)."""
    try:
        start = int(params.get("startIndex") or 1)
        count = int(params.get("count") or documents.DEFAULT_COUNT)
    except ValueError as exc:
        raise ScimError(400, "startIndex and count must be integers.", "invalidValue") from exc
    return max(start, 1), min(max(count, 0), documents.MAX_RESULTS)


def _people(request, params):
    """The people a listing selects, and how to render each (``sortBy`` is ignored: sorting
    is not supported, as ServiceProviderConfig says; the order is creation's)."""
    people = filter_people(services.scim_people(), params.get("filter")).order_by("pk")
    with_groups = _wanted(params, "groups")
    if with_groups:
        people = people.prefetch_related("groups")

    def render(person):
        return documents.user_document(request, person, with_groups=with_groups)

    return people, render


def _groups(request, params):
    groups = filter_groups(services.scim_groups(), params.get("filter")).order_by("pk")
    with_members = _wanted(params, "members")

    def render(group):
        return documents.group_document(request, group, with_members=with_members)

    return groups, render


def _list(params, *selections) -> HttpResponse:
    """One page over one or more (queryset, render) selections, one after the other."""
    start, count = _page(params)
    offset, remaining, total, resources = start - 1, count, 0, []
    for queryset, render in selections:
        size = queryset.count()
        total += size
        if remaining and offset < size:
            page = list(queryset[offset : offset + remaining])
            resources += [_project(params, render(obj)) for obj in page]
            remaining -= len(page)
        offset = max(offset - size, 0)
    return scim_response(documents.list_document(resources, total=total, start=start))


def search(request):
    """POST /.search at the root: Users then Groups. A filter on an attribute only one of
    them has selects none of the other (RFC 7644 §3.4.3); one that fits neither is 400."""
    params = _query(request)
    selections, errors = [], []
    for select in (_people, _groups):
        try:
            selections.append(select(request, params))
        except ScimError as error:
            errors.append(error)
    if not selections:
        raise errors[0]
    return _list(params, *selections)


# Users


def users_list(request):
    params = _query(request)
    return _list(params, _people(request, params))


def _user_response(request, person, status=200) -> HttpResponse:
    doc = documents.user_document(
        request, person, with_groups=_wanted(request.GET, "groups"), new=status == 201
    )
    response = scim_response(_project(request.GET, doc), status=status)
    if status == 201:
        response["Location"] = doc["meta"]["location"]
    return response


def users_create(request):
    fields = attributes.person_fields_from_resource(_body(request))
    return _user_response(request, services.person_create(fields=fields), status=201)


def user_get(request, scim_id):
    return _user_response(request, services.person_get(scim_id=scim_id))


def user_replace(request, scim_id):
    fields = attributes.person_fields_from_resource(_body(request))
    return _user_response(request, services.person_replace(scim_id=scim_id, fields=fields))


def user_patch(request, scim_id):
    operations = attributes.patch_operations(_body(request))
    return _user_response(request, services.person_patch(scim_id=scim_id, operations=operations))


def user_delete(request, scim_id):
    services.person_delete(scim_id=scim_id)
    return HttpResponse(status=204)


# Groups


def groups_list(request):
    params = _query(request)
    return _list(params, _groups(request, params))


def _group_response(request, group, status=200) -> HttpResponse:
    doc = documents.group_document(request, group, with_members=_wanted(request.GET, "members"))
    response = scim_response(_project(request.GET, doc), status=status)
    if status == 201:
        response["Location"] = doc["meta"]["location"]
    return response


def groups_create(request):
    fields, member_ids = attributes.group_fields_from_resource(_body(request))
    group = services.group_create(fields=fields, member_ids=member_ids)
    return _group_response(request, group, status=201)


def group_get(request, scim_id):
    return _group_response(request, services.group_get(scim_id=scim_id))


def group_replace(request, scim_id):
    fields, member_ids = attributes.group_fields_from_resource(_body(request))
    group = services.group_replace(scim_id=scim_id, fields=fields, member_ids=member_ids)
    return _group_response(request, group)


def group_patch(request, scim_id):
    """204 unless attributes are asked for (RFC 7644 §3.5.2): a group of 50,000 is not sent
    back for each member added."""
    operations = attributes.patch_operations(_body(request))
    group = services.group_patch_apply(scim_id=scim_id, operations=operations)
    if request.GET.get("attributes") or request.GET.get("excludedAttributes"):
        return _group_response(request, group)
    return HttpResponse(status=204)


def group_delete(request, scim_id):
    services.group_delete(scim_id=scim_id)
    return HttpResponse(status=204)


# Discovery


def service_provider_config(request):
    return scim_response(documents.service_provider_config(request))


def resource_types(request, name=None):
    if name is None:
        docs = [documents.resource_type_document(request, n) for n in documents.RESOURCE_TYPES]
        return scim_response(documents.list_document(docs, total=len(docs), start=1))
    if name not in documents.RESOURCE_TYPES:
        raise not_found(f"No resource type '{name}'.")
    return scim_response(documents.resource_type_document(request, name))


def schemas(request, urn=None):
    if urn is None:
        docs = [documents.schema_document(request, u) for u in documents.SCHEMAS]
        return scim_response(documents.list_document(docs, total=len(docs), start=1))
    if urn not in documents.SCHEMAS:
        raise not_found(f"No schema '{urn}'.")
    return scim_response(documents.schema_document(request, urn))


def unknown(request, *args, **kwargs):
    raise not_found(f"Nothing at {request.path}: see /scim/v2/ResourceTypes.")


users = scim_endpoint(GET=users_list, POST=users_create)
users_search = scim_endpoint(POST=users_list)
groups_search = scim_endpoint(POST=groups_list)
search_view = scim_endpoint(POST=search)
user = scim_endpoint(GET=user_get, PUT=user_replace, PATCH=user_patch, DELETE=user_delete)
groups = scim_endpoint(GET=groups_list, POST=groups_create)
group = scim_endpoint(GET=group_get, PUT=group_replace, PATCH=group_patch, DELETE=group_delete)
service_provider_config_view = scim_endpoint(GET=service_provider_config)
resource_types_view = scim_endpoint(GET=resource_types)
schemas_view = scim_endpoint(GET=schemas)
root = scim_endpoint(GET=unknown)
not_found_view = scim_endpoint(**dict.fromkeys(("GET", "POST", "PUT", "PATCH", "DELETE"), unknown))

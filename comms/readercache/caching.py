"""Caching for reader pages, with invalidation by generation.

Three generation numbers live in the cache (``django.core.cache.cache``):

- the *content* generation changes whenever anything a reader page shows is saved or deleted
  (pages, sites, view restrictions, snippets, statistics, metrics, activities, settings, tags,
  images; ``comms.readercache.receivers``);
- the *tree* generation changes with what decides which page a URL serves and who may see it
  (pages, sites, view restrictions, locales), so editing a statistic keeps routes cached;
- the *permissions* generation changes whenever a user's groups or permissions change.

Every cached entry's key holds the generation it was made under, so a change makes all older
entries unreachable at once: a reader never sees content older than the last edit. A generation
is bumped at once and again when the transaction commits, so a reader who rendered while the
edit was uncommitted cannot keep the old content under the new key. Each request reads a
generation once (``generation``), so one page is built from one consistent view of the cache.

What is cached (each entry also expires after ``READER_CACHE_TIMEOUT`` seconds):

- the Wagtail site and route of a URL path (``route_get``/``route_remember``), and whether
  the page has view restrictions: the page is still loaded from the database on every
  request, so ``live`` and its fields are always current; the site lookup, the tree walk
  and the restriction queries are saved;
- rendered template fragments (``{% readercache %}``, ``comms.readercache.templatetags``,
  on Wagtail's ``{% wagtailcache %}``),
  which never hold personal parts (user name, CSRF token, feed addresses);
- each user's model permissions (``comms.backends.CachedPermissionsModelBackend``).
"""

import hashlib
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import Http404
from django.http.request import split_domain_port
from django.utils import timezone

CONTENT = "content"
TREE = "tree"
PERMISSIONS = "permissions"
_GENERATION_KEY = "portal:generation:{}"
# Query strings longer than this (searches pasted from elsewhere) are rendered, not cached,
# so one reader cannot fill the cache with one-off entries.
MAX_CACHED_QUERY_STRING = 200


def reader_cache_timeout() -> int:
    """How long any reader cache entry lives at most (``READER_CACHE_TIMEOUT``, seconds)."""
    return getattr(settings, "READER_CACHE_TIMEOUT", 3600)


def generation_current(kind: str) -> int:
    """The current generation of ``kind`` (CONTENT, TREE or PERMISSIONS), starting one if none.

    A missing number (a new or flushed cache) restarts from the clock, so it can never fall
    back to a value whose entries are still in the cache."""
    key = _GENERATION_KEY.format(kind)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def generation(request, kind: str = CONTENT) -> int:
    """The generation for this request: read once, so one page uses one consistent view."""
    memo = request.__dict__.setdefault("_portal_generations", {})
    if kind not in memo:
        memo[kind] = generation_current(kind)
    return memo[kind]


def _bump(kind: str) -> None:
    key = _GENERATION_KEY.format(kind)
    try:
        cache.incr(key)
    except ValueError:  # not in the cache: start a new one
        cache.set(key, time.time_ns(), timeout=None)


def _bump_content() -> None:
    _bump(CONTENT)


def _bump_tree() -> None:
    _bump(TREE)


def _bump_permissions() -> None:
    _bump(PERMISSIONS)


# One function per kind, so that one bump per kind is queued per transaction.
_BUMPS = {CONTENT: _bump_content, TREE: _bump_tree, PERMISSIONS: _bump_permissions}


def generation_bump(kind: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Make every entry cached under ``kind`` unreachable, now and when the transaction commits.

    The bump after commit closes the window in which another process reads the new
    generation but still the old rows; one such bump is queued per transaction."""
    callback = _BUMPS[kind]
    callback()
    connection = connections[using]
    if connection.in_atomic_block and not any(
        queued is callback for _, queued, _ in connection.run_on_commit
    ):
        transaction.on_commit(callback, using=using)


def _host_port(request) -> tuple[str, str]:
    # Wagtail matches sites on the raw host (Site._find_for_request); so do we.
    return split_domain_port(request._get_raw_host())[0], str(request.get_port())


def _path_components(path: str) -> list[str]:
    return [component for component in path.split("/") if component]


def _route_key(request, path: str) -> str:
    host, port = _host_port(request)
    digest = hashlib.sha256(f"{host}:{port}:{path}".encode()).hexdigest()[:32]
    return f"portal:route:{digest}"


def route_get(request, path: str) -> bool:
    """Fill in Wagtail's per-request site and route (``request._wagtail_site``,
    ``request._wagtail_route_for_request``) from the cache, so ``Page.route_for_request``
    neither looks the site up nor walks the tree. True if it did.

    One cache round trip reads the generations and the route together; the route counts only
    if it was cached under the current tree generation. The page itself is loaded fresh (one
    query), so it must still exist, be live and be at this path."""
    keys = {kind: _GENERATION_KEY.format(kind) for kind in (CONTENT, TREE)}
    route_key = _route_key(request, path)
    found = cache.get_many([*keys.values(), route_key])
    memo = request.__dict__.setdefault("_portal_generations", {})
    for kind, key in keys.items():
        memo[kind] = found.get(key) or generation_current(kind)
    entry = found.get(route_key)
    if entry is None or entry["generation"] != memo[TREE]:
        return False
    model = ContentType.objects.get_for_id(entry["content_type_id"]).model_class()
    if model is None:
        return False
    page = model.objects.filter(pk=entry["page_id"], url_path=entry["url_path"]).first()
    if page is None:
        return False
    # Read by comms.models.CachedViewRestrictionsMixin: no restriction on it or its ancestors.
    page._portal_unrestricted = entry["unrestricted"]
    try:
        route = page.route(request, list(entry["remaining"]))
    except Http404:
        return False
    request._wagtail_site = entry["site"]
    request._wagtail_route_for_request = route
    request._portal_route_from_cache = True
    return True


def route_remember(request, path: str) -> None:
    """Cache the site and route Wagtail found for ``path`` in this request, if it found one."""
    result = getattr(request, "_wagtail_route_for_request", None)
    if result is None or getattr(request, "_portal_route_from_cache", False):
        return
    site = getattr(request, "_wagtail_site", None)
    page = result[0]
    if site is None or not page.url_path.startswith(site.root_page.url_path):
        return
    page_components = _path_components(page.url_path[len(site.root_page.url_path) :])
    components = _path_components(path)
    if components[: len(page_components)] != page_components:
        return
    entry = {
        "generation": generation(request, TREE),
        "site": site,
        "page_id": page.pk,
        "content_type_id": page.content_type_id,
        "url_path": page.url_path,
        "remaining": tuple(components[len(page_components) :]),
        # What Wagtail's check found while serving (CachedViewRestrictionsMixin notes it);
        # unknown for other page types, whose restrictions are then always queried.
        "unrestricted": getattr(page, "_portal_unrestricted_seen", False),
    }
    cache.set(_route_key(request, path), entry, reader_cache_timeout())


def fragment_scope(request) -> str | None:
    """What every reader fragment's key varies on besides its own values: the content
    generation, today's date and the query string; None when this request must not use the
    cache (no request, a preview of a draft, a very long query string)."""
    if request is None or getattr(request, "is_preview", False):
        return None
    query = request.GET.urlencode()
    if len(query) > MAX_CACHED_QUERY_STRING:
        return None
    # Today's date is in every key: several fragments show what is current or due on a day
    # (statistic of the day, review-by flags, the calendar's current month).
    return f"{generation(request)}:{timezone.localdate()}:{query}"


def permissions_get(user) -> tuple[int, dict | None]:
    """The permissions generation, and the user's cached model permissions
    (``{"user": set, "group": set}``) if they were cached under it.

    One round trip reads both. Cache what you compute under the generation returned, read
    before the database, so a change made meanwhile is not hidden under a newer number."""
    generation_key = _GENERATION_KEY.format(PERMISSIONS)
    entry_key = f"portal:perms:{user.pk}"
    found = cache.get_many([generation_key, entry_key])
    current = found.get(generation_key) or generation_current(PERMISSIONS)
    entry = found.get(entry_key)
    if entry is None or entry["generation"] != current or entry["superuser"] != user.is_superuser:
        return current, None
    return current, entry


def permissions_set(user, *, generation_value: int, user_perms: set, group_perms: set) -> None:
    entry = {
        "generation": generation_value,
        "superuser": user.is_superuser,
        "user": user_perms,
        "group": group_perms,
    }
    cache.set(f"portal:perms:{user.pk}", entry, reader_cache_timeout())

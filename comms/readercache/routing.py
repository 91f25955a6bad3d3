"""Finding the page a URL serves in a fixed number of queries, when the route is not cached.

Wagtail's ``Page.route_for_request`` walks the tree one level at a time: for each path
component it reads the child with that slug and then casts it to its specific class (two
queries a level, plus one for the site's root page), so a newsletter issue costs six queries
before it is served. Right after a publish every cached route is stale (``caching``), so every
reader page pays that walk.

``route_find`` reaches the same page in at most three queries whatever the depth: the site,
the pages along the path in one query (by ``url_path``, which Wagtail keeps equal to the
parent's ``url_path`` plus the slug), and the specific page at the end. It keeps Wagtail's
rules by handing over to Wagtail wherever a page's class routes in its own way
(``RoutablePageMixin`` sub-URLs, or any other ``route`` override): from that page on, routing
is Wagtail's own.
"""

from django.http import Http404

from wagtail.models import Page, Site


def _routes_as_page(page: Page) -> bool:
    """Whether ``page``'s class routes exactly as ``Page.route`` does (child by slug), so the
    walk may skip loading its specific instance."""
    model = page.specific_class
    return model is not None and model.route is Page.route


def route_find(request, path: str) -> None:
    """Fill in ``request._wagtail_site`` and ``request._wagtail_route_for_request`` for
    ``path``, as ``Page.route_for_request`` would (``None`` when no page is there)."""
    site = Site.find_for_request(request)
    if site is None:
        request._wagtail_route_for_request = None
        return
    components = [component for component in path.split("/") if component]
    page = site.root_page.localized
    url_paths = [
        page.url_path + "".join(f"{slug}/" for slug in components[: n + 1])
        for n in range(len(components))
    ]
    along = {}
    if components and _routes_as_page(page):
        # The pages along the path, below the site's root: at most one per level.
        for found in Page.objects.filter(
            url_path__in=url_paths, path__startswith=page.path, depth__gt=page.depth
        ):
            along.setdefault(found.url_path, []).append(found)
    try:
        walked = 0
        while walked < len(components) and _routes_as_page(page):
            child = next(
                (
                    found
                    for found in along.get(url_paths[walked], [])
                    if found.depth == page.depth + 1 and found.path.startswith(page.path)
                ),
                None,
            )
            if child is None:
                raise Http404
            # As Wagtail does: the page's get_parent() needs no query.
            child._cached_parent_obj = page
            page = child
            walked += 1
        request._wagtail_route_for_request = page.specific.route(request, components[walked:])
    except Http404:
        request._wagtail_route_for_request = None

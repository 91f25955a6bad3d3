"""Middleware for serving reader pages quickly (see ``comms.readercache.caching``)."""

from wagtail import views as wagtail_views

from comms.readercache import caching, routing


class CachedPageRouteMiddleware:
    """Resolve Wagtail page URLs from the cache instead of walking the page tree.

    Wagtail keeps the site and route it finds on the request (``request._wagtail_site``,
    ``request._wagtail_route_for_request``); this fills them in from the cache before Wagtail's
    ``serve`` view runs, and caches what was found when it had to look (``routing``: the same
    route as Wagtail's walk, in fewer queries, e.g. just after a publish). Only GET and HEAD
    requests for Wagtail pages take part; it runs after ``LoginRequiredMiddleware``, so
    anonymous visitors are sent to sign in first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = getattr(request, "_portal_serve_path", None)
        if path is not None:
            caching.route_remember(request, path)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or request.method not in ("GET", "HEAD"):
            return None
        path = view_args[0] if view_args else view_kwargs.get("path", "")
        request._portal_serve_path = path
        if not caching.route_get(request, path):
            routing.route_find(request, path)
        return None

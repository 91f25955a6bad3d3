"""The reader-page performance layer: reader pages served in a fixed, small number of queries,
and never older than the last edit.

- ``caching``: the generations (content, tree, permissions) every cached entry is keyed
  under, the cached route of a URL path, the fragment scope, the cached permissions;
- ``routing``: finding the page a URL serves in at most three queries when its route is not
  cached;
- ``middleware``: ``CachedPageRouteMiddleware`` (``MIDDLEWARE``), which fills in Wagtail's
  route from the cache or ``routing`` before Wagtail's ``serve`` view runs;
- ``receivers``: the signal receivers that bump the generations on every edit
  (``CommsConfig.ready`` connects them);
- ``templatetags``: ``{% readercache %}``, Wagtail's ``{% wagtailcache %}`` with the reader
  scope (the template library ``readercache``, registered in ``TEMPLATES``);
- ``cache_backends``: ``ReusedClientRedisCache`` (``CACHES``, from ``CACHE_URL``).

Related, kept where Django and Wagtail look for them: ``comms.backends`` (the cached
permissions backend; its dotted path is stored in every session, so it does not move) and
``comms.models.pages.CachedViewRestrictionsMixin`` (a page model mixin).

Wagtail internals this relies on, and the test that fails if one changes:

- ``request._wagtail_site`` and ``request._wagtail_route_for_request``, where
  ``Site.find_for_request`` and ``Page.route_for_request`` keep what they found for the
  request (``caching.route_get``, ``routing.route_find``): tests/comms/test_routing.py
  (``test_every_reader_path_routes_as_wagtail_routes_it``) and the query budgets in
  tests/perf/test_query_counts.py (``test_a_reader_page_takes_at_most_ten_queries``).
- ``Page.route`` as the class attribute a page overrides to route in its own way
  (``RoutablePageMixin``), and ``Page._cached_parent_obj``, the parent ``get_parent()``
  returns without a query (``routing``): tests/comms/test_routing.py (the
  ``statistics/numbers/`` sub-URL) and tests/perf/test_query_counts.py.
- ``wagtail.views.serve`` as the view of every page URL, with the path as its first argument
  (``middleware``): tests/perf/test_query_counts.py
  (``test_a_reader_page_takes_at_most_ten_queries_just_after_a_publish``,
  ``test_a_moved_post_is_served_at_its_new_address_only``).
- ``Page.get_view_restrictions``, which Wagtail's serve check iterates
  (``CachedViewRestrictionsMixin`` answers it from the cached route):
  tests/perf/test_query_counts.py (``test_a_view_restriction_applies_at_once``,
  ``test_a_restricted_section_is_closed_at_once_to_its_pages_and_lists``).
- Site matching on the raw host (``Site._find_for_request`` uses
  ``request._get_raw_host()``; so do the route keys): tests/comms/test_routing.py.
- ``wagtail.signals.page_published``, ``page_unpublished`` and ``post_page_move``
  (``receivers``): tests/perf/test_query_counts.py
  (``test_a_published_post_shows_on_the_blog_and_home_page_at_once``,
  ``test_an_unpublished_post_disappears_at_once``,
  ``test_a_moved_post_is_served_at_its_new_address_only``).
- ``wagtail.templatetags.wagtail_cache.WagtailCacheNode`` (no cache without a request or in a
  preview, ``request.is_preview``) and Django's ``CacheNode`` constructor it inherits
  (``templatetags``): tests/perf/test_query_counts.py
  (``test_a_draft_preview_is_never_served_from_the_cache``,
  ``test_an_edited_statistic_shows_at_once``).
"""

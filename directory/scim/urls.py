"""``/scim/v2/`` (mounted in ``trustedresearch.urls``): a trailing slash is accepted too."""

from django.urls import path, re_path

from . import views

app_name = "scim"

urlpatterns = [
    path("", views.root, name="root"),
    re_path(r"^\.search/?$", views.search_view, name="search"),
    re_path(r"^Users/?$", views.users, name="users"),
    re_path(r"^Users/\.search/?$", views.users_search, name="users_search"),
    re_path(r"^Users/(?P<scim_id>[^/]+)/?$", views.user, name="user"),
    re_path(r"^Groups/?$", views.groups, name="groups"),
    re_path(r"^Groups/\.search/?$", views.groups_search, name="groups_search"),
    re_path(r"^Groups/(?P<scim_id>[^/]+)/?$", views.group, name="group"),
    re_path(
        r"^ServiceProviderConfigs?/?$",
        views.service_provider_config_view,
        name="service_provider_config",
    ),
    re_path(r"^ResourceTypes/?$", views.resource_types_view, name="resource_types"),
    re_path(r"^ResourceTypes/(?P<name>[^/]+)/?$", views.resource_types_view, name="resource_type"),
    re_path(r"^Schemas/?$", views.schemas_view, name="schemas"),
    re_path(r"^Schemas/(?P<urn>[^/]+)/?$", views.schemas_view, name="schema"),
    # Anything else under /scim/v2/: a SCIM 404 (after the token check), not the portal's page.
    re_path(r"^.*$", views.not_found_view, name="unknown"),
]

"""The portal's four roles: the groups users are put in, and what each may do.

Model permissions are named as strings ("app_label.codename"); each app declares its own
(``ROLE_PERMISSIONS`` in ``<app>/roles.py``) and ``model_permissions()`` collects them, so this
module imports no other app. ``comms.services.roles.roles_sync`` applies them after every
migrate; permissions of models that do not exist yet are ignored until they do.
"""

EDITORS = "Research office editors"
SENIOR_OWNERS = "Senior owners"
COMMS_LEADS = "Comms leads"
STAFF = "Staff"

ALL_GROUPS = (EDITORS, SENIOR_OWNERS, COMMS_LEADS, STAFF)

# Wagtail page permissions granted on the root page, so they apply to the whole tree.
PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    EDITORS: ("add_page", "change_page"),
    SENIOR_OWNERS: ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"),
    COMMS_LEADS: ("add_page", "change_page"),
    STAFF: (),
}

# Image and document permissions on the root collection.
_MEDIA = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)
COLLECTION_PERMISSIONS: dict[str, tuple[str, ...]] = {
    EDITORS: _MEDIA,
    SENIOR_OWNERS: _MEDIA,
    COMMS_LEADS: _MEDIA,
    STAFF: (),
}

# Model permissions of comms itself. "wagtailadmin.access_admin" is what lets a user into
# /admin/. Each other app declares its own in ``<app>/roles.py`` as ``ROLE_PERMISSIONS`` (group
# name to "app_label.codename" strings); ``model_permissions()`` collects them.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    EDITORS: ("wagtailadmin.access_admin", "comms.change_portalsettings"),
    SENIOR_OWNERS: ("wagtailadmin.access_admin", "comms.change_portalsettings"),
    COMMS_LEADS: ("wagtailadmin.access_admin",),
    STAFF: (),
}


def model_permissions() -> dict[str, tuple[str, ...]]:
    """Every group's model permissions: comms's own, then each installed app's
    ``<app>.roles.ROLE_PERMISSIONS``, in INSTALLED_APPS order. Found through the app
    registry, so comms imports no other app."""
    from importlib import import_module

    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    collected = {group: list(ROLE_PERMISSIONS.get(group, ())) for group in ALL_GROUPS}
    for config in apps.get_app_configs():
        if config.name == "comms" or not module_has_submodule(config.module, "roles"):
            continue
        declared = getattr(import_module(f"{config.name}.roles"), "ROLE_PERMISSIONS", {})
        for group, names in declared.items():
            collected[group].extend(name for name in names if name not in collected[group])
    return {group: tuple(names) for group, names in collected.items()}

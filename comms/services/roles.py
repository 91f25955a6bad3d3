"""Keep the portal's groups and their permissions as ``comms.roles`` (and each app's
``roles.py``) declare them."""

import logging

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from comms import roles

logger = logging.getLogger(__name__)


def _permissions(names: tuple[str, ...]) -> list[Permission]:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        perm = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if perm is not None:
            found.append(perm)
    return found


@transaction.atomic
def roles_sync() -> dict[str, Group]:
    """Create the four groups and grant what ``comms.roles`` lists. Idempotent.

    Only adds: a permission an administrator granted by hand is left in place. Permissions of
    models not migrated yet are skipped and granted on a later run (after every migrate).
    """
    groups = {}
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    model_permissions = roles.model_permissions()
    for name in roles.ALL_GROUPS:
        group, created = Group.objects.get_or_create(name=name)
        if created:
            logger.info("Created group %r (id %s)", name, group.pk)
        group.permissions.add(*_permissions(model_permissions[name]))
        if root_page is not None:
            for perm in _permissions(
                tuple(f"wagtailcore.{codename}" for codename in roles.PAGE_PERMISSIONS[name])
            ):
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=perm
                )
        if root_collection is not None:
            for perm in _permissions(roles.COLLECTION_PERMISSIONS[name]):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=perm
                )
        groups[name] = group
    return groups


def roles_sync_after_migrate(sender, **kwargs) -> None:
    """post_migrate receiver: run once per migrate, for the last app, when every app's
    permissions exist."""
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label != with_models[-1].label:
        return
    roles_sync()

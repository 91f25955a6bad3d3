"""Signal receivers that keep the reader caches (``caching``) in step with edits."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from comms.readercache.caching import CONTENT, PERMISSIONS, TREE, generation_bump

# Apps whose every model can show on a reader page (pages, snippets, settings, tags).
CONTENT_APPS = {"comms", "stats", "blogs", "campaign", "taggit", "wagtailimages", "wagtaildocs"}
# Models of wagtailcore that change what readers see or where: the rest (workflow states,
# log entries, subscriptions, references) are editor bookkeeping.
CONTENT_CORE_MODELS = {
    "page",
    "site",
    "pageviewrestriction",
    "pageviewrestriction_groups",
    "collection",
    "collectionviewrestriction",
    "collectionviewrestriction_groups",
    "locale",
    "revision",
}
# Models of wagtailcore that decide which page a URL serves, and who may see it.
TREE_CORE_MODELS = {
    "page",
    "site",
    "pageviewrestriction",
    "pageviewrestriction_groups",
    "locale",
}
# Written on every request or send, and never shown in a shared fragment: caching them would
# only churn the cache. Feed tokens are personal and read fresh; renditions are derived from
# images that bump on their own.
NOT_CONTENT = {("comms", "feedtoken"), ("wagtailimages", "rendition")}


def is_reader_content(model) -> bool:
    """Whether saving or deleting a ``model`` row can change a reader page."""
    from wagtail.models import Page

    meta = model._meta
    if (meta.app_label, meta.model_name) in NOT_CONTENT:
        return False
    if issubclass(model, Page) or meta.app_label in CONTENT_APPS:
        return True
    return meta.app_label == "wagtailcore" and meta.model_name in CONTENT_CORE_MODELS


def is_page_tree(model) -> bool:
    """Whether saving or deleting a ``model`` row can change which page a URL serves."""
    from wagtail.models import Page

    meta = model._meta
    return issubclass(model, Page) or (
        meta.app_label == "wagtailcore" and meta.model_name in TREE_CORE_MODELS
    )


def content_changed(sender, using="default", **kwargs) -> None:
    if is_reader_content(sender):
        generation_bump(CONTENT, using=using or "default")
    if is_page_tree(sender):
        generation_bump(TREE, using=using or "default")


def page_changed(sender, instance=None, **kwargs) -> None:
    generation_bump(CONTENT)
    generation_bump(TREE)


def permissions_changed(sender, using="default", **kwargs) -> None:
    generation_bump(PERMISSIONS, using=using or "default")


def receivers_connect() -> None:
    """Connect the receivers (``CommsConfig.ready``)."""
    for name, signal in (("save", post_save), ("delete", post_delete), ("m2m", m2m_changed)):
        signal.connect(content_changed, dispatch_uid=f"portal-cache-content-{name}")
    # Publishing saves the page, but a move updates its descendants' paths in bulk.
    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(page_changed, dispatch_uid=f"portal-cache-page-{name}")

    user_model = get_user_model()
    for through in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            permissions_changed,
            sender=through,
            dispatch_uid=f"portal-cache-perms-m2m-{through._meta.label}",
        )
    for model in (Group, Permission):
        for name, signal in (("save", post_save), ("delete", post_delete)):
            signal.connect(
                permissions_changed,
                sender=model,
                dispatch_uid=f"portal-cache-perms-{name}-{model._meta.label}",
            )

"""Authentication backends."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from comms.readercache import caching


class CachedPermissionsModelBackend(ModelBackend):
    """Django's ``ModelBackend`` with each user's model permissions kept in the cache.

    Every page checks permissions (the header's Admin link, the Wagtail userbar); Django
    memoises them per request, this keeps them between requests. An entry is used only under
    the current permissions generation (``comms.readercache.caching``), which changes whenever
    a user's groups, a group's permissions or a user's own permissions change, and only while the
    user's superuser flag is the same; ``is_active`` is checked on the user of this request.

    Password sign-in: with ``OIDC_ONLY`` only superusers may sign in with a password (the
    break-glass path for when the identity provider is down); everyone else is refused here,
    on every path that checks a password (the login pages, Wagtail's admin login)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        # Only the password check: a session's user (``get_user``) is not affected, whoever
        # signed them in.
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and settings.OIDC_ONLY and not user.is_superuser:
            return None
        return user

    def _get_permissions(self, user_obj, obj, from_name):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        memo = f"_{from_name}_perm_cache"  # where ModelBackend memoises them per request
        if not hasattr(user_obj, memo):
            generation_value, entry = caching.permissions_get(user_obj)
            if entry is None:
                entry = {
                    "user": super()._get_permissions(user_obj, obj, "user"),
                    "group": super()._get_permissions(user_obj, obj, "group"),
                }
                caching.permissions_set(
                    user_obj,
                    generation_value=generation_value,
                    user_perms=entry["user"],
                    group_perms=entry["group"],
                )
            user_obj._user_perm_cache = entry["user"]
            user_obj._group_perm_cache = entry["group"]
        return getattr(user_obj, memo)

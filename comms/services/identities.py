"""Portal users from the identity provider's claims (``comms.oidc`` checked them).

- A person is found by their identity at the provider (issuer + ``sub``, ``ExternalIdentity``),
  never by email address: a first sign-in creates the user (name and email from the claims, a
  username of their own, no usable password), later ones update name and email.
- Every sign-in sets the user's portal roles from the group claim (``OIDC_GROUP_CLAIM``)
  through ``OIDC_GROUP_ROLES``: roles the claim no longer gives are removed, so a person taken
  out of a directory group loses the role at their next sign-in. Groups that are not portal
  roles are left alone, and nobody becomes a superuser this way.
- Someone in no mapped group signs in as Staff, or is refused (``OIDC_UNMAPPED=refuse``); a
  user disabled in the portal is refused whatever the provider says.
"""

import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from comms import roles
from comms.models import ExternalIdentity

logger = logging.getLogger(__name__)


class SignInRefused(Exception):
    """The provider vouched for the person, but the portal does not let them in; ``code`` is a
    ``comms.oidc`` failure code."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def claimed_groups(claims: dict) -> list[str]:
    """The group claim as a list of strings (a provider may send one string)."""
    value = claims.get(settings.OIDC_GROUP_CLAIM) or []
    if isinstance(value, str):
        value = [value]
    return [str(item) for item in value if isinstance(item, str | int)]


def roles_for_groups(groups: list[str]) -> set[str]:
    """The portal groups ``OIDC_GROUP_ROLES`` gives these provider groups (ids or names)."""
    mapping = settings.OIDC_GROUP_ROLES
    return {mapping[group] for group in groups if group in mapping}


def _username(claims: dict) -> str:
    """A free username from ``preferred_username`` (or the email's local part, or the subject):
    a label for people to read, never how the person is found again."""
    base = claims.get("preferred_username") or (claims.get("email") or "").split("@")[0]
    base = re.sub(r"[^\w.@+-]", "", str(base))[:120] or f"sso-{str(claims['sub'])[:40]}"
    User = get_user_model()
    candidate, number = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def _names(claims: dict) -> dict[str, str]:
    first = claims.get("given_name") or ""
    last = claims.get("family_name") or ""
    if not (first or last) and claims.get("name"):
        first, _, last = str(claims["name"]).partition(" ")
    return {
        "first_name": str(first)[:150],
        "last_name": str(last)[:150],
        "email": str(claims.get("email") or "")[:254],
    }


@transaction.atomic
def oidc_user_sign_in(*, issuer: str, claims: dict):
    """The portal user these (checked) claims are, created or updated, with their roles set
    from the group claim. Raises ``SignInRefused`` ("no-identity", "disabled", "no-role")."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignInRefused("no-identity")
    wanted = roles_for_groups(claimed_groups(claims))
    if not wanted:
        if settings.OIDC_UNMAPPED == "refuse":
            logger.info("Sign-in refused: %s at %s is in no mapped group", subject, issuer)
            raise SignInRefused("no-role")
        wanted = {roles.STAFF}
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    User = get_user_model()
    if identity is None:
        user = User(username=_username(claims), **_names(claims))
        user.set_unusable_password()
        user.save()
        identity = ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        logger.info("First sign-in of %s at %s: user %s created", subject, issuer, user.pk)
    else:
        user = identity.user
        if not user.is_active:
            raise SignInRefused("disabled")
        changed = {k: v for k, v in _names(claims).items() if v and getattr(user, k) != v}
        if changed:
            for name, value in changed.items():
                setattr(user, name, value)
            user.save(update_fields=list(changed))
    _roles_set(user, wanted)
    identity.last_sign_in_at = timezone.now()
    identity.directory_id = str(claims.get(settings.OIDC_DIRECTORY_ID_CLAIM) or subject)[:255]
    identity.save(update_fields=["last_sign_in_at", "directory_id"])
    return user


def _roles_set(user, wanted: set[str]) -> None:
    """The user's portal roles become ``wanted``; their other groups stay."""
    current = set(user.groups.filter(name__in=roles.ALL_GROUPS).values_list("name", flat=True))
    if current == wanted:
        return
    groups = {group.name: group for group in Group.objects.filter(name__in=roles.ALL_GROUPS)}
    removed, added = current - wanted, wanted - current
    if removed:
        user.groups.remove(*(groups[name] for name in removed))
    if added:
        user.groups.add(*(groups[name] for name in added if name in groups))
    logger.info(
        "Roles of user %s from the identity provider: +%s -%s",
        user.pk,
        sorted(added),
        sorted(removed),
    )

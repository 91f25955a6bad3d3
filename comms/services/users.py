"""Demo accounts: one per role, so a newcomer can try every part of the portal."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from comms import roles
from comms.services.roles import roles_sync

DEFAULT_DEMO_PASSWORD = "trusted-research-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    group: str | None
    full_name: str
    superuser: bool = False


DEMO_ACCOUNTS = (
    DemoAccount("editor", roles.EDITORS, "Esme Editor"),
    DemoAccount("senior", roles.SENIOR_OWNERS, "Sam Senior"),
    DemoAccount("commslead", roles.COMMS_LEADS, "Chris Comms"),
    DemoAccount("reader", roles.STAFF, "Riley Reader"),
    DemoAccount("admin", None, "Ada Administrator", superuser=True),
)


@transaction.atomic
def demo_users_ensure(*, password: str = DEFAULT_DEMO_PASSWORD) -> list[DemoAccount]:
    """Create or update the demo accounts with ``password``. Idempotent: a second run
    leaves one user per account, in its one group, with the same password."""
    groups = roles_sync()
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        first, last = account.full_name.split(" ", 1)
        user, _ = User.objects.get_or_create(
            username=account.username,
            defaults={"email": f"{account.username}@example.ac.uk"},
        )
        user.first_name, user.last_name = first, last
        user.is_superuser = user.is_staff = account.superuser
        user.is_active = True
        user.set_password(password)
        user.save()
        wanted = [groups[account.group]] if account.group else []
        user.groups.set(Group.objects.filter(pk__in=[g.pk for g in wanted]))
    return list(DEMO_ACCOUNTS)

"""What the newsletter does when other apps tell it something (connected in ``apps.py``).

- ``directory.signals.directory_changed``: the lists that follow the changed groups are
  brought up to date by a Celery task (``newsletter.tasks.lists_directory_sync``), so a SCIM
  request or an LDAP sync does not wait for them. A send re-syncs its lists in any case before
  it snapshots its audience, so a change is never missed, only shown on the list later.
"""

import time

from django.dispatch import receiver

from directory.signals import directory_changed
from newsletter.services.audiences import lists_following


@receiver(directory_changed)
def directory_groups_changed(sender, *, group_ids, **kwargs) -> None:
    from newsletter.tasks import lists_directory_sync

    list_ids = lists_following(group_ids)
    if list_ids:
        lists_directory_sync.delay(list_ids, time.time())

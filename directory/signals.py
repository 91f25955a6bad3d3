"""What the directory tells the rest of the portal. ``directory`` imports no app above it:
``newsletter`` listens (``newsletter.receivers``) and brings the lists that follow the groups up
to date.

``directory_changed`` is sent once the transaction that changed people or groups has
committed, with ``source`` (a ``directory.models.Source`` value) and ``group_ids`` (the pks of
the groups whose members may have changed, including through a person's deactivation or a
changed address).
"""

from django.dispatch import Signal

directory_changed = Signal()

"""The newsletter's views, by audience.

- ``reader``: the public pages (a shared issue, unsubscribe, the click redirect), no sign-in.
- ``permissions``: the permission policies the admin views check, and the 403 page.
- ``exports``: CSV downloads through Wagtail's ``list_export`` machinery.
- ``issues``: assemble an issue, send a test, share it publicly.
- ``schedule``: schedule a send (with its confirmation step).
- ``sends``: the sends listing, one send's report, progress, actions, deliveries CSV.
- ``subscribers``: import, a list's CSV, a person's data and erasure.
- ``viewsets``: the admin view sets (URLs, namespaces, menu items) that serve all of these.
"""

from newsletter.views.reader import click, public_issue, unsubscribe

__all__ = ["click", "public_issue", "unsubscribe"]

"""The default Wagtail Site's address follows ``WAGTAILADMIN_BASE_URL``.

Wagtail builds a page's absolute address (``page.full_url``, in the workflow emails' "view the
page here" links) from the Site's hostname and port, and admin links from
``WAGTAILADMIN_BASE_URL``. The migration that creates the site tree can only guess
``localhost:80``; keeping the default Site in step with the one setting makes both kinds of
link carry the address the portal is served at (``http://127.0.0.1:8000`` under `make run`,
the public https address in production).
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


def site_address_sync(**kwargs) -> bool:
    """Set the default Site's hostname and port from WAGTAILADMIN_BASE_URL. Returns whether it
    changed anything. Idempotent; does nothing without a default Site or a usable URL. Safe as
    a ``post_migrate`` receiver (it takes and ignores the signal's arguments)."""
    from wagtail.models import Site

    parts = urlsplit(getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None or (site.hostname, site.port) == (parts.hostname, port):
        return False
    site.hostname, site.port = parts.hostname, port
    site.save(update_fields=["hostname", "port"])  # signals clear Wagtail's and our caches
    logger.info("Default site %s address set to %s:%s", site.pk, parts.hostname, port)
    return True

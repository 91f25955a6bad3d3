"""What the portal takes from the reverse proxy in front of it, and what it refuses at the door.

- ``client_ip``: the visitor's address, for django-axes' login throttling
  (``AXES_CLIENT_IP_CALLABLE``). With ``TRUSTED_PROXY_COUNT = 0`` (no proxy) it is
  ``REMOTE_ADDR`` and ``X-Forwarded-For`` is ignored, since anyone can send that header. With
  N trusted proxies, each appends the address it received the request from to
  ``X-Forwarded-For`` (nginx: ``$proxy_add_x_forwarded_for``), so the client's address is the
  N-th entry from the right; whatever the client wrote to the left of it is ignored. A header
  with fewer entries, or an entry that is not an IP address, falls back to ``REMOTE_ADDR``
  (the proxy): a misconfiguration then throttles everyone together rather than letting a
  forged header pick whose attempts count.
- ``RequestBodyLimitMiddleware``: a request whose declared body is larger than
  ``MAX_REQUEST_BODY_SIZE`` gets a 413 before any of it is read. Django bounds form fields
  (``DATA_UPLOAD_MAX_MEMORY_SIZE``) but streams uploaded files to disk whatever their size,
  and the admin API reads JSON bodies without that bound; the forms' own size checks come only
  after the whole upload was stored.
"""

import ipaddress
import logging

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat

logger = logging.getLogger(__name__)


def _valid_ip(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address, read through ``TRUSTED_PROXY_COUNT`` proxies (see module doc)."""
    remote_addr = request.META.get("REMOTE_ADDR")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote_addr
    entries = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    address = _valid_ip(entries[-count]) if len(entries) >= count else None
    if address is None:
        logger.warning(
            "X-Forwarded-For %r does not hold %s proxy address(es); using REMOTE_ADDR %s. "
            "Check TRUSTED_PROXY_COUNT against the proxies in front of the portal.",
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            count,
            remote_addr,
        )
        return remote_addr
    return address


class RequestBodyLimitMiddleware:
    """Refuse a request body over ``MAX_REQUEST_BODY_SIZE`` with 413, unread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_REQUEST_BODY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django then reads no body at all
        if limit is not None and length > limit:
            logger.warning("Refused a %s-byte request body to %s", length, request.path)
            return HttpResponse(
                f"This upload is {filesizeformat(length)}, more than the "
                f"{filesizeformat(limit)} the portal accepts in one request. Images may be up "
                f"to {filesizeformat(settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE)} and documents up "
                f"to {filesizeformat(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)}: make the file "
                "smaller (or split a CSV file) and upload it again.",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

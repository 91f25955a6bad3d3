from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_POST

from comms.selectors import user_for_feed_token
from comms.services.feeds import feed_token_replace
from comms.services.health import health_ok, health_report


@login_not_required
@cache_control(public=True, max_age=86400)
@require_GET
def favicon(request):
    """/favicon.ico for browsers and tools that ask for it whatever the page links (pages link
    static/favicon.svg): the icon file itself, no sign-in."""
    path = finders.find("favicon.ico")
    if path is None:
        raise Http404("favicon.ico is missing from static/")
    return FileResponse(open(path, "rb"), content_type="image/x-icon")


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """JSON status of the database, the broker and the worker heartbeat: 200 when all are ok,
    else 503."""
    report = health_report()
    status = 200 if health_ok(report) else 503
    return JsonResponse(report, status=status)


def feed_access_refusal(request, *, copy_from: str) -> HttpResponse | None:
    """Who may read a personal feed (the blog's Atom feed, the campaign calendar): the same
    rule for both. ``None`` lets the request in; otherwise the response to send.

    - ``?token=`` given: the token decides, even beside a session. A wrong, revoked or
      inactive user's token is refused with 403 and a plain-text line saying where to copy the
      address again (``copy_from``), which a feed or calendar client can show.
    - no token: a signed-in browser reads the feed; anyone else goes to the login page and
      comes back, like every other page of the portal (clients are given the token address, so
      only people in a browser arrive here without one).
    """
    token = request.GET.get("token", "")
    if token:
        if user_for_feed_token(token) is None:
            return HttpResponse(
                "This feed address is not valid (it may have been revoked). Copy your personal "
                f"feed address from {copy_from} again.",
                status=403,
                content_type="text/plain; charset=utf-8",
            )
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


@require_POST
def feed_token_replace_view(request):
    """The "Replace my feed address" button (on /blog/ and /campaign/): a new personal feed
    token for the signed-in user; the old addresses stop working. Back to ``next`` (a page of
    this site), else home."""
    feed_token_replace(user=request.user)
    messages.success(
        request,
        "Your feed address has been replaced: the old one no longer works. Copy the new one "
        "below into your feed reader and calendar.",
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)

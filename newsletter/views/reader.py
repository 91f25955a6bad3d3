"""Public pages of the newsletter, no sign-in: the token in the URL is the key.

/newsletters/public/<token>/ shows an issue a comms lead shared (``newsletter.services.sharing``):
its live, approved version only, on a minimal base with no intranet navigation.

/unsubscribe/<token>/: the signed token is the key.

/newsletters/c/<key>/<position>/: a link in a mailed issue. The signed key names the send and
the delivery; the position names one of the links recorded for that send, the only addresses
it ever redirects to (no open redirect). A GET counts the click and redirects at once (302);
a HEAD (link checkers) redirects without counting. A tampered or unknown link gives a plain
400 page.

GET only shows a confirmation (link scanners follow links; they must not unsubscribe anyone).
POST unsubscribes, including the RFC 8058 one-click POST a mail client sends with the body
``List-Unsubscribe=One-Click`` and no CSRF token: the view is CSRF-exempt because the token in
the URL, not a session, is what authorises the change. Both actions are idempotent.
"""

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from comms.models.pages import view_restrictions_for
from newsletter.models import Membership, PublicLink
from newsletter.rendering import web_context
from newsletter.services.clicks import click_record, send_link_target
from newsletter.services.subscribers import subscriber_resubscribe, subscriber_unsubscribe
from newsletter.tokens import click_key_read, unsubscribe_token_read

TEMPLATE = "newsletter/unsubscribe.html"


@login_not_required
@require_http_methods(["GET", "HEAD"])
def public_issue(request, token: str):
    """The live version of a shared issue; 404 for an unknown or revoked token, for an issue
    that is not live, and for one under a privacy restriction (Wagtail's "Privacy": an editor's
    explicit choice that sharing must not override). The page row holds the published content
    (drafts are only revisions)."""
    link = PublicLink.objects.select_related("issue").filter(token=token).first()
    if link is None or not link.issue.live or view_restrictions_for(link.issue).exists():
        raise Http404("No shared issue at this address.")
    response = render(request, "newsletter/public_issue.html", web_context(link.issue))
    # Any cache may store it (nothing personal is on it), but must ask again before each reuse:
    # "Stop sharing" takes effect at once, in browsers and proxies too.
    patch_cache_control(response, public=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex"
    return response


def _bad_token(request):
    return render(request, "newsletter/unsubscribe_invalid.html", status=400)


@login_not_required
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        subscriber_id, list_id = unsubscribe_token_read(token)
    except signing.BadSignature:
        return _bad_token(request)
    membership = (
        Membership.objects.select_related("subscriber", "mailing_list")
        .filter(subscriber_id=subscriber_id, mailing_list_id=list_id)
        .first()
    )
    if membership is None:
        return _bad_token(request)
    done = None
    if request.method == "POST":
        if request.POST.get("action") == "resubscribe":
            membership = subscriber_resubscribe(subscriber_id=subscriber_id, list_id=list_id)
            done = "resubscribed"
        else:
            membership = subscriber_unsubscribe(subscriber_id=subscriber_id, list_id=list_id)
            done = "unsubscribed"
    return render(request, TEMPLATE, {"membership": membership, "token": token, "done": done})


@login_not_required
@require_http_methods(["GET", "HEAD"])
def click(request, key: str, position: int):
    """Count the click and redirect to the recorded link at once."""
    try:
        send_id, delivery_id = click_key_read(key)
    except signing.BadSignature:
        return _bad_link(request)
    link = send_link_target(send_id=send_id, position=position)
    if link is None:
        return _bad_link(request)
    if request.method == "GET":
        click_record(send_id=send_id, delivery_id=delivery_id, link_id=link.pk)
    response = HttpResponseRedirect(link.url)
    response["Cache-Control"] = "private, no-store"  # every click reaches the portal
    response["Referrer-Policy"] = "no-referrer"  # the key stays out of the target's logs
    return response


def _bad_link(request):
    return render(request, "newsletter/click_invalid.html", status=400)

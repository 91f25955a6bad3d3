"""Public unsubscribe pages: /unsubscribe/<token>/ — no sign-in, the signed token is the key.

GET only shows a confirmation (link scanners follow links; they must not unsubscribe anyone).
POST unsubscribes, including the RFC 8058 one-click POST a mail client sends with the body
``List-Unsubscribe=One-Click`` and no CSRF token: the view is CSRF-exempt because the token in
the URL, not a session, is what authorises the change. Both actions are idempotent.
"""

from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from newsletter.models import Membership
from newsletter.services.subscribers import subscriber_resubscribe, subscriber_unsubscribe
from newsletter.tokens import unsubscribe_token_read

TEMPLATE = "newsletter/unsubscribe.html"


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

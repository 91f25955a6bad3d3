from django.contrib.auth.decorators import login_not_required
from django.views.decorators.http import require_GET

from wagtail.views import serve

FEED_PATH = "campaign/calendar.ics/"


@login_not_required
@require_GET
def calendar_feed(request):
    """/campaign/calendar.ics for calendar clients, which cannot sign in.

    Wagtail's page URLs end in a slash and sit behind the sign-in middleware, so this URL hands
    the request to the campaign page's ``calendar.ics`` route, which lets in a signed-in user
    or a valid personal feed token and nobody else.
    """
    return serve(request, FEED_PATH)

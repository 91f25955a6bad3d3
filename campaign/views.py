from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from campaign import calendar
from campaign.models import Activity
from comms.views import feed_access_refusal


@login_not_required
@require_GET
def calendar_feed(request):
    """/campaign/calendar.ics: the activities as iCalendar, for the signed-in user or a valid
    personal feed token, which calendar clients (they cannot sign in) use: the same rule as the
    blog feed (``comms.views.feed_access_refusal``). A plain view, so renaming or moving the
    campaign page does not move the feed. Personal (the token is in the address): answered
    ``Cache-Control: private, no-store`` like the page that shows it."""
    refusal = feed_access_refusal(request, copy_from="the campaign page (/campaign/)")
    if refusal is not None:
        return refusal
    response = HttpResponse(
        calendar.activities_ics(activities=Activity.objects.for_calendar()),
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="campaign.ics"'},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response

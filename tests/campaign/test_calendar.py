import datetime
import time

from django.test import Client

import pytest
from icalendar import Calendar

from campaign import pack
from comms.services.feeds import feed_token_get_or_create
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _events(body: bytes):
    calendar = Calendar.from_ical(body)
    return calendar, list(calendar.walk("VEVENT"))


def test_empty_plan_gives_a_valid_empty_feed_and_calendar(client_as, staff_user):
    pack.load()
    client = client_as(staff_user)
    response = client.get("/campaign/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar, events = _events(response.content)
    assert events == []
    assert calendar["VERSION"] == "2.0"
    page = client.get("/campaign/?month=2025-01").content.decode()
    assert "Campaign activities in January 2025: 0 activities" in page
    # Readers get the empty month, not an empty timeline (editors get a hint: test_editor_hints).
    assert "No activities are scheduled yet." not in page and 'id="timeline-heading"' not in page


def test_feed_lists_activities_as_all_day_events(client_as, staff_user):
    pack.load()
    activity = ActivityFactory(
        title="Export control drop-in",
        start_date=datetime.date(2025, 5, 6),
        end_date=datetime.date(2025, 5, 8),
        status="running",
    )
    response = client_as(staff_user).get("/campaign/calendar.ics")
    _, events = _events(response.content)
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Export control drop-in"
    assert event.decoded("DTSTART") == datetime.date(2025, 5, 6)
    assert event.decoded("DTEND") == datetime.date(2025, 5, 9)  # exclusive end
    assert str(event["UID"]).startswith(f"campaign-activity-{activity.pk}@")
    assert "Phase: Educate" in str(event["DESCRIPTION"])


def test_calendar_clients_authenticate_with_the_personal_token(staff_user):
    pack.load()
    ActivityFactory(title="Induction session")
    anonymous = Client()
    # No token and no session: a person in a browser, sent to sign in and brought back.
    refused = anonymous.get("/campaign/calendar.ics")
    assert refused.status_code == 302
    assert refused.url == "/accounts/login/?next=/campaign/calendar.ics"
    wrong = anonymous.get("/campaign/calendar.ics?token=wrong")
    assert wrong.status_code == 403
    assert "Copy your personal feed address from the campaign page" in wrong.content.decode()

    token = feed_token_get_or_create(user=staff_user).token
    response = anonymous.get(f"/campaign/calendar.ics?token={token}")
    assert response.status_code == 200
    _, events = _events(response.content)
    assert [str(e["SUMMARY"]) for e in events] == ["Induction session"]

    staff_user.is_active = False
    staff_user.save()
    assert anonymous.get(f"/campaign/calendar.ics?token={token}").status_code == 403
    # The token opens the feed, not the rest of the portal.
    assert anonymous.get(f"/campaign/?token={token}").status_code == 302


def test_the_plan_page_shows_the_readers_own_feed_address(client_as, staff_user):
    pack.load()
    html = client_as(staff_user).get("/campaign/").content.decode()
    token = staff_user.feed_token.token
    assert f"http://testserver/campaign/calendar.ics?token={token}" in html
    assert '<label for="feed-url"' in html


def test_feed_is_the_same_on_every_fetch_and_on_every_host(client_as, staff_user, settings):
    pack.load()
    activity = ActivityFactory(title="Induction session")
    client = client_as(staff_user)
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    first = client.get("/campaign/calendar.ics").content
    time.sleep(1.1)  # DTSTAMP has a resolution of one second
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.ac.uk"
    second = client.get("/campaign/calendar.ics").content
    assert first == second
    (event,) = _events(second)[1]
    assert str(event["UID"]) == f"campaign-activity-{activity.pk}@trusted-research-portal"
    activity.refresh_from_db()
    assert event.decoded("DTSTAMP") == activity.updated_at.replace(microsecond=0)

"""The campaign calendar: a month grid for the page and an iCalendar feed for clients."""

from __future__ import annotations

import calendar as pycalendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings

from icalendar import Calendar, Event

if TYPE_CHECKING:
    from campaign.models import Activity

FEED_PRODID = "-//Trusted Research portal//Campaign calendar//EN"


@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    activities: list[Activity] = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    activity_count: int

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


def month_parse(text: str | None, *, today: date) -> date:
    """The first day of the month named "YYYY-MM"; this month when missing or malformed."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def month_grid(*, first: date, activities: Iterable[Activity], today: date) -> Month:
    """Weeks (Monday first) of the month, each day with the activities running on it."""
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    days = {d: Day(d, d.month == first.month, d == today) for week in weeks for d in week}
    shown = set()
    for activity in activities:
        current = max(activity.start_date, weeks[0][0])
        last = min(activity.end_date, weeks[-1][-1])
        while current <= last:
            days[current].activities.append(activity)
            if current.month == first.month:
                shown.add(activity.pk)
            current += timedelta(days=1)
    return Month(
        first=first,
        weeks=[[days[d] for d in week] for week in weeks],
        activity_count=len(shown),
    )


def activities_ics(*, activities: Iterable[Activity], base_url: str | None = None) -> bytes:
    """An RFC 5545 calendar with one all-day event per activity; valid when there are none.
    The same activities give the same bytes on every fetch and from every host: UIDs use
    ``settings.CALENDAR_UID_DOMAIN`` and DTSTAMP is the activity's last change (RFC 5545: with
    no METHOD, DTSTAMP is when the information last changed)."""
    base_url = (base_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    cal = Calendar()
    cal.add("prodid", FEED_PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Trusted Research campaign")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for activity in activities:
        event = Event()
        event.add("uid", f"campaign-activity-{activity.pk}@{settings.CALENDAR_UID_DOMAIN}")
        event.add("summary", activity.title)
        event.add("dtstart", activity.start_date)
        # All-day events end on the day after the last day (DTEND is exclusive).
        event.add("dtend", activity.end_date + timedelta(days=1))
        changed = activity.updated_at.astimezone(UTC)
        event.add("dtstamp", changed)
        event.add("last-modified", changed)
        event.add("status", "CONFIRMED" if activity.status != "planned" else "TENTATIVE")
        event.add("categories", [activity.get_phase_display()])
        lines = [
            f"Phase: {activity.get_phase_display()}",
            f"Audience: {activity.get_audience_display()}",
            f"Channel: {activity.channel}",
            f"Owner: {activity.owner}",
            f"Status: {activity.get_status_display()}",
        ]
        if activity.description:
            lines.insert(0, activity.description + "\n")
        link = activity.link
        if link:
            event.add("url", link if "://" in link else base_url + link)
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    return cal.to_ical()

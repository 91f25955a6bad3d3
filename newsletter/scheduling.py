"""Times people type, read as Europe/London wall-clock time, stored in UTC.

At the spring clock change (last Sunday of March) 01:00–01:59 does not exist; at the autumn
change (last Sunday of October) 01:00–01:59 happens twice. Both are refused with a message
that says what to do, instead of silently guessing an hour.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError

LONDON = ZoneInfo("Europe/London")
INPUT_FORMAT = "%Y-%m-%d %H:%M"


def london_to_utc(naive: datetime) -> datetime:
    """A naive Europe/London wall-clock time as an aware UTC datetime, or ValidationError."""
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    first = naive.replace(tzinfo=LONDON, fold=0)
    second = naive.replace(tzinfo=LONDON, fold=1)
    shown = naive.strftime("%H:%M on %d %B %Y")
    if first.utcoffset() != second.utcoffset():
        # Either the wall time is skipped (spring) or repeated (autumn): a round trip tells.
        round_trip = first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None)
        if round_trip != naive:
            raise ValidationError(
                f"{shown} does not exist in UK time: the clocks go forward an hour at 01:00 "
                "that night. Choose a time before 01:00 or from 02:00.",
                code="nonexistent",
            )
        raise ValidationError(
            f"{shown} happens twice in UK time: the clocks go back an hour at 02:00 that "
            "night. Choose a time before 01:00 or from 02:00.",
            code="ambiguous",
        )
    return first.astimezone(UTC)


def parse_london_time(value: str) -> datetime:
    """Parse "YYYY-MM-DD HH:MM" (Europe/London) into an aware UTC datetime."""
    try:
        naive = datetime.strptime(value.strip(), INPUT_FORMAT)
    except ValueError:
        raise ValidationError(
            f"{value!r} is not a date and time. Use YYYY-MM-DD HH:MM, e.g. 2026-03-02 09:30 "
            "(UK time).",
            code="invalid",
        ) from None
    return london_to_utc(naive)


def format_london(moment: datetime) -> str:
    """An aware datetime as UK wall-clock time, with the zone's abbreviation (GMT/BST)."""
    return moment.astimezone(LONDON).strftime("%Y-%m-%d %H:%M %Z")


def format_london_long(moment: datetime) -> str:
    """ "Monday 2 March 2026 at 09:30": UK wall-clock time in words, for people to read."""
    local = moment.astimezone(LONDON)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def confirmation_question(*, at: datetime | None, count: int) -> str:
    """The question a comms lead confirms before a send is scheduled ("Send now to 1,240
    people?", "Send on Monday 2 March 2026 at 09:30 (UK time) to 1 person?")."""
    people = f"{count:,} {'person' if count == 1 else 'people'}"
    if at is None:
        return f"Send now to {people}?"
    return f"Send on {format_london_long(at)} (UK time) to {people}?"

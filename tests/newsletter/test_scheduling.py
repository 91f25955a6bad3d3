"""UK times across both clock changes: stored in UTC, impossible and doubled times refused."""

from datetime import UTC, datetime

from django.core.exceptions import ValidationError

import pytest

from newsletter.scheduling import format_london, parse_london_time


@pytest.mark.parametrize(
    ("typed", "utc"),
    [
        ("2026-01-15 09:00", datetime(2026, 1, 15, 9, 0, tzinfo=UTC)),  # GMT
        ("2026-07-01 09:00", datetime(2026, 7, 1, 8, 0, tzinfo=UTC)),  # BST
        ("2026-03-29 00:59", datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),  # just before spring
        ("2026-03-29 02:00", datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),  # just after
        ("2026-10-25 00:59", datetime(2026, 10, 24, 23, 59, tzinfo=UTC)),  # before autumn
        ("2026-10-25 02:00", datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),  # after
    ],
)
def test_uk_time_is_stored_in_utc(typed, utc):
    assert parse_london_time(typed) == utc


def test_time_skipped_in_spring_is_refused():
    with pytest.raises(ValidationError) as error:
        parse_london_time("2026-03-29 01:30")
    assert "does not exist in UK time" in error.value.messages[0]
    assert "clocks go forward" in error.value.messages[0]


def test_time_repeated_in_autumn_is_refused():
    with pytest.raises(ValidationError) as error:
        parse_london_time("2026-10-25 01:15")
    assert "happens twice in UK time" in error.value.messages[0]


def test_malformed_time_says_the_format():
    with pytest.raises(ValidationError) as error:
        parse_london_time("next tuesday")
    assert "YYYY-MM-DD HH:MM" in error.value.messages[0]


def test_shown_in_uk_time():
    assert format_london(datetime(2026, 7, 1, 8, 0, tzinfo=UTC)) == "2026-07-01 09:00 BST"
    assert format_london(datetime(2026, 1, 1, 8, 0, tzinfo=UTC)) == "2026-01-01 08:00 GMT"

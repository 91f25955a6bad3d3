from datetime import date, timedelta

import pytest

from stats.selectors import statistic_of_the_day, statistics_stale
from tests.factories import StatisticFactory

pytestmark = pytest.mark.django_db


def test_stale_means_past_the_review_by_date():
    today = date(2025, 6, 1)
    past = StatisticFactory(as_of=date(2024, 1, 1), review_by=today - timedelta(days=1))
    StatisticFactory(as_of=date(2024, 1, 1), review_by=today)
    assert list(statistics_stale(today=today)) == [past]


def test_statistic_of_the_day_is_current_and_stable_within_a_day():
    today = date(2025, 6, 1)
    StatisticFactory(as_of=date(2024, 1, 1), review_by=today - timedelta(days=1))
    current = StatisticFactory(as_of=date(2024, 1, 1), review_by=today + timedelta(days=9))
    assert statistic_of_the_day(today=today) == current

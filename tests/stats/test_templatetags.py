import pytest

from stats.templatetags.stats_tags import figure

pytestmark = pytest.mark.django_db


def test_home_page_shows_a_statistic_of_the_day(stats_pack, client_as, staff_user):
    html = client_as(staff_user).get("/").content.decode()
    assert "Source: " in html and 'class="lead-figure' in html


def test_figure_filter_writes_numbers_as_readers_do():
    from decimal import Decimal

    assert figure(Decimal("1234.00")) == "1,234"
    assert figure(Decimal("12.50")) == "12.5"

from decimal import Decimal

from django import template

from stats.selectors import statistic_of_the_day

register = template.Library()


@register.inclusion_tag("stats/includes/statistic_of_the_day.html")
def statistic_of_the_day_card():
    """A different current statistic each day, for the home page."""
    return {"statistic": statistic_of_the_day()}


@register.filter
def figure(value) -> str:
    """A Decimal as readers write it: 1,234 or 12.5 (no trailing zeros, no exponent)."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"

"""Server-rendered SVG bar charts: 'Trusted Research in numbers' and daily engagement figures.

The chart is decoration for sighted readers; the data table beside it carries the same
figures for screen readers, so the SVG is one labelled image (role="img").
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString

from stats.models import MetricSeries

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 48
BAR_COLOUR = "#1d4f91"  # 8.6:1 on white
LATEST_COLOUR = "#0b2545"
TEXT_COLOUR = "#212529"
MAX_PERIODS = 12


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}" if value != value.to_integral() else f"{int(value):,}"


def _frame(*, chart_id: str, title: str, top: str) -> list[SafeString]:
    """The opening of a chart: the labelled SVG, its base line and the top and 0 of its scale."""
    plot_h = HEIGHT - TOP - BOTTOM
    return [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="{}-title" class="metric-chart" preserveAspectRatio="xMidYMid meet">'
            '<title id="{}-title">{}</title>',
            WIDTH,
            HEIGHT,
            chart_id,
            chart_id,
            title,
        ),
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
            LEFT,
            TOP + plot_h,
            WIDTH - RIGHT,
            TOP + plot_h,
            TEXT_COLOUR,
        ),
        format_html(
            '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="end">{}</text>'
            '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="end">0</text>',
            LEFT - 6,
            TOP + 10,
            TEXT_COLOUR,
            top,
            LEFT - 6,
            TOP + plot_h,
            TEXT_COLOUR,
        ),
    ]


def metric_chart_svg(series: MetricSeries, *, chart_id: str) -> SafeString:
    """A bar per period (the last twelve), latest bar darker, value above each bar."""
    values = series.values[-MAX_PERIODS:]
    count = len(values)
    title = f"{series.metric.name}: the last {count} period{'' if count == 1 else 's'}"
    if not values:
        return SafeString("")
    top = max(max(v.value for v in values), Decimal(0)) or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(values)
    bar_w = min(56.0, slot * 0.7)
    parts = [*_frame(chart_id=chart_id, title=title, top=_number(top))]
    for index, value in enumerate(values):
        height = float(max(value.value, Decimal(0)) / top) * plot_h
        x = LEFT + index * slot + (slot - bar_w) / 2
        y = TOP + plot_h - height
        colour = LATEST_COLOUR if index == len(values) - 1 else BAR_COLOUR
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="middle">{}</text>'
                '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="middle">{}</text>',
                f"{x:.1f}",
                f"{y:.1f}",
                f"{bar_w:.1f}",
                f"{height:.1f}",
                colour,
                f"{x + bar_w / 2:.1f}",
                f"{y - 4:.1f}",
                TEXT_COLOUR,
                _number(value.value),
                f"{x + bar_w / 2:.1f}",
                HEIGHT - BOTTOM + 18,
                TEXT_COLOUR,
                value.label,
            )
        )
    parts.append(SafeString("</svg>"))
    return SafeString("".join(parts))


@dataclass(frozen=True)
class DailySeries:
    """One figure per day, drawn as one bar of each day's group."""

    name: str
    values: list[int]
    colour: str


def daily_chart_svg(
    *, chart_id: str, title: str, days: list[date], series: list[DailySeries]
) -> SafeString:
    """Bars per day, one per series side by side (a legend names them), every few days
    labelled. Decoration for sighted readers, like ``metric_chart_svg``: the page gives the same
    figures as a table."""
    if not days:
        return SafeString("")
    top = max([max(s.values, default=0) for s in series] + [0]) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / len(days)
    bar_w = min(24.0, slot * 0.8 / len(series))
    every = max(1, round(len(days) / 8))  # at most about eight date labels
    parts = [*_frame(chart_id=chart_id, title=title, top=f"{top:,}")]
    for index, day in enumerate(days):
        group_x = LEFT + index * slot + (slot - bar_w * len(series)) / 2
        for number, one in enumerate(series):
            height = max(one.values[index], 0) / top * plot_h
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    f"{group_x + number * bar_w:.1f}",
                    f"{TOP + plot_h - height:.1f}",
                    f"{bar_w:.1f}",
                    f"{height:.1f}",
                    one.colour,
                )
            )
        if index % every == 0:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="middle">{}</text>',
                    f"{LEFT + index * slot + slot / 2:.1f}",
                    HEIGHT - BOTTOM + 18,
                    TEXT_COLOUR,
                    f"{day.day} {day:%b}",
                )
            )
    for number, one in enumerate(series):
        x = LEFT + number * 160
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                x,
                HEIGHT - 18,
                one.colour,
                x + 18,
                HEIGHT - 8,
                TEXT_COLOUR,
                one.name,
            )
        )
    parts.append(SafeString("</svg>"))
    return SafeString("".join(parts))

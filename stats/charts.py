"""Server-rendered SVG bar charts for 'Trusted Research in numbers'.

The chart is decoration for sighted readers; the data table beside it carries the same
figures for screen readers, so the SVG is one labelled image (role="img").
"""

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
    parts = [
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
            _number(top),
            LEFT - 6,
            TOP + plot_h,
            TEXT_COLOUR,
        ),
    ]
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

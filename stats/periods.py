"""Periods of 'Trusted Research in numbers': a month ("2024-03") or a quarter ("2024-Q1").

A period is stored as its first day plus its kind; forms and CSV files use the labels.
"""

import re
from datetime import date

MONTH = "month"
QUARTER = "quarter"
PERIOD_FORMAT_HELP = 'a month as YYYY-MM (e.g. "2024-03") or a quarter as YYYY-Qn (e.g. "2024-Q1")'

_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER_RE = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)


def period_parse(text: str) -> tuple[date, str]:
    """Return (first day, kind) for a period label; ValueError with a reader's message if bad."""
    text = (text or "").strip()
    if match := _QUARTER_RE.match(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        return date(year, 3 * (quarter - 1) + 1, 1), QUARTER
    if match := _MONTH_RE.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and year >= 1900:
            return date(year, month, 1), MONTH
    raise ValueError(f"“{text}” is not a period; write {PERIOD_FORMAT_HELP}.")


def period_label(period: date, kind: str) -> str:
    """'2024-03' for a month, '2024-Q1' for a quarter: the format of forms and CSV files."""
    if kind == QUARTER:
        return f"{period.year}-Q{(period.month - 1) // 3 + 1}"
    return f"{period.year}-{period.month:02d}"


def period_display(period: date, kind: str) -> str:
    """'March 2024' or 'Q1 2024': how readers see a period."""
    if kind == QUARTER:
        return f"Q{(period.month - 1) // 3 + 1} {period.year}"
    return period.strftime("%B %Y")

"""Recording 'Trusted Research in numbers': a period's figures from the form, or a CSV file."""

import csv
import io
import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from comms.csvutils import csv_render, csv_unescape
from stats.models import Metric, MetricValue
from stats.periods import period_label, period_parse
from stats.selectors import metric_values_for_export

logger = logging.getLogger(__name__)

CSV_HEADER = ["period", "metric", "value", "note"]
MAX_VALUE = Decimal("999999999999.99")


class MetricImportError(Exception):
    """A CSV file that was not imported, with one message per bad line."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class PeriodEntry:
    metric: Metric
    value: Decimal | None
    note: str = ""


def value_parse(text: str) -> Decimal:
    """A figure from a form or CSV cell ("1,234", "12.5"); ValueError with a reader's message."""
    cleaned = (text or "").strip().replace(",", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"value “{text}” is not a number; write digits, e.g. 12 or 4.5") from None
    if not value.is_finite():
        raise ValueError(f"value “{text}” is not a number; write digits, e.g. 12 or 4.5")
    if value.as_tuple().exponent < -2:
        raise ValueError(f"value “{text}” has more than 2 decimal places")
    if abs(value) > MAX_VALUE:
        raise ValueError(f"value “{text}” is too large")
    return value


@transaction.atomic
def metric_values_save_period(
    *, period: date, period_kind: str, entries: list[PeriodEntry], user
) -> dict[str, int]:
    """Record every metric's figure for one period, in one transaction.

    A figure creates or replaces that metric's value for the period; an empty figure removes
    the value the period had. Returns counts of saved and removed values.
    """
    saved = removed = 0
    for entry in entries:
        if entry.value is None:
            removed += MetricValue.objects.filter(metric=entry.metric, period=period).delete()[0]
            continue
        MetricValue.objects.update_or_create(
            metric=entry.metric,
            period=period,
            defaults={
                "period_kind": period_kind,
                "value": entry.value,
                "note": entry.note,
                "entered_by": user,
            },
        )
        saved += 1
    logger.info(
        "Metric figures for %s saved by user %s: %d saved, %d removed",
        period_label(period, period_kind),
        getattr(user, "pk", None),
        saved,
        removed,
    )
    return {"saved": saved, "removed": removed}


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MetricImportError(
            [
                f"Line {line}: the file is not UTF-8 text. Save it from your spreadsheet as "
                "“CSV UTF-8” and upload it again."
            ]
        ) from None


def metric_values_import_csv(*, data: bytes, user) -> dict[str, int]:
    """Import ``period,metric,value,note`` rows: all of them, or none.

    Every bad row is reported by line number (unknown metric, value not a number, bad period,
    the same metric and period twice in the file, a period already recorded as a different
    kind); if there is any, ``MetricImportError`` lists them all and nothing is saved. Rows for
    a metric and period that already have a value replace it.
    """
    text = _decode(data)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise MetricImportError(
            ["Line 1: the file is empty; the first line must be period,metric,value,note."]
        )
    header = [cell.strip().lower() for cell in rows[0]]
    if header != CSV_HEADER:
        raise MetricImportError(
            [f"Line 1: the header must be “period,metric,value,note”; found “{','.join(rows[0])}”."]
        )
    metrics = {m.slug: m for m in Metric.objects.all()}
    by_name = {m.name.lower(): m for m in metrics.values()}
    existing_kinds = {
        (v.metric_id, v.period): v.period_kind
        for v in MetricValue.objects.only("metric_id", "period", "period_kind")
    }
    errors: list[str] = []
    seen: dict[tuple[int, date], int] = {}
    parsed: list[tuple[Metric, date, str, Decimal, str]] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) not in (3, 4):
            errors.append(
                f"Line {line}: expected 4 columns (period,metric,value,note); found {len(row)}."
            )
            continue
        period_text, metric_text, value_text = (csv_unescape(c).strip() for c in row[:3])
        note = csv_unescape(row[3]).strip() if len(row) == 4 else ""
        problems = []
        metric = metrics.get(metric_text) or by_name.get(metric_text.lower())
        if metric is None:
            problems.append(
                f"unknown metric “{metric_text}” (use one of: {', '.join(sorted(metrics))})"
            )
        try:
            period, kind = period_parse(period_text)
        except ValueError as exc:
            problems.append(str(exc).rstrip("."))
            period = kind = None
        try:
            value = value_parse(value_text)
        except ValueError as exc:
            problems.append(str(exc))
            value = None
        if len(note) > 500:
            problems.append("note is longer than 500 characters")
        if metric and period:
            key = (metric.pk, period)
            if key in seen:
                problems.append(f"{metric.slug} for {period_text} is already on line {seen[key]}")
            else:
                seen[key] = line
            recorded = existing_kinds.get(key)
            if recorded and recorded != kind:
                problems.append(
                    f"{metric.slug} already has a {recorded} figure starting "
                    f"{period:%d %B %Y}; enter it as a {recorded}"
                )
        if problems:
            errors.append(f"Line {line}: " + "; ".join(problems) + ".")
        else:
            parsed.append((metric, period, kind, value, note))
    if errors:
        raise MetricImportError(errors)
    if not parsed:
        raise MetricImportError(["The file has a header but no rows to import."])
    created = updated = 0
    with transaction.atomic():
        for metric, period, kind, value, note in parsed:
            _, was_created = MetricValue.objects.update_or_create(
                metric=metric,
                period=period,
                defaults={"period_kind": kind, "value": value, "note": note, "entered_by": user},
            )
            created += was_created
            updated += not was_created
    logger.info(
        "Imported metric CSV by user %s: %d created, %d updated",
        getattr(user, "pk", None),
        created,
        updated,
    )
    return {"created": created, "updated": updated}


def metric_values_export_csv() -> str:
    """Every recorded value as ``period,metric,value,note`` (the import format), escaped
    against CSV injection."""
    rows = (
        (value.label, value.metric.slug, value.value.normalize(), value.note)
        for value in metric_values_for_export()
    )
    return csv_render(CSV_HEADER, rows)

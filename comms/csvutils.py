"""CSV helpers every CSV the portal writes or reads shares: our exports, Wagtail's exports, imports.

Two rules for every cell written:

- **Quoted.** Every cell is in double quotes (``csv.QUOTE_ALL``), so a ``;`` or a comma in a
  cell never splits it, whether the spreadsheet splits on commas or, as in many European
  locales, on semicolons.
- **Formulas neutralised** (CSV injection, OWASP). Spreadsheets run a cell that starts with
  ``=``, ``+``, ``-``, ``@``, tab or carriage return (or the full-width ``＝ ＋ － ＠`` some
  locales also read) as a formula, even when it is quoted; such a cell gets a leading
  apostrophe, so it shows as the text it is. A number the code writes *as a number* (an
  ``int``, a finite ``float`` or ``Decimal``: a negative figure, say) is written plainly, so it
  stays a number the spreadsheet can add up; the same characters as text (a name, a note)
  are neutralised. Imports undo the apostrophe with ``csv_unescape``, so a file exported here
  imports back unchanged.

``csv_render`` writes a whole document; ``csv_writer`` wraps a file for streaming; Wagtail's
``list_export`` views and reports use the same writer (``wagtail_csv_stream``, installed on
Wagtail's ``SpreadsheetExportMixin`` by ``comms.apps``).
"""

import csv
import io
import math
from collections.abc import Iterable, Iterator
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def csv_escape(value: object) -> str:
    """The cell as text: numbers as numbers, text with a leading apostrophe if a spreadsheet
    would run it."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        if isinstance(value, Decimal) and value.is_finite():
            return format(value, "f")
        if isinstance(value, int) or math.isfinite(value):
            return str(value)
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_unescape(text: str) -> str:
    """Undo ``csv_escape``: drop the apostrophe it put before a formula character."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


class _EscapingWriter:
    """A ``csv.writer`` that quotes every cell and escapes each one with ``csv_escape``."""

    def __init__(self, file):
        self._writer = csv.writer(file, quoting=csv.QUOTE_ALL, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]):
        return self._writer.writerow([csv_escape(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(file) -> _EscapingWriter:
    """The one CSV writer: every cell quoted and escaped. ``file`` has a ``write`` method; the
    writer's ``writerow`` returns what ``file.write`` returned (for streaming)."""
    return _EscapingWriter(file)


def csv_render(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A whole CSV document (header first), every cell quoted and escaped."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def wagtail_csv_stream(self, queryset) -> Iterator[bytes]:
    """``SpreadsheetExportMixin.stream_csv`` with our writer: the same headings and
    preprocessed values as Wagtail's, each cell quoted and escaped.

    Wagtail writes its CSV cells raw (its XLSX export already refuses formulas). Installed on
    the mixin itself (``comms.apps``) so that every Wagtail export, our view sets' and
    Wagtail's own reports (site history, aging pages…), follows the rule.
    """
    from wagtail.admin.views.mixins import Echo

    writer = csv_writer(Echo())
    yield writer.writerow(self.get_heading(queryset, field) for field in self.list_export)
    for item in queryset:
        row = self.to_row_dict(item)
        yield writer.writerow(
            self.preprocess_field_value(field, value, self.FORMAT_CSV)
            for field, value in row.items()
        )

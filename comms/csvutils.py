"""CSV helpers every app's exports and imports share.

Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return as a
formula (CSV injection, OWASP). Exports pass every cell through ``csv_escape``; imports undo it
with ``csv_unescape`` so a file exported here imports back unchanged.
"""

import csv
import io
from collections.abc import Iterable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_escape(value: object) -> str:
    """The cell as text, with a leading apostrophe if a spreadsheet would run it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_unescape(text: str) -> str:
    """Undo ``csv_escape``: drop the apostrophe it put before a formula character."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def csv_render(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    """A whole CSV document (header first), every cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_escape(cell) for cell in header])
    for row in rows:
        writer.writerow([csv_escape(cell) for cell in row])
    return buffer.getvalue()

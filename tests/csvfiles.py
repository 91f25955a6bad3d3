"""Reading a downloaded CSV as a spreadsheet would, for the export tests."""

import csv
import io


def quoted_csv_rows(raw: bytes) -> list[list[str]]:
    """The rows of a downloaded CSV, after checking in the raw text that every cell is quoted
    and that no ``;`` lies outside quotes (where a spreadsheet set to split on ``;``, as in many
    European locales, would cut the cell in two)."""
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    requoted = io.StringIO()
    csv.writer(requoted, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    assert text == requoted.getvalue(), f"not every cell is quoted:\n{text[:500]}"
    inside = False
    for char in text:
        if char == '"':
            inside = not inside
        assert inside or char != ";", f"a ';' outside quotes:\n{text[:500]}"
    return rows

"""The one placeholder engine: ``[insert …]`` fields in rich text, plain text and StreamFields.

Blogs, the campaign text and newsletter issues all use it; the rules for reading a bracket are
documented in ``engine``.
"""

from .engine import Kind, Occurrence, Placeholder, Problem, Scan, normalise, scan_html, scan_text
from .fill import fill_html, fill_text
from .prefill import prefill_values
from .stream import (
    fill_stream,
    scan_fields,
    scan_stream,
    scan_stream_blocks,
    scan_value,
    scan_value_blocks,
)

__all__ = [
    "Kind",
    "Occurrence",
    "Placeholder",
    "Problem",
    "Scan",
    "fill_html",
    "fill_stream",
    "fill_text",
    "normalise",
    "prefill_values",
    "scan_fields",
    "scan_html",
    "scan_stream",
    "scan_stream_blocks",
    "scan_text",
    "scan_value",
    "scan_value_blocks",
]

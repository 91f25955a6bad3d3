"""Placeholders in StreamField values and model fields: one walker for finding and filling."""

from collections.abc import Callable
from dataclasses import replace

from django.db import models

from wagtail import blocks
from wagtail.fields import RichTextField, StreamField

from .engine import Scan, scan_html, scan_text
from .fill import fill_html, fill_text

TextFunction = Callable[[str, str, str], str]  # (kind "html" | "text", value, location) -> value


def _block_location(location: str, number: int, child) -> str:
    return f"{location}, block {number} ({child.label})"


def _walk(block, raw, location: str, function: TextFunction):
    """``raw`` (a block's JSON value) with ``function`` applied to every text it holds."""
    if isinstance(block, blocks.RichTextBlock):
        return function("html", raw or "", location)
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock)):
        return function("text", raw or "", location)
    if isinstance(block, blocks.StreamBlock):
        walked = []
        for number, item in enumerate(raw or [], start=1):
            child = block.child_blocks.get(item.get("type"))
            if child is None:
                walked.append(item)
                continue
            label = _block_location(location, number, child)
            walked.append({**item, "value": _walk(child, item.get("value"), label, function)})
        return walked
    if isinstance(block, blocks.StructBlock):
        walked = dict(raw or {})
        for name, child in block.child_blocks.items():
            if name in walked:
                walked[name] = _walk(child, walked[name], f"{location} › {child.label}", function)
        return walked
    if isinstance(block, blocks.ListBlock):
        walked = []
        for number, item in enumerate(raw or [], start=1):
            label = f"{location} › item {number}"
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
                value = _walk(block.child_block, item["value"], label, function)
                walked.append({**item, "value": value})
            else:
                walked.append(_walk(block.child_block, item, label, function))
        return walked
    return raw


def _raw(stream_value) -> list:
    return list(stream_value.get_prep_value()) if stream_value is not None else []


def _scan_block(block, raw, location: str) -> Scan:
    found = Scan()

    def collect(kind: str, text: str, where: str) -> str:
        scan = scan_html(text) if kind == "html" else scan_text(text)
        found.occurrences.extend(replace(o, location=where) for o in scan.occurrences)
        found.problems.extend(replace(p, location=where) for p in scan.problems)
        return text

    _walk(block, raw, location, collect)
    return found


def scan_stream(stream_block, raw: list, location: str) -> Scan:
    """Every placeholder in a StreamField's JSON value, each located ("Body, block 2 (…)")."""
    return _scan_block(stream_block, raw, location)


def scan_stream_blocks(stream_block, raw: list, location: str) -> dict[int, Scan]:
    """The same scan, per top-level block: ``{index: Scan}`` (0-based, as Wagtail's
    ``StreamBlockValidationError.block_errors`` counts) for each block that holds a
    placeholder or an unreadable bracket; located exactly as ``scan_stream`` locates them."""
    per_block = {}
    for index, item in enumerate(raw or []):
        child = stream_block.child_blocks.get(item.get("type"))
        if child is None:
            continue
        found = _scan_block(child, item.get("value"), _block_location(location, index + 1, child))
        if found:
            per_block[index] = found
    return per_block


def fill_stream(stream_block, raw: list, values: dict) -> list:
    """A StreamField JSON value with the placeholders in ``values`` filled (see ``fill_html``)."""

    def fill(kind: str, text: str, where: str) -> str:
        return fill_html(text, values) if kind == "html" else fill_text(text, values)

    return _walk(stream_block, raw, "", fill)


def scan_value(field: models.Field, value, label: str) -> Scan:
    """Placeholders in one model field's value (StreamField, rich text or plain text)."""
    if isinstance(field, StreamField):
        raw = value if isinstance(value, list) else _raw(value)
        return scan_stream(field.stream_block, raw, label)
    text = str(value or "")
    scan = scan_html(text) if isinstance(field, RichTextField) else scan_text(text)
    scan.occurrences[:] = [replace(o, location=label) for o in scan.occurrences]
    scan.problems[:] = [replace(p, location=label) for p in scan.problems]
    return scan


def scan_value_blocks(field: models.Field, value, label: str) -> dict[int, Scan]:
    """For a StreamField, ``scan_stream_blocks`` of its value; other fields have no blocks."""
    if not isinstance(field, StreamField):
        return {}
    raw = value if isinstance(value, list) else _raw(value)
    return scan_stream_blocks(field.stream_block, raw, label)


def scan_fields(instance: models.Model, field_names) -> Scan:
    """Placeholders in the named fields of a model instance (a page, a snippet)."""
    found = Scan()
    for name in field_names:
        field = instance._meta.get_field(name)
        found.extend(
            scan_value(field, getattr(instance, name), str(field.verbose_name).capitalize())
        )
    return found

"""Filling placeholders: values in, escaped, with the markup around them kept tidy.

See ``engine`` for how brackets are read. Values are escaped and inserted as text, never as
markup; a bold wrapper around a filled placeholder is removed, so the post does not keep the
template's highlighting.
"""

import html
import re

from .engine import (
    BLOCK_TAGS,
    OPTIONAL_MARKER,
    Kind,
    _tag_info,
    _Token,
    _tokenise,
    scan_html,
)

_START, _END = "\ue000", "\ue001"  # mark inserted values while tidying the markup around them


def _replace_range(tokens: list[_Token], start: int, end: int, replacement: str) -> list[_Token]:
    """Replace visible text ``[start, end)`` with ``replacement`` (HTML), keeping the markup
    around it. Paragraph breaks inside the range are joined when they balance."""
    inside = [token for token in tokens if token.is_tag and start < token.pos < end]
    blocks = [token for token in inside if _tag_info(token.value)[1] in BLOCK_TAGS]
    closing = [token for token in blocks if _tag_info(token.value)[0]]
    drop_tags = set()
    if len(closing) * 2 == len(blocks):
        drop_tags = {id(token) for token in blocks}
    result = []
    inserted = False
    for token in tokens:
        if token.is_tag:
            if id(token) not in drop_tags:
                result.append(token)
            continue
        token_start, token_end = token.pos, token.pos + len(token.value)
        if token_end <= start or token_start >= end:
            result.append(token)
            continue
        before = token.value[: max(0, start - token_start)]
        after = token.value[max(0, end - token_start) :] if end < token_end else ""
        value = before
        if not inserted and token_start <= start:
            value += replacement
            inserted = True
        value += after
        result.append(_Token(value, False, value, token_start))
    return result


def _render(tokens: list[_Token]) -> str:
    return "".join(token.value for token in tokens)


def _tidy(source: str) -> str:
    source = re.sub(
        rf"<(b|strong)>{_START}([^{_END}]*){_END}([.,;:!?]?)</\1>", rf"{_START}\2{_END}\3", source
    )
    source = re.sub(r"<(b|strong|i|em)>(\s*)</\1>", r"\2", source)
    source = re.sub(r"<p\b[^>]*>\s*</p>", "", source)
    return source.replace(_START, "").replace(_END, "")


def _as_text(value: str) -> str:
    return _START + html.escape(re.sub(r"\s+", " ", value).strip(), quote=False) + _END


def _apply_optional(source: str, values: dict) -> str:
    tokens, _ = _tokenise(source)
    for occurrence in reversed(scan_html(source).occurrences):
        if occurrence.placeholder.kind is not Kind.OPTIONAL:
            continue
        decision = values.get(occurrence.placeholder.key)
        if decision is None:
            continue
        if decision:
            text = "".join(token.visible for token in tokens)
            marker = OPTIONAL_MARKER.match(text, occurrence.start)
            tokens = _replace_range(tokens, occurrence.start, marker.end(), "")
        else:
            tokens = _drop_block(tokens, occurrence.start)
        tokens, _ = _tokenise(_render(tokens))
    return _render(tokens)


def _drop_block(tokens: list[_Token], pos: int) -> list[_Token]:
    """Remove the block element (paragraph, list item…) that holds visible position ``pos``."""
    first = next(i for i, t in enumerate(tokens) if not t.is_tag and t.pos + len(t.value) > pos)
    open_index = next(
        (
            i
            for i in range(first, -1, -1)
            if tokens[i].is_tag
            and _tag_info(tokens[i].value)[1] in BLOCK_TAGS
            and not _tag_info(tokens[i].value)[0]
        ),
        None,
    )
    close_index = next(
        (
            i
            for i in range(first, len(tokens))
            if tokens[i].is_tag
            and _tag_info(tokens[i].value)[1] in BLOCK_TAGS
            and _tag_info(tokens[i].value)[0]
        ),
        None,
    )
    if open_index is None or close_index is None:
        return tokens
    return tokens[:open_index] + tokens[close_index + 1 :]


def fill_html(source: str, values: dict) -> str:
    """``source`` with the placeholders whose key is in ``values`` filled.

    ``values`` maps placeholder keys to: a string (the text to insert; for an "or" alternative
    the empty string keeps the default wording; for alternatives, one of them, filled with the
    continuation they share, and any other value leaves the bracket in place), or for optional
    paragraphs ``True`` (keep) / ``False`` (drop). Keys absent or empty strings leave a
    placeholder in place, still marked.
    """
    source = _apply_optional(source or "", values)
    tokens, _ = _tokenise(source)
    for occurrence in reversed(scan_html(source).occurrences):
        placeholder = occurrence.placeholder
        if placeholder.key not in values or placeholder.kind is Kind.OPTIONAL:
            continue
        value = values[placeholder.key]
        value = "" if value is None else str(value).strip()
        if placeholder.kind is Kind.OR:
            has_default = occurrence.default_start is not None and placeholder.default
            if value:
                start = occurrence.default_start if has_default else occurrence.start
                tokens = _replace_range(tokens, start, occurrence.end, _as_text(value))
            elif has_default:
                tokens = _replace_range(tokens, occurrence.default_end, occurrence.end, "")
            else:
                tokens = _replace_range(tokens, occurrence.start, occurrence.end, "")
        elif placeholder.kind is Kind.CHOICE:
            filled = placeholder.filled_choice(value)
            if filled:
                tokens = _replace_range(tokens, occurrence.start, occurrence.end, _as_text(filled))
        elif value:
            tokens = _replace_range(tokens, occurrence.start, occurrence.end, _as_text(value))
    return _tidy(_render(tokens))


def fill_text(text: str, values: dict) -> str:
    return html.unescape(fill_html(html.escape(text or "", quote=False), values))

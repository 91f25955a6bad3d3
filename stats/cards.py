"""Share cards: a statistic as a 1200×675 PNG (16:9, fits slides and social posts).

Drawn with Pillow's built-in scalable font, so no system fonts are needed. Cards are cached
by a hash of what they show: an edit to the statistic gives a new card, never a stale one.
"""

import hashlib
import io
import logging

from django.core.cache import cache

from PIL import Image, ImageDraw, ImageFont

from stats.models import Statistic

logger = logging.getLogger(__name__)

CARD_SIZE = (1200, 675)
CARD_VERSION = "1"
CACHE_SECONDS = 60 * 60 * 24 * 30
NAVY = (11, 37, 69)
WHITE = (255, 255, 255)
GOLD = (255, 191, 71)
PALE = (214, 224, 240)
MARGIN = 72


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


# Pillow's built-in font has no glyphs for typographic punctuation; draw plain equivalents.
_PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def card_lines(statistic: Statistic) -> dict[str, str]:
    """What a card shows, as text (also the basis of its cache key and alt text)."""
    source = statistic.source
    source_line = f"Source: {source.publisher}, {source.title}"
    if source.year:
        source_line += f" ({source.year})"
    return {
        "figure": statistic.figure,
        "claim": statistic.claim,
        "source": source_line,
        "attribution": statistic.attribution,
    }


def card_alt_text(statistic: Statistic) -> str:
    lines = card_lines(statistic)
    return f"Share card: {lines['figure']}. {lines['claim']} {lines['source']}."


def _render(lines: dict[str, str]) -> bytes:
    lines = {key: value.translate(_PLAIN) for key, value in lines.items()}
    image = Image.new("RGB", CARD_SIZE, NAVY)
    draw = ImageDraw.Draw(image)
    width = CARD_SIZE[0] - 2 * MARGIN
    draw.rectangle([0, 0, 16, CARD_SIZE[1]], fill=GOLD)
    figure_font = _font(150)
    while draw.textlength(lines["figure"], font=figure_font) > width and figure_font.size > 60:
        figure_font = _font(figure_font.size - 10)
    draw.text((MARGIN, 48), lines["figure"], font=figure_font, fill=GOLD)
    y = 48 + figure_font.size + 36
    claim_size = 44
    claim_font = _font(claim_size)
    claim = _wrap(draw, lines["claim"], claim_font, width)
    while len(claim) * claim_size * 1.25 > CARD_SIZE[1] - y - 130 and claim_size > 24:
        claim_size -= 4
        claim_font = _font(claim_size)
        claim = _wrap(draw, lines["claim"], claim_font, width)
    for line in claim:
        draw.text((MARGIN, y), line, font=claim_font, fill=WHITE)
        y += int(claim_size * 1.25)
    small = _font(24)
    footer = _wrap(draw, lines["source"], small, width)[:2]
    if lines["attribution"]:
        footer += _wrap(draw, lines["attribution"], _font(20), width)[:1]
    y = CARD_SIZE[1] - 40 - 32 * len(footer)
    for number, line in enumerate(footer):
        font = small if number < len(footer) - (1 if lines["attribution"] else 0) else _font(20)
        draw.text((MARGIN, y), line, font=font, fill=PALE)
        y += 32
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def card_png(statistic: Statistic) -> tuple[bytes, str]:
    """The card's PNG bytes and its content hash (usable as an ETag). Cached by content."""
    lines = card_lines(statistic)
    digest = hashlib.sha256(
        (CARD_VERSION + "\x00" + "\x00".join(lines.values())).encode("utf-8")
    ).hexdigest()
    key = f"stats-card-{digest}"
    png = cache.get(key)
    if png is None:
        png = _render(lines)
        cache.set(key, png, CACHE_SECONDS)
        logger.info("Rendered share card for statistic %s (%d bytes)", statistic.pk, len(png))
    return png, digest

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
CARD_VERSION = "2"
CACHE_SECONDS = 60 * 60 * 24 * 30
NAVY = (11, 37, 69)
WHITE = (255, 255, 255)
GOLD = (255, 191, 71)
PALE = (214, 224, 240)
MARGIN = 72
FIGURE_MIN = 24
CLAIM_MIN = 24
# More text than a card can show at its smallest type (the model caps claims at 400
# characters): only this much is ever measured, whatever a row holds.
MAX_TEXT_CHARS = 2000


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


# Pillow's built-in font has no glyphs for typographic punctuation; draw plain equivalents.
_PLAIN = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "..."})


def _fit_prefix(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> int:
    """How many leading characters of ``text`` fit in ``width`` (at least one): a binary
    search, so a long unbroken word costs a few measurements, not one per character."""
    low, high = 1, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if draw.textlength(text[:middle], font=font) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int
) -> tuple[list[str], bool]:
    """``text`` in lines no wider than ``width``, at most ``max_lines`` of them, and whether
    text was left over. Stops measuring once the lines are full, and breaks a word wider than
    the card, so the work is bounded by what fits on a card, not by the length of the text."""
    # No glyph of the font is narrower than 3 px at the sizes used: a longer string cannot fit,
    # so nothing longer is ever measured.
    most = width // 3

    def fits(candidate: str) -> bool:
        return len(candidate) <= most and draw.textlength(candidate, font=font) <= width

    lines: list[str] = []
    line = ""
    for word in text[:MAX_TEXT_CHARS].split():
        candidate = f"{line} {word}" if line else word
        if fits(candidate):
            line = candidate
            continue
        if line:
            lines.append(line)
            line = ""
        while not fits(word):
            if len(lines) == max_lines:
                return lines, True
            cut = _fit_prefix(draw, word[:most], font, width)
            lines.append(word[:cut])
            word = word[cut:]
        if len(lines) == max_lines:
            return lines, True
        line = word
    if line:
        if len(lines) == max_lines:
            return lines, True
        lines.append(line)
    return lines, len(text) > MAX_TEXT_CHARS


def _ellipsis(draw: ImageDraw.ImageDraw, line: str, font, width: int) -> str:
    """``line`` shortened to end in "..." within ``width``."""
    room = width - draw.textlength("...", font=font)
    line = line[: width // 3]
    if draw.textlength(line, font=font) > room:
        line = line[: _fit_prefix(draw, line, font, room)]
    return line.rstrip() + "..."


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
    figure = lines["figure"][: width // 3]
    while draw.textlength(figure, font=figure_font) > width and figure_font.size > FIGURE_MIN:
        figure_font = _font(max(FIGURE_MIN, figure_font.size - 10))
    if draw.textlength(figure, font=figure_font) > width:
        figure = _ellipsis(draw, figure, figure_font, width)
    draw.text((MARGIN, 48), figure, font=figure_font, fill=GOLD)
    y = 48 + figure_font.size + 36
    # The largest claim size at which the whole claim fits above the footer; at the smallest,
    # what does not fit ends in "...".
    for claim_size in range(44, CLAIM_MIN - 1, -4):
        claim_font = _font(claim_size)
        max_lines = max(1, int((CARD_SIZE[1] - y - 130) // (claim_size * 1.25)))
        claim, cut = _wrap(draw, lines["claim"], claim_font, width, max_lines)
        if not cut:
            break
    if cut and claim:
        claim[-1] = _ellipsis(draw, claim[-1], claim_font, width)
    for line in claim:
        draw.text((MARGIN, y), line, font=claim_font, fill=WHITE)
        y += int(claim_size * 1.25)
    small = _font(24)
    footer = _wrap(draw, lines["source"], small, width, 2)[0]
    if lines["attribution"]:
        footer += _wrap(draw, lines["attribution"], _font(20), width, 1)[0]
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

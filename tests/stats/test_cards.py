"""Share cards: drawn within a fixed time whatever the text, and the figure stays on the card.
(bench/cards_bench.py prints the real timings; the bounds here are a generous guard.)"""

import io
import time

from PIL import Image

from stats.cards import CARD_SIZE, GOLD, MARGIN, card_png
from stats.models import Source, Statistic

SENTENCE = "Researchers at UK universities collaborate with partners in 230 countries. "


def statistic(*, figure: str = "61.5%", claim: str = "A claim.") -> Statistic:
    # Unsaved rows: card_png reads only the fields, and the model caps are what is under test.
    source = Source(publisher="Universities UK International", title="Facts and figures", year=2023)
    return Statistic(figure=figure, claim=claim, source=source, attribution="Source: NPSA.")


def render(row: Statistic) -> tuple[Image.Image, float]:
    start = time.perf_counter()
    png, _ = card_png(row)
    elapsed = time.perf_counter() - start
    return Image.open(io.BytesIO(png)), elapsed


def test_a_card_for_the_longest_claim_and_figure_the_model_allows_renders_quickly(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    figure_max = Statistic._meta.get_field("figure").max_length
    claim_max = Statistic._meta.get_field("claim").max_length
    assert claim_max, "Statistic.claim has no max_length"
    longest = statistic(figure="W" * figure_max, claim=(SENTENCE * 20)[:claim_max])
    image, elapsed = render(longest)
    assert image.size == CARD_SIZE
    assert elapsed < 2


def test_text_far_over_the_caps_still_renders_in_bounded_time(settings):
    # A row written around the form (a script, an old row) must not tie up a web worker.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    for claim in (SENTENCE * 14_000, "x" * 1_000_000):
        image, elapsed = render(statistic(figure="9" * 500, claim=claim))
        assert image.size == CARD_SIZE
        assert elapsed < 2, f"{len(claim)} characters took {elapsed:.1f} s"


def test_the_longest_figure_allowed_stays_on_the_card(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    figure_max = Statistic._meta.get_field("figure").max_length
    image, _ = render(statistic(figure="W" * figure_max))
    right_margin = image.crop((CARD_SIZE[0] - MARGIN // 2, 0, CARD_SIZE[0], CARD_SIZE[1]))
    assert GOLD not in {colour for _, colour in right_margin.getcolors(maxcolors=1 << 16)}

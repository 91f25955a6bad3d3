"""Share-card rendering time: how long ``stats.cards`` takes to draw one card, by claim length.

    .venv/bin/python bench/cards_bench.py [--repeat 3]

Renders (in-process, no database, no cache) a card for: a claim as long as the longest in the
comms pack; the longest claim and figure the model allows (``Statistic.figure``/``claim``
``max_length``); and text far over the caps (100 KB and 1 MB claims, with and without spaces),
which the model refuses but which the renderer must still draw in bounded time if a row ever
carries it. Prints the best of ``--repeat`` ``time.perf_counter`` timings per case, in ms.
Target: every case under 500 ms (gunicorn's timeout is 30 s; a card is rendered once, then
cached).
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustedresearch.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from stats import pack_data  # noqa: E402
from stats.cards import _render  # noqa: E402
from stats.models import Statistic  # noqa: E402

TARGET_MS = 500
SENTENCE = "Researchers at UK universities collaborate with partners in 230 countries. "


def claim_of(length: int, *, spaces: bool = True) -> str:
    text = SENTENCE if spaces else SENTENCE.replace(" ", "")
    return (text * (length // len(text) + 1))[:length]


def cases() -> list[tuple[str, dict[str, str]]]:
    figure_max = Statistic._meta.get_field("figure").max_length or 60
    claim_max = Statistic._meta.get_field("claim").max_length
    longest = max(pack_data.STATISTICS, key=lambda row: len(row[2]))
    base = {
        "figure": longest[1],
        "claim": longest[2],
        "source": "Source: Universities UK International, International facts and figures "
        "2023 (2023)",
        "attribution": "Contains public sector information licensed under the Open "
        "Government Licence v3.0. Source: NPSA.",
    }
    rows = [(f"pack's longest claim ({len(longest[2])} chars)", base)]
    if claim_max:
        rows.append(
            (
                f"model maximum (figure {figure_max}, claim {claim_max} chars)",
                {**base, "figure": "8" * figure_max, "claim": claim_of(claim_max)},
            )
        )
    else:
        rows.append(("model maximum: claim has no max_length", base))
    for size, label in ((100_000, "100 KB"), (1_000_000, "1 MB")):
        rows.append((f"{label} claim, words", {**base, "claim": claim_of(size)}))
        rows.append((f"{label} claim, no spaces", {**base, "claim": claim_of(size, spaces=False)}))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    slow = []
    print(f"{'case':<55} {'best ms':>10}")
    for name, lines in cases():
        timings = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            _render(lines)
            timings.append((time.perf_counter() - start) * 1000)
        best = min(timings)
        print(f"{name:<55} {best:>10.1f}", flush=True)
        if best > TARGET_MS:
            slow.append(name)
    if slow:
        print(f"Over {TARGET_MS} ms: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots for the guides in docs/, taken by the journeys.

``DOCS_SCREENSHOTS=1`` makes ``docs_screenshot(page, name)`` write docs/screenshots/<name>.png;
without it nothing is written, so ordinary test runs leave the committed images alone.
"""

import os
from pathlib import Path

from PIL import Image

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def docs_screenshot(page, name: str) -> None:
    """Save what the user sees now (the viewport) as docs/screenshots/<name>.png, as a small
    palette PNG, when DOCS_SCREENSHOTS is set."""
    if not os.environ.get("DOCS_SCREENSHOTS"):
        return
    DOCS_DIR.mkdir(parents=True, exist_ok=True)
    path = DOCS_DIR / f"{name}.png"
    page.screenshot(path=path, animations="disabled", caret="initial")
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)

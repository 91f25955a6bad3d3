"""Browser helpers: walk an issue's three preview modes in the Wagtail editor; screenshots
on request (NEWSLETTER_SCREENSHOTS=folder)."""

import os
import time
from pathlib import Path


def shot(page, name: str) -> None:
    """A full-page screenshot into NEWSLETTER_SCREENSHOTS, when that is set."""
    folder = os.environ.get("NEWSLETTER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


PREVIEW_MODES = (
    ("", "Policy zone"),
    ("email", "Read this issue on the portal"),
    ("text", "Highlights\n----------"),
)


def preview_wait(page, mode: str, expected: str, seconds: float = 45) -> None:
    """The preview panel swaps its iframe when it loads; wait for one showing ``mode`` (up to
    45 s: rendering the email on a loaded two-core CI machine can take a while)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for frame in page.frames:
            if f"mode={mode}&" in frame.url or frame.url.endswith(f"mode={mode}"):
                try:
                    if expected in frame.locator("body").inner_text(timeout=500):
                        return
                except Exception:  # the frame was replaced while we read it
                    pass
        page.wait_for_timeout(250)
    raise AssertionError(f"the {mode or 'web'} preview never showed {expected!r}")


def previews_walk(page, on_mode=None) -> None:
    """Open the preview panel of the issue being edited and show Web, Email (HTML) and Email
    (text) in turn, each waited for until it shows its own content; ``on_mode(mode)`` runs
    while each is shown (e.g. to take a screenshot)."""
    page.get_by_role("button", name="Toggle preview").click()
    for mode, expected in PREVIEW_MODES:
        # On a loaded machine the panel's script can miss a change made while it was still
        # refreshing (CI once saw the web preview stay): choose the mode again if so.
        for attempt in range(3):
            page.get_by_label("Preview mode").select_option(mode)
            try:
                preview_wait(page, mode, expected, seconds=20)
                break
            except AssertionError:
                if attempt == 2:
                    raise
                page.get_by_label("Preview mode").select_option(
                    PREVIEW_MODES[0][0] if mode else "email"
                )
        if on_mode is not None:
            on_mode(mode)

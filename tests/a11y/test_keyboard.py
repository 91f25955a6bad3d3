"""The reader journey with the keyboard only: the skip link comes first and works, focus is
visible on every navigation link, and the main menu reaches every section."""

import pytest

from comms import roles

pytestmark = pytest.mark.browser

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, id: el.id, text: (el.textContent || '').trim(),
          href: el.getAttribute('href'), outline: style.outlineStyle,
          outlineWidth: style.outlineWidth};
}"""


def test_skip_link_is_first_and_moves_focus_to_main(page_as):
    page = page_as(roles.STAFF)
    page.goto("/")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["text"] == "Skip to main content"
    assert first["outline"] != "none"
    assert page.get_by_role("link", name="Skip to main content").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")


def test_focus_is_visible_on_every_navigation_link(page_as):
    page = page_as(roles.STAFF)
    page.goto("/")
    seen = {}
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "A" and focused["href"]:
            seen[focused["text"]] = focused
        if focused["text"] == "Sign out":
            break
    for name in ("Home", "Blog", "Statistics", "Campaign", "Newsletters"):
        assert name in seen, f"{name} not reached by Tab; reached {list(seen)}"
        assert seen[name]["outline"] != "none", f"no visible focus on {name}"
        assert seen[name]["outlineWidth"] != "0px", f"no visible focus on {name}"


def test_reader_moves_between_sections_with_the_keyboard(page_as):
    page = page_as(roles.STAFF)
    page.goto("/")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Blog":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/blog/")
    assert page.get_by_role("heading", level=1).count() == 1

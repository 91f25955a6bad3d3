"""In a real browser: an editor adding a section to an issue sees its preview in the picker."""

import pytest
from playwright.sync_api import expect

from comms import roles
from tests.factories import newsletter_issue
from tests.journeys.shots import docs_screenshot

pytestmark = pytest.mark.browser


def test_editor_sees_a_sections_preview_in_the_block_picker(page_as):
    issue = newsletter_issue(publish=False, body=[("heading", "Dates for your diary")])
    page = page_as(roles.EDITORS)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/admin/pages/{issue.pk}/edit/")

    page.get_by_role("button", name="Insert a block").first.click()
    spotlight = page.locator(".w-combobox__option-row", has_text="Spotlight case study")
    spotlight.get_by_role("button", name="Preview").click()

    preview = page.frame_locator("iframe.w-combobox-preview__iframe")
    expect(preview.get_by_role("heading", name="Spotlight")).to_be_visible()
    expect(preview.get_by_text("Two research teams asked the research office")).to_be_visible()
    expect(page.locator(".w-combobox-preview__description")).to_have_text(
        "A case study from the institution, with a link to the whole story."
    )
    docs_screenshot(page, "newsletter-block-picker")

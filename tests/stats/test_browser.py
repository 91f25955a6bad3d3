"""A reader uses the library and its share card; an editor records figures and sees the chart."""

import io

import pytest
from PIL import Image

from comms import roles
from stats.services import stats_pack_load

pytestmark = pytest.mark.browser


def test_reader_filters_opens_and_downloads_then_editor_updates_the_chart(page_as, tmp_path):
    stats_pack_load(reset=False)

    page = page_as(roles.STAFF)
    page.goto("/statistics/")
    page.get_by_label("Topic").select_option(label="international students (4)")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/statistics/?*topic=international-students*")
    assert page.get_by_role("heading", name="4 statistics match your filter").is_visible()
    page.get_by_role("link", name="International students make up 45.4%").click()
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("International students make up 45.4%")
    )
    assert (
        "Source: Universities UK International"
        in page.get_by_label("Text with its source").input_value()
    )
    card = page.get_by_role("img", name="Share card: 45.4%")
    assert card.evaluate("img => img.decode().then(() => img.naturalWidth)") == 1200
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download share card (PNG)").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".png")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert Image.open(io.BytesIO(saved.read_bytes())).size == (1200, 675)

    editor = page_as(roles.EDITORS)
    for period, figure in (("2024-02", "10"), ("2024-03", "14")):
        editor.goto(f"/admin/trusted-research-in-numbers/?period={period}")
        editor.get_by_label("End-user checks (checks)").fill(figure)
        editor.get_by_role("button", name="Save figures").click()
        editor.get_by_text("Saved 1 figure(s)").wait_for()
        if period == "2024-02":
            editor.goto("/statistics/numbers/")
            assert editor.get_by_role("img", name="End-user checks: the last 1 period").is_visible()
    editor.goto("/statistics/numbers/")
    assert editor.get_by_role("img", name="End-user checks: the last 2 periods").is_visible()
    assert "Up 4 (40.0%) since February 2024" in " ".join(
        editor.locator("[data-metric-latest=end-user-checks]").inner_text().split()
    )
    assert editor.get_by_role("table", name="End-user checks by period (checks)").is_visible()

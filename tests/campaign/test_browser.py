from django.test import Client

import pytest
from icalendar import Calendar

from campaign import pack
from campaign.models import PlanQuestion
from comms import roles

pytestmark = pytest.mark.browser


def test_editor_answers_and_schedules_reader_sees_both_and_the_feed(page_as, live_server):
    pack.load()
    question = PlanQuestion.objects.get(pack_key="scoping-1")
    editor = page_as(roles.EDITORS)

    editor.goto(f"/admin/snippets/campaign/planquestion/edit/{question.pk}/")
    answer_box = editor.locator("#panel-answer-section [contenteditable=true]")
    answer_box.click()
    answer_box.press_sequentially("Our quantum computing and AI groups.", delay=5)
    editor.wait_for_function("document.querySelector('[name=answer]').value.includes('AI groups')")
    editor.get_by_role("button", name="Save").first.click()
    editor.wait_for_url("**/admin/snippets/campaign/planquestion/")
    question.refresh_from_db()
    assert "Our quantum computing and AI groups." in question.answer

    editor.goto("/admin/snippets/campaign/activity/add/")
    editor.locator("#id_title").fill("Trusted Research briefing for heads of department")
    editor.locator("#id_phase").select_option("educate")
    editor.locator("#id_audience").select_option("academic")
    editor.locator("#id_channel").fill("Management briefing")
    editor.locator("#id_owner").fill("Head of Research Security")
    editor.locator("#id_start_date").fill("2025-03-10")
    editor.locator("#id_end_date").fill("2025-03-11")
    editor.keyboard.press("Escape")  # close the date picker over the Save button
    editor.locator("#id_channel").click()
    editor.get_by_role("button", name="Save").first.click()
    editor.wait_for_url("**/admin/snippets/campaign/activity/")

    reader = page_as(roles.STAFF, username="reader-campaign")
    reader.goto("/campaign/?month=2025-03")
    assert "Our quantum computing and AI groups." in reader.content()
    month = reader.get_by_role("table", name="Campaign activities in March 2025")
    assert month.is_visible()  # a wide screen: the month grid (phones get the agenda)
    assert month.get_by_text("Trusted Research briefing for heads of department").first.is_visible()

    feed_url = reader.get_by_label("Your calendar feed address").input_value()
    response = Client().get(feed_url.replace(live_server.url, ""))
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [
        "Trusted Research briefing for heads of department"
    ]

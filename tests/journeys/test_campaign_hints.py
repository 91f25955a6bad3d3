"""On the campaign plan an editor sees where content is missing, with a link to the admin screen
that adds it; a member of staff sees only the content. The plan page caches its fragments: the
reader looks after the editor, so a hint cached for the editor would show."""

import re

import pytest
from playwright.sync_api import expect

from comms import roles

pytestmark = pytest.mark.browser


def test_editor_sees_hints_and_a_reader_does_not(portal, page_as):
    editor = page_as(roles.EDITORS, username="hint-editor")
    editor.goto("/campaign/")
    add = editor.get_by_role("link", name="Add an activity")
    expect(add).to_be_visible()
    expect(editor.get_by_role("link", name="Answer this question").first).to_be_visible()
    add.click()
    expect(editor).to_have_url(re.compile(r"/admin/snippets/campaign/activity/add/$"))
    expect(editor.get_by_label("Start date")).to_be_visible()

    editor.goto("/campaign/educate/")
    expect(editor.get_by_role("link", name="Add an endorser")).to_be_visible()
    editor.get_by_role("link", name="Answer this question").first.click()
    expect(editor).to_have_url(re.compile(r"/admin/snippets/campaign/planquestion/edit/\d+/$"))
    expect(editor.get_by_role("region", name="Answer")).to_be_visible()

    # The reader (page_as replaces the browser's session cookie with theirs).
    reader = page_as(roles.STAFF, username="hint-reader")
    for url in ("/campaign/", "/campaign/educate/", "/campaign/evaluate/"):
        reader.goto(url)
        main = reader.locator("main")
        expect(main).to_be_visible()
        expect(main).not_to_contain_text("For editors")
        expect(main).not_to_contain_text("Not answered yet")
        expect(main).not_to_contain_text("Not measured yet")
        expect(main.locator('a[href^="/admin/"]')).to_have_count(0)
    reader.goto("/campaign/educate/")
    expect(reader.get_by_role("heading", name="Who endorses this phase")).to_have_count(0)

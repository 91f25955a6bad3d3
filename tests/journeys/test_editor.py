"""A research office editor's day in the admin: corrects a statistic in the library, writes a
post from a pack template, and adds a campaign activity; then checks what readers see."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from blogs.models import BlogPostPage, BlogTemplatePage
from campaign.models import Activity
from comms import roles
from stats.models import Statistic
from tests.factories import UserFactory
from tests.journeys.shots import docs_screenshot

pytestmark = pytest.mark.browser

NEW_CLAIM = (
    "84% of research organisations surveyed by ARMA in 2023 have begun to adapt their processes "
    "in response to the risks highlighted by Trusted Research."
)

# What Dr Okafor writes for each prompt of "We must protect our research" (by a word of it).
ANSWERS = {
    "research area": "quantum sensing",
    "research questions": "how to measure magnetic fields inside the living brain",
    "what you knew": "export controls on the equipment we bought",
    "international collaboration": (
        "a partnership with an overseas defence-funded laboratory showed me how easily our "
        "methods could be put to military use"
    ),
    "examples": "quantum technologies and advanced materials",
    "explain how": (
        "asking the research office early has opened doors to partners we can trust and kept us "
        "away from one we could not"
    ),
    "offering": "1-to-1 advice, training and a due diligence service",
    "institution": "the University of Exampleshire",
    "get in touch": "Email research.security@exampleshire.ac.uk or call extension 4321.",
}


def answer_for(prompt: str) -> str:
    answer = next((text for key, text in ANSWERS.items() if key in prompt.lower()), None)
    assert answer, f"the template has a prompt this journey does not know: {prompt!r}"
    return answer


def open_admin_menu(page, group: str, item: str) -> None:
    """Open a group of the admin's sidebar menu and follow one of its links."""
    page.get_by_role("navigation", name="Main menu").get_by_role("button", name=group).click()
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name=item, exact=True
    ).click()


def test_editor_updates_a_statistic_writes_a_post_and_adds_an_activity(portal, page_as):
    page = page_as(
        UserFactory(username="rokafor", first_name="Rachel", last_name="Okafor", role=roles.EDITORS)
    )

    # 1. The statistics library: statistic 1 of the pack is past its review-by date.
    statistic = Statistic.objects.get(pack_number=1)
    Statistic.objects.filter(pk=statistic.pk).update(
        review_by=datetime.date.today() - datetime.timedelta(days=1)
    )
    page.goto("/admin/")
    due = page.get_by_role("region", name="Statistics due for review")
    expect(due).to_contain_text("1 statistic past its review-by date")
    open_admin_menu(page, "Statistics", "Statistics")
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistics")
    row = page.get_by_role("row").filter(has_text=statistic.claim[:40])
    expect(row).to_be_visible()
    expect(row).to_contain_text("Overdue")
    docs_screenshot(page, "editor-statistics-library")
    row.get_by_role("link", name=statistic.figure, exact=True).click()
    page.get_by_role("textbox", name="Claim").fill(NEW_CLAIM)
    next_year = datetime.date.today() + datetime.timedelta(days=365)
    page.get_by_role("textbox", name="Review by").fill(next_year.isoformat())
    page.keyboard.press("Escape")  # close the date picker over the Save button
    page.get_by_role("textbox", name="Claim").click()
    page.get_by_role("button", name="Save").first.click()
    expect(page.locator(".messages")).to_contain_text("updated")
    statistic.refresh_from_db()
    assert (statistic.claim, statistic.review_by) == (NEW_CLAIM, next_year)
    page.goto("/admin/")
    expect(due).to_contain_text("No statistic is past its review-by date.")

    # 2. A post from the pack's first blog template.
    template = BlogTemplatePage.objects.get(pack_key="blog-1")
    page.goto(f"/admin/pages/{template.get_parent().pk}/")  # Pages › Blog templates
    row = page.get_by_role("row").filter(has_text=template.title)
    row.get_by_role("link", name=re.compile("Write a post")).click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    page.get_by_label("Post title").fill("Protecting our research at Exampleshire")
    page.get_by_label("Author").fill("Dr Rachel Okafor, Research Security Manager")
    form = page.locator("form[data-blogs-write]")
    filled = []
    fields = form.locator("textarea[name^=ph_], input[type=text][name^=ph_]")
    for number in range(fields.count()):
        field = fields.nth(number)
        prompt = field.evaluate("el => el.labels[0].innerText")
        if field.input_value() or prompt.startswith("[or insert"):
            continue  # pre-filled from the portal settings, or keeps the pack's wording
        answer = answer_for(prompt)
        field.fill(answer)
        filled.append(answer)
    assert filled, "the template asked for nothing"
    expect(page.locator("#blogs-preview")).to_contain_text(filled[-1])
    page.get_by_label("Post title").scroll_into_view_if_needed()
    docs_screenshot(page, "editor-write-post-from-template")
    page.get_by_role("button", name="Create draft").click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    post = BlogPostPage.objects.get(title="Protecting our research at Exampleshire")
    assert not post.live, "a post from a template starts as a draft"
    body = str(post.get_latest_revision_as_object().body)
    assert [answer for answer in filled if answer not in body] == []
    assert "[insert" not in body

    # 3. A campaign activity in the Educate phase.
    open_admin_menu(page, "Campaign", "Activities")
    page.get_by_role("link", name=re.compile("Add activity")).first.click()
    form = page.locator("main form")
    form.get_by_role("textbox", name="Title").fill(
        "Trusted Research briefing for heads of department"
    )
    form.get_by_role("combobox", name="Phase").select_option(label="Educate")
    form.get_by_role("combobox", name="Audience").select_option(index=1)
    form.get_by_role("textbox", name="Channel").fill("Management briefing")
    form.get_by_role("textbox", name="Owner").fill("Head of Research Security")
    start = datetime.date.today() + datetime.timedelta(days=14)
    form.get_by_role("textbox", name="Start date").fill(start.isoformat())
    form.get_by_role("textbox", name="End date").fill(start.isoformat())
    page.keyboard.press("Escape")  # close the date picker over the Save button
    form.get_by_role("textbox", name="Channel").click()
    page.get_by_role("button", name="Save").first.click()
    expect(page.locator(".messages")).to_contain_text("created")
    activity = Activity.objects.get(title="Trusted Research briefing for heads of department")
    assert (activity.phase, activity.start_date) == ("educate", start)

    # What readers see: the corrected statistic and the activity in the campaign calendar.
    page.goto(f"/statistics/{statistic.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("surveyed by ARMA in 2023")
    page.goto(f"/campaign/?month={start:%Y-%m}")
    expect(page.locator("main")).to_contain_text(
        "Trusted Research briefing for heads of department"
    )

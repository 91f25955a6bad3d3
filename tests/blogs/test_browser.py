"""End to end in Chromium: an editor writes a post from Blog 1, a senior owner approves it, a
reader finds it on /blog/ and in the feed."""

import re

from django.conf import settings

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

import pytest
from playwright.sync_api import expect

from blogs import pack
from blogs.models import BlogPostPage, BlogTemplatePage
from campaign import pack as campaign_pack
from comms import roles
from comms.models import HomePage
from comms.services.roles import roles_sync
from comms.services.workflows import approval_workflow_ensure
from tests.factories import blog_post

pytestmark = pytest.mark.browser


def site_tree_and_workflow():
    """What migrations create, rebuilt if an earlier transactional test flushed it."""
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Trusted Research", slug="home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    roles_sync()
    approval_workflow_ensure()


def test_write_submit_approve_and_read(page_as, live_server):
    site_tree_and_workflow()
    pack.load(reset=False)
    template = BlogTemplatePage.objects.get(pack_key="blog-1")

    editor = page_as(roles.EDITORS, username="browser-editor")
    editor.goto(f"/admin/pages/{template.pk}/edit/")
    editor.get_by_role("button", name="Actions", exact=True).click()
    editor.get_by_role("link", name="Write a post from this template").click()
    expect(editor.get_by_role("heading", name="Preview")).to_be_visible()
    editor.get_by_label("Post title").fill("Why we protect our research at Exampleshire")
    editor.get_by_label("Author").fill("Prof. Ada Byron")
    fields = editor.locator(
        "form[data-blogs-write] textarea, form[data-blogs-write] input[type=text]"
    )
    for number in range(fields.count()):
        field = fields.nth(number)
        name = field.get_attribute("name")
        if name and name.startswith("ph_"):
            field.fill(f"Filled value {number}")
    expect(editor.locator("#blogs-preview")).to_contain_text("Filled value", timeout=5000)
    editor.get_by_role("button", name="Create draft").click()
    expect(editor).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    post = BlogPostPage.objects.get()
    assert "[" not in post.body[0].value.source

    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name=re.compile("Submit to Senior owner approval")).click()
    expect(editor.locator(".messages")).to_contain_text("submitted")

    senior = page_as(roles.SENIOR_OWNERS, username="browser-senior")
    senior.goto("/admin/")
    expect(senior.locator("main")).to_contain_text("Why we protect our research at Exampleshire")
    senior.locator("[data-w-dropdown-target='toggle']").last.click()
    senior.get_by_role("button", name="Approve", exact=True).click()
    for _ in range(20):
        post.refresh_from_db()
        if post.live:
            break
        senior.wait_for_timeout(250)
    assert post.live

    reader = page_as(roles.STAFF, username="browser-reader")
    reader.goto("/blog/")
    reader.get_by_role("link", name="Why we protect our research at Exampleshire").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(
        "Why we protect our research at Exampleshire"
    )
    expect(reader.locator("main")).to_contain_text("Prof. Ada Byron")
    feed_url = reader.goto("/blog/") and reader.locator("#feed-url").input_value()
    feed = reader.request.get(feed_url)
    assert feed.ok and "Why we protect our research at Exampleshire" in feed.text()


def test_refused_submit_says_what_was_saved_and_marks_the_block(page_as):
    site_tree_and_workflow()
    post = blog_post("Our research", publish=False)
    post.body = [
        ("rich_text", "<p>Trusted Research keeps our partnerships safe.</p>"),
        ("rich_text", "<p>Contact [insert name of research office] for advice.</p>"),
    ]
    post.save_revision()
    revisions = post.revisions.count()

    editor = page_as(roles.EDITORS, username="browser-editor")
    editor.goto(f"/admin/pages/{post.pk}/edit/")
    editor.get_by_role("button", name="More actions").click()
    editor.get_by_role("button", name=re.compile("Submit to Senior owner approval")).click()
    expect(editor.locator(".messages")).to_contain_text(
        "Nothing was saved and nothing was submitted for approval: “Our research” still has "
        "placeholders to fill in (marked below)."
    )
    expect(editor.locator(".messages")).not_to_contain_text("could not be saved")
    # Block 2, which holds the prompt, carries the message; block 1 does not.
    blocks = editor.locator("[data-contentpath='body'] [data-streamfield-child]")
    expect(blocks.nth(1)).to_contain_text("Fill in [insert name of research office]")
    expect(blocks.nth(0)).not_to_contain_text("Fill in")
    # Nothing is autosaved behind the editor's back, and the header does not claim it was.
    editor.wait_for_timeout(2000)
    expect(editor.get_by_text("Saved", exact=True)).to_be_hidden()
    assert post.revisions.count() == revisions
    blocks.nth(1).scroll_into_view_if_needed()
    editor.screenshot(path="/tmp/truth-refused-block.png")
    editor.locator(".messages").scroll_into_view_if_needed()
    editor.screenshot(path="/tmp/truth-refused.png")


def test_feed_address_boxes_have_a_keyboard_copy_button_that_says_copied(page_as):
    site_tree_and_workflow()
    pack.load(reset=False)
    campaign_pack.load()
    reader = page_as(roles.STAFF, username="browser-reader")
    reader.context.grant_permissions(["clipboard-read", "clipboard-write"])
    for url, name in (("/blog/", "Copy feed address"), ("/campaign/", "Copy calendar address")):
        reader.goto(url)
        address = reader.locator("#feed-url").input_value()
        button = reader.get_by_role("button", name=name)
        button.focus()
        reader.keyboard.press("Enter")
        expect(reader.get_by_role("status").filter(has_text="Copied")).to_be_visible()
        assert reader.evaluate("navigator.clipboard.readText()") == address

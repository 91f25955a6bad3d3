"""Readers and recipients see content, never working notes (issue 15).

With the comms pack and the demo content loaded, every page a member of staff can open, the web
version of every live issue and both parts of its email are searched for text written for
editors: unfilled ``[insert …]`` prompts, demo filler, hints about the admin, and the pack's own
editorial labels (taken from the pack data, so a label added there is checked too).
"""

import html
import re

from django.utils.html import strip_tags

from wagtail.models import Page

import pytest

from blogs import pack_data as blog_pack
from campaign import plan_text
from newsletter.models import NewsletterIssuePage
from newsletter.rendering import render_issue

pytestmark = pytest.mark.django_db

WORKING_NOTES = ("[insert", "(demo)", "an editor", "in the admin", "Not answered yet")
READER_ADDRESSES = ("/", "/blog/", "/statistics/", "/campaign/", "/newsletters/")


def _first_sentence(rich_text: str) -> str:
    text = " ".join(html.unescape(strip_tags(rich_text)).split())
    return text.split(". ")[0].rstrip(".")


def pack_editorial_labels() -> set[str]:
    """What the pack writes for the people who fill it in, never for readers."""
    labels = {
        plan_text.INTRO_TITLE.split(": ", 1)[1],  # "introduction text for internal/external …"
        "Insert if appropriate",
        _first_sentence(blog_pack.LIBRARY_INTRO),
        _first_sentence(blog_pack.USEFUL_LINKS_NOTE),
    }
    labels |= {_first_sentence(template["recommended_poster"]) for template in blog_pack.TEMPLATES}
    body = NewsletterIssuePage._meta.get_field("body").stream_block
    labels |= {
        _first_sentence(str(child.meta.help_text))
        for child in body.child_blocks.values()
        if getattr(child.meta, "help_text", None)
    }
    return {label for label in labels if label}


def visible_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", markup)
    return " ".join(html.unescape(strip_tags(markup)).split())


def working_notes(text: str, phrases) -> list[str]:
    lowered = text.lower()
    return sorted(phrase for phrase in phrases if phrase.lower() in lowered)


def test_pack_labels_come_from_the_pack_data():
    labels = pack_editorial_labels()
    assert "introduction text for internal/external mailing lists" in labels
    assert any(label.startswith("Spotlight on a case study") for label in labels)
    assert any(label.startswith("This blog would ideally be posted by") for label in labels)


def test_readers_and_recipients_see_no_working_notes(demo_portal, staff_user, client_as):
    phrases = WORKING_NOTES + tuple(sorted(pack_editorial_labels()))
    client = client_as(staff_user)
    found, opened = [], set()
    for page in Page.objects.live().filter(depth__gt=1).specific().order_by("path"):
        url = page.get_url()
        response = client.get(url)
        if response.status_code == 404:  # editors' pages (the blog templates) are not for staff
            continue
        assert response.status_code == 200, f"{url}: {response.status_code}"
        opened.add(url)
        found += [f"{url}: “{p}”" for p in working_notes(visible_text(response.text), phrases)]
    assert set(READER_ADDRESSES) <= opened
    issues = NewsletterIssuePage.objects.live().order_by("path")
    for issue in issues:
        rendered = render_issue(issue)
        for part, text in (
            ("HTML email", visible_text(rendered.html)),
            ("text email", rendered.text),
        ):
            found += [f"{issue.url} ({part}): “{p}”" for p in working_notes(text, phrases)]
    assert not found, "Working notes shown to readers:\n" + "\n".join(found)
    assert issues.count() >= 2, "the demo has a sent issue and one ready to send"

"""Each block of an issue's body is a section that owns its renderings (newsletter.blocks)."""

import re
from html import unescape
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template, select_template
from django.urls import reverse

import pytest

from newsletter.blocks import IntroductionBlock, NewsletterBodyBlock, PeriodBlock
from newsletter.models import NewsletterIssuePage
from newsletter.sections import SectionBlock
from tests.factories import newsletter_issue

BODY_BLOCKS = list(NewsletterBodyBlock().child_blocks.items())
# The blocks of the issue editor's StreamField: the ones the block picker offers.
PICKER_BLOCKS = list(NewsletterIssuePage._meta.get_field("body").stream_block.child_blocks.items())
# What each section's preview in the block picker shows (a new section adds its line).
PREVIEW_TEXTS = {
    "rich_text": "Two research teams asked the research office",
    "image": "An image, described for people who cannot see it, with a caption.",
    "quote": "Asking early saved us months.",
    "call_to_action": "Book your place",
    "link_list": "Trusted Research guidance for academia",
    "heading": "Dates for your diary",
    "introduction": "From Professor A. Example, Pro-Vice-Chancellor for Research",
    "spotlight": '<h2 id="section-1">Spotlight</h2>',
    "highlights": '<h2 id="section-1">Highlights</h2>',
    "learning_zone": '<h2 id="section-1">Learning zone</h2>',
    "policy_zone": '<h2 id="section-1">Policy zone</h2>',
    "numbers": "Due diligence checks undertaken",
    "statistic": "A statistic from the library, with its source, as the library has it.",
    "campaign_intro": "The campaign introduction text, as published under Campaign › Intro text.",
}


@pytest.mark.parametrize(("name", "block"), BODY_BLOCKS, ids=[name for name, _ in BODY_BLOCKS])
def test_every_body_block_is_a_section_with_its_templates(name, block):
    assert isinstance(block, SectionBlock), f"{name} is not a SectionBlock"
    get_template(block.meta.template)
    get_template(block.meta.email_template)
    assert block.get_description(), f"{name} has no description for the block picker"


def test_a_pack_section_renders_outside_an_issue_for_the_block_picker():
    block = IntroductionBlock()
    html = block.render(block.get_preview_value())
    assert '<h2 id="section-1">Introduction</h2>' in html
    assert "From Professor A. Example" in html


def test_the_period_block_keeps_the_path_its_migrations_name():
    assert PeriodBlock().deconstruct()[0] == "newsletter.blocks.PeriodBlock"


def test_block_previews_use_the_portals_template():
    """The project's template, not Wagtail's, renders previews: it brings the reader CSS, and
    overriding it is what makes blocks with a preview value previewable."""
    origin = select_template(["wagtailcore/shared/block_preview.html"]).origin.name
    assert Path(origin) == settings.BASE_DIR / "templates/wagtailcore/shared/block_preview.html"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "block"), PICKER_BLOCKS, ids=[name for name, _ in PICKER_BLOCKS])
def test_the_block_picker_previews_each_section_with_the_reader_css(name, block, client_as, editor):
    response = client_as(editor).get(
        reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert PREVIEW_TEXTS[name] in content
    assert "css/portal.css" in content
    assert "vendor/bootstrap/bootstrap.min.css" in content


@pytest.mark.django_db
def test_the_issue_editors_block_picker_marks_every_section_previewable(client_as, editor):
    issue = newsletter_issue(publish=False, body=[("heading", "Dates for your diary")])
    response = client_as(editor).get(reverse("wagtailadmin_pages:edit", args=[issue.pk]))
    assert response.status_code == 200
    # The StreamField's block definitions, as the editor's JavaScript receives them.
    previewable = dict(
        re.findall(
            r'"blockDefId": "(blockdef-\d+)", "isPreviewable": (true|false)',
            unescape(response.content.decode()),
        )
    )
    for name, block in PICKER_BLOCKS:
        assert previewable[block.definition_prefix] == "true", f"{name} is not previewable"

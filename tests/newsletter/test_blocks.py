"""Each block of an issue's body is a section that owns its renderings (newsletter.blocks)."""

from django.template.loader import get_template

import pytest

from newsletter.blocks import IntroductionBlock, NewsletterBodyBlock
from newsletter.sections import SectionBlock

BODY_BLOCKS = list(NewsletterBodyBlock().child_blocks.items())


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

"""The shared block library."""

from django.core.exceptions import ValidationError

from wagtail.blocks.struct_block import StructBlockValidationError

import pytest

from comms.blocks import BaseStreamBlock, CallToActionBlock, ImageBlock, stream_plain_text


def test_every_block_has_an_icon_and_a_template():
    for name, block in BaseStreamBlock().child_blocks.items():
        assert block.meta.icon, name
        assert block.meta.template.startswith("comms/blocks/"), name


def test_image_needs_alt_text():
    block = ImageBlock()
    with pytest.raises((ValidationError, StructBlockValidationError)) as raised:
        block.clean(block.to_python({"image": None, "alt_text": "", "caption": ""}))
    assert "alt_text" in raised.value.block_errors


def test_call_to_action_needs_a_page_or_an_address():
    block = CallToActionBlock()
    value = block.to_python({"heading": "Read more", "text": "", "button_text": "Go"})
    with pytest.raises(StructBlockValidationError) as raised:
        block.clean(value)
    assert "Choose a page or enter an address." in str(raised.value.block_errors["url"])


@pytest.mark.django_db
def test_blocks_render_accessibly_and_plain_text_is_readable():
    stream = BaseStreamBlock()
    value = stream.to_python(
        [
            {"type": "rich_text", "value": "<p>Protect your research.</p>"},
            {"type": "quote", "value": {"text": "Know your partner.", "attribution": "NPSA"}},
            {
                "type": "link_list",
                "value": {
                    "heading": "Useful links",
                    "text": "",
                    "links": [
                        {"title": "NPSA", "url": "https://www.npsa.gov.uk/", "description": ""}
                    ],
                },
            },
            {
                "type": "call_to_action",
                "value": {
                    "heading": "Training",
                    "text": "",
                    "button_text": "Book a place",
                    "url": "https://example.ac.uk/training",
                },
            },
        ]
    )
    html = stream.render(value)
    assert "<p>Protect your research.</p>" in html
    assert "<blockquote" in html and "NPSA" in html
    assert '<a href="https://www.npsa.gov.uk/">NPSA</a>' in html
    assert 'href="https://example.ac.uk/training">Book a place</a>' in html
    assert stream_plain_text(value).startswith("Protect your research. Know your partner.")

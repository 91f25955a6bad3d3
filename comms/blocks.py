"""The one StreamField block library. Blog posts, templates and newsletter issues compose it.

Each block has an icon and a template in ``templates/comms/blocks/``. ``BaseStreamBlock`` holds
the blocks every body may use; an app adds its own (a statistic, say) by subclassing it.
"""

from django.core.exceptions import ValidationError

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"]


class ImageBlock(blocks.StructBlock):
    """An image whose text alternative is required: screen reader users read it."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        help_text="Describe what the image shows for people who cannot see it.",
    )
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        label = "Image"
        template = "comms/blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock()
    attribution = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = "Quote"
        template = "comms/blocks/quote_block.html"


class CallToActionBlock(blocks.StructBlock):
    """A highlighted box with one button, to a page of the portal or an address."""

    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False)
    button_text = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, label="Or an address")

    class Meta:
        icon = "pick"
        label = "Call to action"
        template = "comms/blocks/call_to_action_block.html"

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError("Choose a page or enter an address.")}
            )
        return value


class LinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=200)
    url = blocks.URLBlock(label="Address")
    description = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "link"
        label = "Link"


class LinkListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(required=False, max_length=120)
    text = blocks.TextBlock(required=False, help_text="Shown above the links.")
    links = blocks.ListBlock(LinkBlock())

    class Meta:
        icon = "list-ul"
        label = "Link list"
        template = "comms/blocks/link_list_block.html"


# The rich text block's options, shared with the newsletter's section version of it.
RICH_TEXT_BLOCK_OPTIONS = {
    "features": RICH_TEXT_FEATURES,
    "icon": "pilcrow",
    "label": "Rich text",
    "template": "comms/blocks/rich_text_block.html",
}


class BaseStreamBlock(blocks.StreamBlock):
    rich_text = blocks.RichTextBlock(**RICH_TEXT_BLOCK_OPTIONS)
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    link_list = LinkListBlock()


def stream_plain_text(stream_value) -> str:
    """The readable text of a StreamField value (for reading time, feeds and summaries)."""
    if stream_value is None:
        return ""
    return " ".join(stream_value.stream_block.get_searchable_content(stream_value))

"""The shared blocks of ``comms.blocks`` as sections of an issue.

The web keeps each block's own template; these add the email template and the plain text.
``HeadingBlock`` and ``SectionRichTextBlock`` freeze into migrations as the Wagtail blocks they
extend (as every StructBlock subclass does): they add rendering, not stored shape.
"""

from wagtail import blocks

from comms.blocks import CallToActionBlock, ImageBlock, LinkListBlock, QuoteBlock
from newsletter.blocks.pack_sections import DESCRIBED_PREVIEW, PREVIEW_TEXT
from newsletter.rendering import html_to_text
from newsletter.sections import SectionBlock


class HeadingBlock(SectionBlock, blocks.CharBlock):
    canonical_module_path = "wagtail.blocks.CharBlock"

    class Meta:
        template = "newsletter/blocks/heading.html"
        email_template = "newsletter/email/blocks/heading.html"
        description = "A heading between sections."
        preview_value = "Dates for your diary"

    def section_heading(self, value) -> str:
        return str(value)


class SectionRichTextBlock(SectionBlock, blocks.RichTextBlock):
    canonical_module_path = "wagtail.blocks.RichTextBlock"
    text_heading = False

    class Meta:
        email_template = "newsletter/email/blocks/rich_text.html"
        description = "Free text, with headings, lists and links."
        preview_value = PREVIEW_TEXT

    def text_parts(self, section, links) -> list[str]:
        return [html_to_text(section.value.source, links)]


class SectionImageBlock(SectionBlock, ImageBlock):
    text_heading = False

    class Meta:
        email_template = "newsletter/email/blocks/image.html"
        description = "An image, described for people who cannot see it, with a caption."
        # It shows an image chosen from the library: the preview describes it instead.
        preview_template = DESCRIBED_PREVIEW

    def resolve(self, section, raw) -> None:
        value, where = section.value, section.label
        if value.get("image") is None:
            section.omitted = "deleted"
            section.problems.append(("references", f"{where}: the chosen image no longer exists."))
        elif not (value.get("alt_text") or "").strip():
            section.problems.append(
                ("images", f"{where}: the image has no alt text. Describe what it shows.")
            )

    def text_parts(self, section, links) -> list[str]:
        return [f"[Image: {section.value['alt_text']}]"]


class SectionQuoteBlock(SectionBlock, QuoteBlock):
    text_heading = False

    class Meta:
        email_template = "newsletter/email/blocks/quote.html"
        description = "A quotation, with who said it."
        preview_value = {
            "text": "Asking early saved us months.",
            "attribution": "A principal investigator",
        }

    def text_parts(self, section, links) -> list[str]:
        value = section.value
        attribution = f"\n  – {value['attribution']}" if value.get("attribution") else ""
        return [f"“{value['text']}”{attribution}"]


class SectionCallToActionBlock(SectionBlock, CallToActionBlock):
    class Meta:
        email_template = "newsletter/email/blocks/call_to_action.html"
        description = "A highlighted box with one button, to a page of the portal or an address."
        preview_value = {
            "heading": "Book your place",
            "text": "Trusted Research induction, for staff who are new to the institution.",
            "button_text": "Book now",
            "url": "https://example.org/",
        }

    def resolve(self, section, raw) -> None:
        value = section.value
        if value.get("page") is None and raw.get("page"):
            section.problems.append(
                ("references", f"{section.label}: the page the button links to no longer exists.")
            )
        section.data["url"] = (value["page"].url if value.get("page") else "") or value.get("url")
        if not section.data["url"]:
            section.omitted = "no link"

    def text_parts(self, section, links) -> list[str]:
        value = section.value
        return [value.get("text") or "", f"{value['button_text']} {links.ref(section.data['url'])}"]


class SectionLinkListBlock(SectionBlock, LinkListBlock):
    class Meta:
        email_template = "newsletter/email/blocks/link_list.html"
        description = "A list of links, each with a title and a description."
        preview_value = {
            "heading": "Further reading",
            "links": [
                {
                    "title": "Trusted Research guidance for academia",
                    "url": "https://www.npsa.gov.uk/trusted-research",
                    "description": "NPSA and NCSC guidance on protecting research.",
                },
            ],
        }

    def text_parts(self, section, links) -> list[str]:
        value = section.value
        return [
            value.get("text") or "",
            *(f"- {link['title']} {links.ref(link['url'])}" for link in value["links"]),
        ]

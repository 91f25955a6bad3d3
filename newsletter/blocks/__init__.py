"""The sections of a newsletter issue, from the pack's newsletter template ("Content suggestions").

Sections that show portal content hold a reference (a post, a statistic, a metrics period, the
campaign intro), never a copy, so a correction made once shows in every issue. Each section's
help text carries the pack's guidance for the editor.

Each block owns what it does in an issue (``newsletter.sections.SectionBlock``): how it resolves
its references (``resolve``), its web template (``Meta.template``), its email template
(``Meta.email_template``), its plain text (``text_parts``) and its pre-send checks, with a
``preview_value`` and ``description`` for the block picker. ``newsletter.rendering`` puts the
sections together into the web page, the HTML email and the plain-text email.

The blocks live by kind: ``pack_sections`` (the sections an editor writes, on
``PackSectionBlock``), ``figures`` (metrics for a period, the statistic of the month) and
``shared`` (the ``comms.blocks`` library as sections). This module exports them and puts them
together in ``NewsletterBodyBlock``.

Adding a section: one block class in the module of its kind (fields, ``Meta`` with ``template``,
``email_template``, ``description`` and ``preview_value``, ``text_parts``, and ``resolve`` if it
references live content), its two templates in ``templates/newsletter/blocks/`` and
``templates/newsletter/email/blocks/``, and one line in ``NewsletterBodyBlock`` (then
``makemigrations``).
"""

from comms.blocks import RICH_TEXT_BLOCK_OPTIONS, BaseStreamBlock
from newsletter.blocks.figures import NumbersBlock, PeriodBlock, StatisticOfTheMonthBlock
from newsletter.blocks.pack_sections import (
    PREVIEW_TEXT,
    SECTION_TEXT_FEATURES,
    CampaignIntroBlock,
    HighlightsBlock,
    IntroductionBlock,
    LearningZoneBlock,
    PackSectionBlock,
    PolicyZoneBlock,
    SpotlightBlock,
    TrainingDateBlock,
)
from newsletter.blocks.shared import (
    HeadingBlock,
    SectionCallToActionBlock,
    SectionImageBlock,
    SectionLinkListBlock,
    SectionQuoteBlock,
    SectionRichTextBlock,
)

__all__ = [
    "PREVIEW_TEXT",
    "SECTION_TEXT_FEATURES",
    "CampaignIntroBlock",
    "HeadingBlock",
    "HighlightsBlock",
    "IntroductionBlock",
    "LearningZoneBlock",
    "NewsletterBodyBlock",
    "NumbersBlock",
    "PackSectionBlock",
    "PeriodBlock",
    "PolicyZoneBlock",
    "SectionCallToActionBlock",
    "SectionImageBlock",
    "SectionLinkListBlock",
    "SectionQuoteBlock",
    "SectionRichTextBlock",
    "SpotlightBlock",
    "StatisticOfTheMonthBlock",
    "TrainingDateBlock",
]


class NewsletterBodyBlock(BaseStreamBlock):
    """The pack's sections plus the shared general blocks (rich text, image, call to action…),
    each as a ``SectionBlock`` (the shared ones keep their place and stored shape)."""

    rich_text = SectionRichTextBlock(**RICH_TEXT_BLOCK_OPTIONS)
    image = SectionImageBlock()
    quote = SectionQuoteBlock()
    call_to_action = SectionCallToActionBlock()
    link_list = SectionLinkListBlock()
    heading = HeadingBlock(form_classname="title", icon="title", label="Heading")
    introduction = IntroductionBlock()
    spotlight = SpotlightBlock()
    highlights = HighlightsBlock()
    learning_zone = LearningZoneBlock()
    policy_zone = PolicyZoneBlock()
    numbers = NumbersBlock()
    statistic = StatisticOfTheMonthBlock()
    campaign_intro = CampaignIntroBlock()

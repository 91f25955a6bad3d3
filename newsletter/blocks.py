"""The sections of a newsletter issue, from the pack's newsletter template ("Content suggestions").

Sections that show portal content hold a reference (a post, a statistic, a metrics period, the
campaign intro), never a copy, so a correction made once shows in every issue. Each section's
help text carries the pack's guidance for the editor. How a section looks on the web, in the
HTML email and in the plain-text email is decided by ``newsletter.rendering`` (one renderer).
"""

from django.core.exceptions import ValidationError

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from comms.blocks import BaseStreamBlock, LinkBlock
from stats.blocks import StatisticBlock
from stats.periods import PERIOD_FORMAT_HELP, period_parse

SECTION_TEXT_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul", "document-link"]


def _heading(default: str) -> blocks.CharBlock:
    return blocks.CharBlock(max_length=120, default=default, help_text="The section's heading.")


class IntroductionBlock(blocks.StructBlock):
    heading = _heading("Introduction")
    author = blocks.CharBlock(
        required=False, max_length=200, help_text="Name and role of the senior owner."
    )
    text = blocks.RichTextBlock(features=SECTION_TEXT_FEATURES)

    class Meta:
        icon = "user"
        label = "Introduction from the senior owner"
        help_text = "Introduction from the senior level Trusted Research owner."


class SpotlightBlock(blocks.StructBlock):
    heading = _heading("Spotlight")
    text = blocks.RichTextBlock(features=SECTION_TEXT_FEATURES)
    link = blocks.PageChooserBlock(
        required=False, help_text="Optional: a page of the portal telling the whole story."
    )

    class Meta:
        icon = "pick"
        label = "Spotlight case study"
        help_text = (
            "Spotlight on a case study from the institution. This could be a ‘good news’ story "
            "or a learning angle."
        )


class HighlightsBlock(blocks.StructBlock):
    heading = _heading("Highlights")
    text = blocks.RichTextBlock(features=SECTION_TEXT_FEATURES, required=False)
    posts = blocks.ListBlock(
        blocks.PageChooserBlock(page_type="blogs.BlogPostPage"),
        label="Blog posts",
        help_text="Posts shown with their title and summary, as they are on the blog.",
    )

    class Meta:
        icon = "list-ul"
        label = "Highlights"
        help_text = (
            "Highlights section, which may include: successful engagements with RCAT; positive "
            "take-aways from Trusted Research related events/conferences e.g. HEECA, NPSA STEM "
            "Universities Trusted Research Forum; interesting cases resolved by institutional "
            "review boards."
        )


class TrainingDateBlock(blocks.StructBlock):
    date = blocks.DateBlock()
    title = blocks.CharBlock(max_length=200, help_text="e.g. Trusted Research induction.")
    url = blocks.URLBlock(required=False, label="Booking address")

    class Meta:
        icon = "date"
        label = "Training date"


class LearningZoneBlock(blocks.StructBlock):
    heading = _heading("Learning zone")
    text = blocks.RichTextBlock(
        features=SECTION_TEXT_FEATURES, help_text="The training material or course to suggest."
    )
    upcoming_training = blocks.IntegerBlock(
        default=3,
        min_value=0,
        max_value=10,
        label="Training sessions from the campaign calendar",
        help_text="How many upcoming training sessions to list from Campaign › Activities "
        "(those marked “training session”), as they are when the issue is shown or sent. "
        "0 lists none.",
    )
    training_dates = blocks.ListBlock(
        TrainingDateBlock(),
        label="Other training dates",
        help_text="Dates that are not in the campaign calendar.",
    )

    class Meta:
        icon = "form"
        label = "Learning zone"
        help_text = (
            "A ‘learning zone’, which may include: a spotlight on a suggested training material "
            "or course; upcoming training dates (e.g. induction training). The upcoming "
            "training sessions of the campaign calendar are listed by themselves."
        )


class PolicyZoneBlock(blocks.StructBlock):
    heading = _heading("Policy zone")
    text = blocks.RichTextBlock(features=SECTION_TEXT_FEATURES)
    links = blocks.ListBlock(LinkBlock(), required=False, label="Policy links")

    class Meta:
        icon = "doc-full"
        label = "Policy zone"
        help_text = (
            "A ‘policy zone’, which could be used to: highlight any changes in institutional "
            "policies relevant to research security risk; raise awareness of specific policies "
            "and/or processes."
        )


class PeriodBlock(blocks.CharBlock):
    """A metrics period label ("2024-03" or "2024-Q1"), validated by ``stats.periods``."""

    def clean(self, value):
        value = super().clean(value)
        try:
            period_parse(value)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        return value.strip().upper()


class NumbersBlock(blocks.StructBlock):
    heading = _heading("Trusted Research in numbers")
    period = PeriodBlock(max_length=10, help_text=f"The period to show: {PERIOD_FORMAT_HELP}.")
    text = blocks.RichTextBlock(features=SECTION_TEXT_FEATURES, required=False)

    class Meta:
        icon = "table"
        label = "Trusted Research in numbers"
        help_text = (
            "Trusted Research in numbers – a metrics area which may be used to show: "
            "notifications made under the National Security and Investment Act; export control "
            "licences requested and/or granted; end-user checks submitted; due diligence checks "
            "undertaken; Trusted Research training and/or awareness events run; staff engagement "
            "with the institution’s research security comms; international collaborations "
            "successfully stood-up. Every metric with a figure for the period is shown, with the "
            "change against the previous period (enter figures under Statistics › Enter figures)."
        )


class StatisticOfTheMonthBlock(StatisticBlock):
    class Meta:
        icon = "table"
        label = "Statistic of the month"
        help_text = (
            "A statistic from the library, shown with its source. It is shown as the library "
            "has it, so a correction there shows here too."
        )


class CampaignIntroBlock(blocks.StructBlock):
    intro = SnippetChooserBlock("campaign.CampaignIntro", label="Campaign intro text")

    class Meta:
        icon = "openquote"
        label = "Campaign intro"
        help_text = "The campaign introduction text (Campaign › Intro text), as published."


class NewsletterBodyBlock(BaseStreamBlock):
    """The pack's sections plus the shared general blocks (rich text, image, call to action…)."""

    heading = blocks.CharBlock(form_classname="title", icon="title", label="Heading")
    introduction = IntroductionBlock()
    spotlight = SpotlightBlock()
    highlights = HighlightsBlock()
    learning_zone = LearningZoneBlock()
    policy_zone = PolicyZoneBlock()
    numbers = NumbersBlock()
    statistic = StatisticOfTheMonthBlock()
    campaign_intro = CampaignIntroBlock()

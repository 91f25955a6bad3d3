"""The sections of a newsletter issue, from the pack's newsletter template ("Content suggestions").

Sections that show portal content hold a reference (a post, a statistic, a metrics period, the
campaign intro), never a copy, so a correction made once shows in every issue. Each section's
help text carries the pack's guidance for the editor.

Each block owns what it does in an issue (``newsletter.sections.SectionBlock``): how it resolves
its references (``resolve``), its web template (``Meta.template``), its email template
(``Meta.email_template``), its plain text (``text_parts``) and its pre-send checks, with a
``preview_value`` and ``description`` for the block picker. ``newsletter.rendering`` puts the
sections together into the web page, the HTML email and the plain-text email.

Adding a section: one block class here (fields, ``Meta`` with ``template`` and
``email_template``, ``text_parts``, and ``resolve`` if it references live content), its two
templates in ``templates/newsletter/blocks/`` and ``templates/newsletter/email/blocks/``, and
one line in ``NewsletterBodyBlock`` (then ``makemigrations``).
"""

from django.core.exceptions import ValidationError

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from comms.blocks import (
    RICH_TEXT_FEATURES,
    BaseStreamBlock,
    CallToActionBlock,
    ImageBlock,
    LinkBlock,
    LinkListBlock,
    QuoteBlock,
)
from newsletter.rendering import absolute, html_to_text
from newsletter.sections import (
    SectionBlock,
    metric_rows,
    number,
    raw_ids,
    section_resolve,
)
from stats import periods
from stats.blocks import StatisticBlock
from stats.periods import PERIOD_FORMAT_HELP, period_parse

SECTION_TEXT_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul", "document-link"]
PREVIEW_TEXT = (
    "<p>Two research teams asked the research office before signing a collaboration "
    "agreement this term: both went ahead, with the right checks in place.</p>"
)


def _heading(default: str) -> blocks.CharBlock:
    return blocks.CharBlock(max_length=120, default=default, help_text="The section's heading.")


def _rich_text(value) -> str:
    return value.source if value else ""


class PackSectionBlock(SectionBlock, blocks.StructBlock):
    """A section of the pack's outline: a heading, rich text, and what the section adds."""

    def get_context(self, value, parent_context=None):
        """The web template sees only the value, what the section resolved (``posts``,
        ``rows``, ``period``, ``url``, ``items``…) and ``forloop_counter`` (its place in the
        issue, for the heading's id). Outside an issue (the block picker's preview) the block
        resolves its value itself."""
        parent_context = parent_context or {}
        section = parent_context.get("section")
        if section is None or section.value is not value:
            section = section_resolve(self, value, label=str(self.label))
        return {
            "self": value,
            self.TEMPLATE_VAR: value,
            "forloop_counter": parent_context.get("forloop_counter", 1),
            **section.data,
        }

    def text_parts(self, section, links) -> list[str]:
        return [html_to_text(_rich_text(section.value.get("text")), links)]


class IntroductionBlock(PackSectionBlock):
    heading = _heading("Introduction")
    author = blocks.CharBlock(
        required=False, max_length=200, help_text="Name and role of the senior owner."
    )
    text = blocks.RichTextBlock(features=SECTION_TEXT_FEATURES)

    class Meta:
        icon = "user"
        label = "Introduction from the senior owner"
        help_text = "Introduction from the senior level Trusted Research owner."
        description = "The senior owner's welcome, signed with their name and role."
        template = "newsletter/blocks/introduction.html"
        email_template = "newsletter/email/blocks/introduction.html"
        preview_value = {
            "heading": "Introduction",
            "author": "Professor A. Example, Pro-Vice-Chancellor for Research",
            "text": PREVIEW_TEXT,
        }

    def text_parts(self, section, links) -> list[str]:
        author = section.value.get("author")
        return [f"From {author}" if author else "", *super().text_parts(section, links)]


class SpotlightBlock(PackSectionBlock):
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
        description = "A case study from the institution, with a link to the whole story."
        template = "newsletter/blocks/spotlight.html"
        email_template = "newsletter/email/blocks/spotlight.html"
        preview_value = {"heading": "Spotlight", "text": PREVIEW_TEXT}

    def resolve(self, section, raw) -> None:
        value = section.value
        if value.get("link") is None and raw.get("link"):
            section.problems.append(
                ("references", f"{section.label}: the page it links to no longer exists.")
            )
        section.data["url"] = value["link"].url if value.get("link") else ""

    def text_parts(self, section, links) -> list[str]:
        parts = super().text_parts(section, links)
        if section.data.get("url"):
            parts.append(f"Read more {links.ref(section.data['url'])}")
        return parts


class HighlightsBlock(PackSectionBlock):
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
        description = "Blog posts, with their title and summary as they are on the blog."
        template = "newsletter/blocks/highlights.html"
        email_template = "newsletter/email/blocks/highlights.html"
        preview_value = {"heading": "Highlights", "text": PREVIEW_TEXT, "posts": []}

    def resolve(self, section, raw) -> None:
        value, where = section.value, section.label
        posts = [post.specific for post in value["posts"] if post is not None]
        missing = sum(1 for pk in raw_ids(raw.get("posts")) if pk) - len(posts)
        if missing > 0:
            section.problems.append(
                ("references", f"{where}: {missing} chosen blog post(s) no longer exist.")
            )
        for post in posts:
            if not post.live:
                section.problems.append(
                    (
                        "references",
                        f"{where}: the blog post “{post.title}” is not published; readers cannot "
                        "open it. Publish it or remove it from the issue.",
                    ),
                )
        section.data["posts"] = [post for post in posts if post.live]
        if not section.data["posts"] and not value.get("text"):
            section.omitted = "no published posts"

    def text_parts(self, section, links) -> list[str]:
        parts = super().text_parts(section, links)
        for post in section.data["posts"]:
            parts.append(f"* {post.title} {links.ref(post.url)}\n  {post.summary}".rstrip())
        return parts


class TrainingDateBlock(blocks.StructBlock):
    date = blocks.DateBlock()
    title = blocks.CharBlock(max_length=200, help_text="e.g. Trusted Research induction.")
    url = blocks.URLBlock(required=False, label="Booking address")

    class Meta:
        icon = "date"
        label = "Training date"


class LearningZoneBlock(PackSectionBlock):
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
        description = (
            "Training to suggest, with the campaign calendar's upcoming training sessions."
        )
        template = "newsletter/blocks/learning_zone.html"
        email_template = "newsletter/email/blocks/learning_zone.html"
        preview_value = {"heading": "Learning zone", "text": PREVIEW_TEXT}

    def resolve(self, section, raw) -> None:
        from campaign.selectors import training_upcoming_cached

        # Live, like every reference: the calendar as it is when the issue is rendered.
        count = section.value.get("upcoming_training")
        section.data["training"] = training_upcoming_cached(count=0 if count is None else count)
        section.data["items"] = self.training_items(section)

    def training_items(self, section) -> list[dict]:
        """The dates, soonest first: the calendar's training sessions and the ones typed into
        the block, each as ``{"date", "title", "url"}`` (``url`` absolute or "")."""
        items = [
            {"date": activity.start_date, "title": activity.title, "url": absolute(activity.link)}
            for activity in section.data["training"]
        ]
        items += [
            {"date": item["date"], "title": item["title"], "url": item.get("url") or ""}
            for item in section.value["training_dates"]
        ]
        return sorted(items, key=lambda item: item["date"])

    def text_parts(self, section, links) -> list[str]:
        parts = super().text_parts(section, links)
        if section.data["items"]:
            dates = ["Upcoming training dates:"]
            for item in section.data["items"]:
                link = f" {links.ref(item['url'])}" if item["url"] else ""
                dates.append(f"- {item['date']:%A %-d %B %Y}: {item['title']}{link}")
            parts.append("\n".join(dates))
        return parts


class PolicyZoneBlock(PackSectionBlock):
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
        description = "Changes in institutional policy, with links to the policies."
        template = "newsletter/blocks/policy_zone.html"
        email_template = "newsletter/email/blocks/policy_zone.html"
        preview_value = {"heading": "Policy zone", "text": PREVIEW_TEXT, "links": []}

    def text_parts(self, section, links) -> list[str]:
        return super().text_parts(section, links) + [
            f"- {link['title']} {links.ref(link['url'])}" for link in section.value["links"]
        ]


class PeriodBlock(blocks.CharBlock):
    """A metrics period label ("2024-03" or "2024-Q1"), validated by ``stats.periods``."""

    def clean(self, value):
        value = super().clean(value)
        try:
            period_parse(value)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        return value.strip().upper()


class NumbersBlock(PackSectionBlock):
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
        description = "The figures of a month or quarter, with the change on the period before."
        template = "newsletter/blocks/numbers.html"
        email_template = "newsletter/email/blocks/numbers.html"
        preview_value = {"heading": "Trusted Research in numbers", "period": "2024-Q1"}

    def resolve(self, section, raw) -> None:
        value, where = section.value, section.label
        try:
            rows = metric_rows(value["period"])
            section.data["period"] = periods.period_display(*periods.period_parse(value["period"]))
        except ValueError as error:
            rows = []
            section.problems.append(("references", f"{where}: {error}"))
        section.data["rows"] = rows
        if not rows:
            section.omitted = "no figures"
            section.problems.append(
                (
                    "references",
                    f"{where}: no figures are entered for “{value['period']}”. Enter them under "
                    "Statistics › Enter figures, or choose another period.",
                ),
            )

    def text_parts(self, section, links) -> list[str]:
        return [
            f"Figures for {section.data['period']}:",
            *super().text_parts(section, links),
            *(
                f"- {row.name}: {number(row.value)}{' ' + row.unit if row.unit else ''} "
                f"({row.change_text})"
                for row in section.data["rows"]
            ),
        ]


class StatisticOfTheMonthBlock(SectionBlock, StatisticBlock):
    class Meta:
        icon = "table"
        label = "Statistic of the month"
        help_text = (
            "A statistic from the library, shown with its source. It is shown as the library "
            "has it, so a correction there shows here too."
        )
        description = "A statistic from the library, with its source, as the library has it."
        template = "newsletter/blocks/statistic.html"
        email_template = "newsletter/email/blocks/statistic.html"

    def resolve(self, section, raw) -> None:
        statistic = section.value.get("statistic")
        if statistic is None:
            section.omitted = "deleted"
            section.problems.append(
                (
                    "references",
                    f"{section.label}: the chosen statistic (id {raw.get('statistic')}) no "
                    "longer exists. Choose another.",
                ),
            )
            return
        section.uses_pack = statistic.uses_pack_licence

    def text_parts(self, section, links) -> list[str]:
        statistic = section.value["statistic"]
        source = statistic.source
        parts = [
            f"{statistic.figure}\n{statistic.claim}",
            f"Source: {source.publisher}, {source.title} {links.ref(source.url)}",
        ]
        if section.value.get("show_footnote") and statistic.footnote:
            parts.append(statistic.footnote)
        return parts

    def presend_checks(self, section) -> list[tuple[str, str]]:
        from stats.selectors import statistics_stale

        statistic = section.value.get("statistic")
        if statistic is None or not statistics_stale().filter(pk=statistic.pk).exists():
            return []
        return [
            (
                "stale",
                f"{section.label}: the statistic “{statistic.figure}” was due for review on "
                f"{statistic.review_by:%d %B %Y}. Review it in the library or choose another.",
            )
        ]


class CampaignIntroBlock(PackSectionBlock):
    intro = SnippetChooserBlock("campaign.CampaignIntro", label="Campaign intro text")

    class Meta:
        icon = "openquote"
        label = "Campaign intro"
        help_text = "The campaign introduction text (Campaign › Intro text), as published."
        description = "The campaign introduction text, as published under Campaign › Intro text."
        template = "newsletter/blocks/campaign_intro.html"
        email_template = "newsletter/email/blocks/campaign_intro.html"

    def section_heading(self, value) -> str:
        return value["intro"].heading if value.get("intro") else str(self.label)

    def resolve(self, section, raw) -> None:
        intro, where = section.value.get("intro"), section.label
        if intro is None:
            section.omitted = "deleted"
            section.problems.append(
                ("references", f"{where}: the chosen campaign intro text no longer exists.")
            )
        elif not intro.live:
            section.omitted = "not published"
            section.problems.append(
                (
                    "references",
                    f"{where}: the campaign intro text “{intro}” is not published "
                    "(Campaign › Intro text).",
                ),
            )
        else:
            section.uses_pack = intro.from_pack

    def text_parts(self, section, links) -> list[str]:
        return [html_to_text(section.value["intro"].body, links)]

    def presend_checks(self, section) -> list[tuple[str, str]]:
        from comms.guard import placeholder_guard_messages, placeholder_guard_scan

        intro = section.value.get("intro")
        if intro is None:
            return []
        return [
            ("placeholders", f"{line} (campaign intro text “{intro}”, {section.label})")
            for line in placeholder_guard_messages(placeholder_guard_scan(intro))
        ]


# --- the shared blocks of ``comms.blocks``, as sections of an issue ---------------------------
# The web keeps each block's own template; these add the email template and the plain text.
# ``HeadingBlock`` and ``SectionRichTextBlock`` freeze into migrations as the Wagtail blocks they
# extend (as every StructBlock subclass does): they add rendering, not stored shape.


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

    def text_parts(self, section, links) -> list[str]:
        value = section.value
        return [
            value.get("text") or "",
            *(f"- {link['title']} {links.ref(link['url'])}" for link in value["links"]),
        ]


class NewsletterBodyBlock(BaseStreamBlock):
    """The pack's sections plus the shared general blocks (rich text, image, call to action…),
    each as a ``SectionBlock`` (the shared ones keep their place and stored shape)."""

    rich_text = SectionRichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        label="Rich text",
        template="comms/blocks/rich_text_block.html",
    )
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

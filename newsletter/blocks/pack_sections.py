"""The sections of the pack's newsletter outline that an editor writes ("Content suggestions").

Each is a ``PackSectionBlock``: a heading, rich text, and what the section adds (an author, a
page to read more, blog posts, training dates, policy links, the campaign intro). The sections
that show figures are in ``newsletter.blocks.figures``.
"""

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from comms.blocks import LinkBlock
from newsletter.rendering import absolute, html_to_text
from newsletter.sections import SectionBlock, raw_ids, section_resolve

SECTION_TEXT_FEATURES = ["h3", "bold", "italic", "link", "ol", "ul", "document-link"]
# The block picker's preview for a section that shows content chosen from a library.
DESCRIBED_PREVIEW = "newsletter/blocks/preview_described.html"
PREVIEW_TEXT = (
    "<p>Two research teams asked the research office before signing a collaboration "
    "agreement this term: both went ahead, with the right checks in place.</p>"
)


def section_heading_block(default: str) -> blocks.CharBlock:
    """A section's heading, filled in with the pack's name for it."""
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

    def get_preview_value(self):
        """``Meta.preview_value``, with each field it leaves out at its default (as a section
        just added has it), so the preview resolves like a section of an issue."""
        value, default = super().get_preview_value(), self.get_default()
        return self.meta.value_class(
            self, [(name, value[name] if name in value else default[name]) for name in default]
        )

    def text_parts(self, section, links) -> list[str]:
        return [html_to_text(_rich_text(section.value.get("text")), links)]


class IntroductionBlock(PackSectionBlock):
    heading = section_heading_block("Introduction")
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
    heading = section_heading_block("Spotlight")
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
    heading = section_heading_block("Highlights")
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
    heading = section_heading_block("Learning zone")
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
        from campaign.models import Activity

        # Live, like every reference: the calendar as it is when the issue is rendered.
        count = section.value.get("upcoming_training")
        section.data["training"] = Activity.objects.training_upcoming_cached(
            count=0 if count is None else count
        )
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
    heading = section_heading_block("Policy zone")
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


class CampaignIntroBlock(PackSectionBlock):
    intro = SnippetChooserBlock("campaign.CampaignIntro", label="Campaign intro text")

    class Meta:
        icon = "openquote"
        label = "Campaign intro"
        help_text = "The campaign introduction text (Campaign › Intro text), as published."
        description = "The campaign introduction text, as published under Campaign › Intro text."
        template = "newsletter/blocks/campaign_intro.html"
        email_template = "newsletter/email/blocks/campaign_intro.html"
        # It shows the published intro text chosen: the preview describes it instead.
        preview_template = DESCRIBED_PREVIEW

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

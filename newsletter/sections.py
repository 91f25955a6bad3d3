"""An issue's body resolved into sections: each block with the live content it references.

One pass, shared by the three renderings (web, HTML email, plain text) and the pre-send checks:
a block whose reference is gone (a deleted post, statistic, image or campaign intro) is left
out of every rendering, and the reason is kept so the checks can name it.

What a section does is decided by its block (``SectionBlock`` below, implemented by every
block of ``newsletter.blocks.NewsletterBodyBlock``): how it resolves its references, its web
template (``Meta.template``), its email template (``Meta.email_template``), its plain text and
its pre-send checks. This module only walks the body.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string

from stats import periods
from stats.models import MetricValue


@dataclass
class MetricRow:
    name: str
    unit: str
    value: Decimal
    previous: Decimal | None
    previous_label: str
    higher_is_better: bool

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.value - self.previous

    @property
    def change_text(self) -> str:
        """'up 3 on Q4 2023', 'down 2 on February 2024', 'no change on …' or 'first figure'."""
        change = self.change
        if change is None:
            return "first figure"
        if not change:
            return f"no change on {self.previous_label}"
        direction = "up" if change > 0 else "down"
        return f"{direction} {number(abs(change))} on {self.previous_label}"


def number(value: Decimal) -> str:
    """12 rather than 12.00; 12.5 stays 12.5."""
    text = f"{value:,.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass
class Section:
    """One body block ready to render. ``kind`` is the block type; ``data`` what it shows."""

    kind: str
    label: str
    value: object
    block: object = None  # the StreamField child: ``{% include_block %}`` renders it on the web
    data: dict = field(default_factory=dict)
    omitted: str = ""  # why the block is left out of every rendering ("" = shown)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (check, message)
    uses_pack: bool = False
    definition: object = None  # the block (a ``SectionBlock``) that decides all of the above

    @property
    def heading(self) -> str:
        return self.definition.section_heading(self.value)


class SectionBlock:
    """What a block of an issue's body does, besides holding its value (a mixin for blocks).

    - ``resolve(section, raw)``: load what the value references, live, into ``section.data``;
      when a reference is gone, set ``section.omitted`` (the block is left out of every
      rendering) and add ``(check, message)`` to ``section.problems`` (``"references"`` or
      ``"images"``, shown by the pre-send checks).
    - the web: ``Meta.template``, rendered by ``{% include_block %}`` with ``section`` and
      ``forloop_counter`` (its place in the issue) in the context.
    - the HTML email: ``Meta.email_template``, rendered with the issue's context, ``section``,
      ``value`` and ``section.data``; the issue inlines its CSS and makes its URLs absolute.
    - the plain text: ``text_parts(section, links)``, under the section's underlined heading
      unless ``text_heading`` is false; ``links.ref(url)`` numbers a link.
    - ``presend_checks(section)``: further ``(check, message)`` pairs only the pre-send checks
      need (``"placeholders"``, ``"stale"``), kept out of rendering because they cost queries.
    """

    text_heading = True

    def resolve(self, section: Section, raw: dict) -> None:
        """Nothing to resolve: the value holds everything the section shows."""

    def section_heading(self, value) -> str:
        if hasattr(value, "get") and value.get("heading"):
            return str(value["heading"])
        return str(self.label)

    def render_email(self, section: Section, context: dict) -> str:
        return render_to_string(
            self.meta.email_template,
            {**context, "section": section, "value": section.value, **section.data},
        )

    def text_parts(self, section: Section, links) -> list[str]:
        return []

    def render_text(self, section: Section, links) -> str:
        parts = [underline(section.heading)] if self.text_heading else []
        parts += self.text_parts(section, links)
        return "\n\n".join(part for part in parts if part)

    def presend_checks(self, section: Section) -> list[tuple[str, str]]:
        return []


def underline(heading: str, char: str = "-") -> str:
    return f"{heading}\n{char * len(heading)}"


def raw_ids(raw) -> list:
    """Chosen ids in a ListBlock's raw JSON (new ``{"type": "item", "value": id}`` or old form)."""
    ids = []
    for item in raw or []:
        ids.append(item.get("value") if isinstance(item, dict) else item)
    return ids


def metric_rows(label: str) -> list[MetricRow]:
    """Every metric's figure for the period, with the figure of the period before it."""
    start, kind = periods.period_parse(label)
    values = MetricValue.objects.filter(period=start, period_kind=kind).select_related("metric")
    rows = []
    for current in values.order_by("metric__sort_order", "metric__name"):
        before = (
            MetricValue.objects.filter(
                metric_id=current.metric_id, period_kind=kind, period__lt=start
            )
            .order_by("-period")
            .first()
        )
        rows.append(
            MetricRow(
                name=current.metric.name,
                unit=current.metric.unit,
                value=current.value,
                previous=before.value if before else None,
                previous_label=before.display_period if before else "",
                higher_is_better=current.metric.higher_is_better,
            )
        )
    return rows


def section_resolve(definition: SectionBlock, value, *, label: str, block=None, raw=None):
    """One block's value resolved by its block (``definition``) into a ``Section``."""
    section = Section(
        kind=definition.name,
        label=label,
        value=value,
        block=block,
        definition=definition,
    )
    definition.resolve(section, raw if isinstance(raw, dict) else {})
    return section


def issue_sections(page) -> list[Section]:
    """Every body block of ``page`` (a page or a revision's object), resolved, in order."""
    sections = []
    raw_data = list(page.body.raw_data)
    for number_, block in enumerate(page.body, start=1):
        raw = raw_data[number_ - 1].get("value") if number_ <= len(raw_data) else None
        sections.append(
            section_resolve(
                block.block,
                block.value,
                label=f"Body, block {number_} ({block.block.label})",
                block=block,
                raw=raw,
            )
        )
    return sections


def pack_notice_needed(sections: list[Section]) -> bool:
    """Whether pack content appears, so the disclaimer goes with it."""
    return any(section.uses_pack and not section.omitted for section in sections)

"""An issue's body resolved into sections: each block with the live content it references.

One pass, shared by the three renderings (web, HTML email, plain text) and the pre-send checks:
a block whose reference is gone (a deleted post, statistic, image or campaign intro) is left
out of every rendering, and the reason is kept so the checks can name it.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from campaign.selectors import training_upcoming_cached
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
    block: object = None  # the StreamField child, for the shared blocks' own web templates
    data: dict = field(default_factory=dict)
    omitted: str = ""  # why the block is left out of every rendering ("" = shown)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (check, message)
    uses_pack: bool = False

    @property
    def heading(self) -> str:
        if self.kind == "heading":
            return str(self.value)
        if self.kind == "campaign_intro" and self.value.get("intro"):
            return self.value["intro"].heading
        if hasattr(self.value, "get") and self.value.get("heading"):
            return str(self.value["heading"])
        return str(self.block.block.label) if self.block is not None else ""


def _raw_ids(raw) -> list:
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


def _resolve(section: Section, raw: dict) -> None:
    value, where = section.value, section.label
    if section.kind == "highlights":
        posts = [post.specific for post in value["posts"] if post is not None]
        missing = sum(1 for pk in _raw_ids(raw.get("posts")) if pk) - len(posts)
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
    elif section.kind == "learning_zone":
        # Live, like every reference: the calendar as it is when the issue is rendered.
        count = value.get("upcoming_training")
        section.data["training"] = training_upcoming_cached(count=0 if count is None else count)
    elif section.kind == "numbers":
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
    elif section.kind == "statistic":
        statistic = value.get("statistic")
        if statistic is None:
            section.omitted = "deleted"
            section.problems.append(
                (
                    "references",
                    f"{where}: the chosen statistic (id {raw.get('statistic')}) no longer exists. "
                    "Choose another.",
                ),
            )
            return
        section.uses_pack = statistic.uses_pack_licence
    elif section.kind == "campaign_intro":
        intro = value.get("intro")
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
    elif section.kind == "image":
        if value.get("image") is None:
            section.omitted = "deleted"
            section.problems.append(("references", f"{where}: the chosen image no longer exists."))
        elif not (value.get("alt_text") or "").strip():
            section.problems.append(
                ("images", f"{where}: the image has no alt text. Describe what it shows.")
            )
    elif section.kind == "call_to_action":
        if value.get("page") is None and raw.get("page"):
            section.problems.append(
                ("references", f"{where}: the page the button links to no longer exists.")
            )
        section.data["url"] = (value["page"].url if value.get("page") else "") or value.get("url")
        if not section.data["url"]:
            section.omitted = "no link"
    elif section.kind == "spotlight":
        if value.get("link") is None and raw.get("link"):
            section.problems.append(
                ("references", f"{where}: the page it links to no longer exists.")
            )
        section.data["url"] = value["link"].url if value.get("link") else ""


def issue_sections(page) -> list[Section]:
    """Every body block of ``page`` (a page or a revision's object), resolved, in order."""
    sections = []
    raw_data = list(page.body.raw_data)
    for number_, block in enumerate(page.body, start=1):
        raw = raw_data[number_ - 1].get("value") if number_ <= len(raw_data) else None
        section = Section(
            kind=block.block_type,
            label=f"Body, block {number_} ({block.block.label})",
            value=block.value,
            block=block,
        )
        _resolve(section, raw if isinstance(raw, dict) else {})
        sections.append(section)
    return sections


def pack_notice_needed(sections: list[Section]) -> bool:
    """Whether pack content appears, so the disclaimer goes with it."""
    return any(section.uses_pack and not section.omitted for section in sections)

"""The sections that show the portal's figures: a period's metrics and a statistic of the month.

Both show the figures as they are when the issue is rendered, never a copy.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError

from wagtail import blocks

from newsletter.blocks.pack_sections import (
    DESCRIBED_PREVIEW,
    SECTION_TEXT_FEATURES,
    PackSectionBlock,
    section_heading_block,
)
from newsletter.sections import MetricRow, Section, SectionBlock, metric_rows, number
from stats import periods
from stats.blocks import StatisticBlock
from stats.periods import PERIOD_FORMAT_HELP, period_parse

# The block picker's preview shows example figures: the library may have none for a period yet.
PREVIEW_ROWS = [
    MetricRow("Due diligence checks undertaken", "", Decimal(14), Decimal(11), "Q4 2023", True),
    MetricRow("Export control licences requested", "", Decimal(3), Decimal(3), "Q4 2023", True),
    MetricRow("Staff trained in Trusted Research", "people", Decimal(126), None, "", True),
]


class PeriodBlock(blocks.CharBlock):
    """A metrics period label ("2024-03" or "2024-Q1"), validated by ``stats.periods``."""

    # Migrations name it by the path it had before ``newsletter.blocks`` became a package.
    canonical_module_path = "newsletter.blocks.PeriodBlock"

    def clean(self, value):
        value = super().clean(value)
        try:
            period_parse(value)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        return value.strip().upper()


class NumbersBlock(PackSectionBlock):
    heading = section_heading_block("Trusted Research in numbers")
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

    def get_preview_context(self, value, parent_context=None):
        """The picker's preview shows ``PREVIEW_ROWS``, not the library's figures: ``get_context``
        renders the ``section`` given here instead of resolving the value."""
        period = periods.period_display(*period_parse(value["period"]))
        section = Section(
            kind=self.name,
            label=str(self.label),
            value=value,
            definition=self,
            data={"period": period, "rows": PREVIEW_ROWS},
        )
        return {**super().get_preview_context(value, parent_context), "section": section}

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
        # It shows a statistic chosen from the library: the preview describes it instead.
        preview_template = DESCRIBED_PREVIEW

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
        from stats.models import Statistic

        statistic = section.value.get("statistic")
        if statistic is None or not Statistic.objects.stale().filter(pk=statistic.pk).exists():
            return []
        return [
            (
                "stale",
                f"{section.label}: the statistic “{statistic.figure}” was due for review on "
                f"{statistic.review_by:%d %B %Y}. Review it in the library or choose another.",
            )
        ]

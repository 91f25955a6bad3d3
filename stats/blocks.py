"""StreamField blocks of the statistics app; blogs and newsletters compose them."""

from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock


class StatisticBlock(blocks.StructBlock):
    """A statistic embedded by reference: a correction in the library shows everywhere."""

    statistic = SnippetChooserBlock("stats.Statistic")
    show_footnote = blocks.BooleanBlock(
        required=False, default=True, help_text="Show the caveat under the figure."
    )

    class Meta:
        icon = "table"
        label = "Statistic"
        template = "stats/blocks/statistic_block.html"

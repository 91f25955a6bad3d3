import pytest

from stats.blocks import StatisticBlock
from stats.models import Statistic

pytestmark = pytest.mark.django_db


def test_statistic_block_renders_figure_claim_source_and_licence(stats_pack):
    statistic = Statistic.objects.get(pack_number=8)
    block = StatisticBlock()
    html = block.render(block.to_python({"statistic": statistic.pk, "show_footnote": True}))
    assert "23.8%" in html
    assert "International students make up 23.8% of the total UK student population." in html
    assert "Universities UK International, International facts and figures 2023" in html
    assert "which have known limitations" in html
    assert "open-government-licence/version/3" in html
    assert "Source: NPSA, Trusted Research implementation – communications pack" in html

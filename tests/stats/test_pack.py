"""The comms-pack loader for statistics: clean text, idempotent, keeps editors' edits."""

from io import StringIO

from django.core.management import call_command
from django.test import override_settings

import pytest

from comms.licence import OGL_URL, PACK_ATTRIBUTION
from stats.models import Metric, Source, Statistic, StatisticsIndexPage
from stats.services import stats_pack_load

pytestmark = pytest.mark.django_db

BIBLIOMETRICS = "some of these statistics may be based on bibliometrics"


def test_all_17_statistics_load_with_clean_text_and_their_sources(stats_pack):
    statistics = list(Statistic.objects.select_related("source").order_by("pack_number"))
    assert [s.pack_number for s in statistics] == list(range(1, 18))
    for statistic in statistics:
        for stray in ("**", "- ", "¹", "²", "\n", "  "):
            assert stray not in statistic.claim, (statistic.pack_number, stray)
        assert statistic.claim[0].isupper() or statistic.claim[0].isdigit()
        assert statistic.claim.endswith(".")
        assert statistic.attribution == PACK_ATTRIBUTION
        assert statistic.licence_url == OGL_URL
    first, *uuki = statistics
    assert first.claim.startswith("84% of research organisations surveyed by ARMA")
    assert first.source.url.startswith("https://arma.ac.uk/")
    assert BIBLIOMETRICS not in first.footnote
    assert statistics[12].claim == (
        "The UK is a world leader in transnational education (TNE). From 2021 to 2022, 160 UK "
        "universities delivered TNE to over half a million (558,085) students in over 230 "
        "countries."
    )
    assert statistics[1].figure == "61.5%"
    for statistic in uuki:
        assert statistic.source.title == "International facts and figures 2023"
        assert "universitiesuk.ac.uk" in statistic.source.url
        assert BIBLIOMETRICS in statistic.footnote
    assert Source.objects.count() == 2
    assert Metric.objects.count() == 7
    assert StatisticsIndexPage.objects.get().url == "/statistics/"


def test_running_twice_changes_nothing(stats_pack):
    before = list(Statistic.objects.order_by("pk").values())
    report = stats_pack_load(reset=False)
    assert report.created == [] and report.updated == [] and report.skipped == []
    assert len(report.kept) == len(stats_pack.created)
    assert list(Statistic.objects.order_by("pk").values()) == before


def test_an_editors_edit_survives_a_rerun_and_reset_restores_the_pack(stats_pack):
    statistic = Statistic.objects.get(pack_number=7)
    statistic.claim = "The UK has the highest field-weighted citation impact of the G7."
    statistic.save()

    out = StringIO()
    # Only this app's loader: the command's output, independent of other apps' loaders.
    with override_settings(COMMS_PACK_LOADERS=["stats.pack.load"]):
        call_command("load_comms_pack", stdout=out)
    assert "skipped statistic 7: edited since it was loaded" in out.getvalue()
    statistic.refresh_from_db()
    assert statistic.claim.endswith("of the G7.")

    report = stats_pack_load(reset=True)
    assert report.updated == ["statistic 7"]
    statistic.refresh_from_db()
    assert statistic.claim == "The UK has the highest field-weighted citation impact."


def test_an_edited_metric_is_kept(stats_pack):
    metric = Metric.objects.get(slug="training-events")
    metric.name = "Awareness sessions"
    metric.save()
    stats_pack_load(reset=False)
    metric.refresh_from_db()
    assert metric.name == "Awareness sessions"

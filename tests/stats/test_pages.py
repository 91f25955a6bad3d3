"""/statistics/: the library, filters, permalinks, share cards, query counts."""

import io
from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
from PIL import Image

from comms.readercache import caching
from stats.models import Source, Statistic
from tests.factories import StatisticFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client_as, staff_user):
    return client_as(staff_user)


def test_library_lists_every_statistic_with_source_and_footnote(stats_pack, reader):
    response = reader.get("/statistics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "17 statistics" in html
    assert "61.5% of the UK&#x27;s research output" in html
    assert "https://arma.ac.uk/wp-content/uploads/2023/03/Trusted-Report_Booklet_v7.pdf" in html
    assert "which have known limitations" in html
    assert "Open Government Licence v3.0" in html


def test_anonymous_visitors_are_sent_to_sign_in(stats_pack, client):
    response = client.get("/statistics/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_filter_by_topic_source_and_search(stats_pack, reader):
    html = reader.get("/statistics/?topic=international-students").content.decode()
    assert "4 statistics match" in html
    assert "45.4% of all postgraduate students" in html
    assert "61.5%" not in html

    arma = Source.objects.get(pack_key="arma-complex-collaborations")
    html = reader.get(f"/statistics/?source={arma.pk}").content.decode()
    assert "1 statistic match" in html and "84% of research organisations" in html

    html = reader.get("/statistics/?q=transnational").content.decode()
    assert "1 statistic match" in html and "558,085" in html


def test_permalink_shows_copy_text_and_card(stats_pack, reader):
    statistic = Statistic.objects.get(pack_number=2)
    response = reader.get(f"/statistics/{statistic.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Copy for an email or slide" in html
    assert (
        "61.5% of the UK&#x27;s research output was produced with international co-authors in "
        "2022. Source: Universities UK International, International facts and figures 2023 (2023)"
    ) in html
    assert f'src="/statistics/{statistic.pk}/card/"' in html
    assert 'alt="Share card: 61.5%.' in html
    assert reader.get("/statistics/999999/").status_code == 404


def test_share_card_is_a_png_of_the_stated_size_and_downloads(stats_pack, reader):
    statistic = Statistic.objects.get(pack_number=13)
    response = reader.get(f"/statistics/{statistic.pk}/card/?download=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f'attachment; filename="statistic-{statistic.pk}.png"'
    )
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size == (1200, 675)
    again = reader.get(f"/statistics/{statistic.pk}/card/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_stale_statistic_is_flagged_with_its_as_of_date(stats_pack, reader):
    statistic = Statistic.objects.get(pack_number=4)
    statistic.review_by = date.today() - timedelta(days=1)
    statistic.save()
    html = reader.get(f"/statistics/{statistic.pk}/").content.decode()
    assert "Due for review since" in html


def test_pack_statistics_show_only_the_dates_the_pack_gives(stats_pack, reader):
    # The pack names the ARMA report without a year and gives no "as of" date for any figure:
    # a pack statistic's dates are those in its claim and its source's title.
    arma = Statistic.objects.get(pack_number=1)
    html = reader.get(f"/statistics/{arma.pk}/").content.decode()
    assert "Complex Collaborations report</a>." in html
    assert (
        "Source: Association of Research Managers and Administrators (ARMA), Complex "
        "Collaborations report, https://arma.ac.uk/"
    ) in html
    assert "As of" not in html and "March 2023" not in html
    uuki = Statistic.objects.get(pack_number=4)
    html = reader.get(f"/statistics/{uuki.pk}/").content.decode()
    assert "International facts and figures 2023</a> (2023)." in html
    assert "As of" not in html and "January 2023" not in html
    library = reader.get("/statistics/").content.decode()
    assert "As of" not in library
    # A statistic the office adds gives its own date, and readers see it.
    own = StatisticFactory(as_of=date(2024, 6, 1), review_by=date.today() + timedelta(days=30))
    html = reader.get(f"/statistics/{own.pk}/").content.decode()
    assert "As of June 2024." in html


def test_the_bibliometrics_caveat_sits_once_above_the_list_as_in_the_pack(stats_pack, reader):
    # The pack says it once, before its list of statistics; a figure quoted alone keeps it.
    caveat = "some of these statistics may be based on bibliometrics, which have known limitations"
    library = reader.get("/statistics/").content.decode()
    assert library.count(caveat) == 1
    assert library.index(caveat) < library.index("84% of research organisations")
    uuki = Statistic.objects.get(pack_number=4)
    assert caveat in reader.get(f"/statistics/{uuki.pk}/").content.decode()
    arma = Statistic.objects.get(pack_number=1)
    assert caveat not in reader.get(f"/statistics/{arma.pk}/").content.decode()


def _queries(reader, url):
    # As just after an edit: the page is built afresh, not served from the caches.
    caching.generation_bump(caching.CONTENT)
    with CaptureQueriesContext(connection) as captured:
        assert reader.get(url).status_code == 200
    return len(captured)


def test_library_query_count_does_not_grow_with_the_number_of_statistics(stats_pack, reader):
    reader.get("/statistics/")  # warm per-process caches (site root paths, content types)
    with_17 = _queries(reader, "/statistics/")
    source = Source.objects.first()
    Statistic.objects.bulk_create(
        StatisticFactory.build(source=source) for _ in range(500 - Statistic.objects.count())
    )
    for statistic in Statistic.objects.filter(pack_number__isnull=True)[:50]:
        statistic.topics.add("bulk")
        statistic.save()
    assert Statistic.objects.count() == 500
    with_500 = _queries(reader, "/statistics/")
    assert with_17 == with_500
    assert _queries(reader, "/statistics/?page=5") == with_500


@pytest.mark.parametrize("source", ["99999999999999999999999", "9223372036854775808", "-1"])
def test_a_source_number_no_source_can_have_is_an_empty_result_not_an_error(
    stats_pack, reader, source
):
    response = reader.get(f"/statistics/?source={source}")
    assert response.status_code == 200
    assert "No statistics match" in response.content.decode()

"""One renderer, three renderings of a realistic issue: web page, HTML email, plain text."""

import datetime
import re

import pytest

from newsletter.rendering import UNSUBSCRIBE_SENTINEL, render_issue
from tests.factories import (
    MetricFactory,
    MetricValueFactory,
    StatisticFactory,
    blog_post,
    campaign_intro,
    newsletter_image,
    newsletter_issue,
    realistic_issue_body,
)

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Introduction",
    "Spotlight",
    "Highlights",
    "Learning zone",
    "Policy zone",
    "Trusted Research in numbers",
    "Statistic of the month",
    "Pride and Joy: our Trusted Research campaign",
    "Read the blog",
]


@pytest.fixture
def issue():
    posts = [blog_post("Protecting our research"), blog_post("Due diligence in practice")]
    checks = MetricFactory(name="Due diligence checks undertaken", unit="checks")
    MetricValueFactory(metric=checks, period=datetime.date(2024, 2, 1), value=12)
    MetricValueFactory(metric=checks, period=datetime.date(2024, 3, 1), value=15)
    statistic = StatisticFactory(figure="42%", claim="42% of example researchers agree.")
    body = realistic_issue_body(
        posts=posts, statistic=statistic, intro=campaign_intro(), image=newsletter_image()
    )
    return newsletter_issue("Trusted Research – March 2024", body=body)


def test_html_email_is_inlined_accessible_and_absolute(issue):
    html = render_issue(issue).html
    assert 'lang="en-GB"' in html
    assert html.count('role="presentation"') >= 2 and 'width="600"' in html
    assert "<style" not in html and "<link" not in html  # inlined; no remote CSS
    assert re.search(r'<h2 style="[^"]*color: ?#1d3557', html)  # a rule from <style>, inlined
    images = re.findall(r"<img[^>]*>", html)
    assert images and all(re.search(r'alt="[^"]+"', img) for img in images)
    for url in re.findall(r'(?:href|src)="([^"]+)"', html):
        assert url.startswith(("http://", "https://", "mailto:")) or url == UNSUBSCRIBE_SENTINEL
    assert "http://testserver/blog/protecting-our-research/" in html
    assert "Researchers in a lab" in html
    assert len(html.encode()) < 100 * 1024


def test_each_section_and_the_live_content_appear_in_every_rendering(issue, client_as, staff_user):
    rendered = render_issue(issue)
    web = client_as(staff_user).get(issue.url).content.decode()
    for heading in HEADINGS:
        assert heading in rendered.html and heading in web
        assert f"{heading}\n{'-' * len(heading)}" in rendered.text
    for part in (rendered.html, rendered.text, web):
        assert "Protecting our research" in part and "Due diligence in practice" in part
        assert "Due diligence checks undertaken" in part and "15" in part
        assert "up 3 on February 2024" in part
        assert "42%" in part and "Our research is our pride and joy." in part
        assert "Open Government Licence v3.0" in part


def test_text_part_numbers_links_and_lists_them_at_the_end(issue):
    text = render_issue(issue).text
    assert "Trusted Research [1]" in text
    links = text.split("\nLinks\n-----\n", 1)[1]
    assert "[1] https://www.npsa.gov.uk/trusted-research" in links
    assert re.search(r"\[\d+\] http://testserver/blog/protecting-our-research/", links)
    assert "<p>" not in text and "&#x27;" not in text
    assert f"Unsubscribe: {UNSUBSCRIBE_SENTINEL}" in text
    assert "[Image: Researchers in a lab]" in text


def test_pack_disclaimer_goes_with_pack_content():
    from comms.licence import OGL_URL, PACK_ATTRIBUTION, PACK_DISCLAIMER

    own = newsletter_issue(body=[("heading", "Our news")])
    assert PACK_DISCLAIMER[0] not in render_issue(own).html
    pack_statistic = StatisticFactory(attribution=PACK_ATTRIBUTION, licence_url=OGL_URL)
    issue = newsletter_issue(
        body=[("statistic", {"statistic": pack_statistic, "show_footnote": False})]
    )
    rendered = render_issue(issue)
    assert PACK_DISCLAIMER[0] in rendered.html and PACK_DISCLAIMER[0] in rendered.text


def test_a_correction_to_a_statistic_shows_in_an_assembled_issue(issue, client_as, staff_user):
    from stats.models import Statistic

    statistic = Statistic.objects.get(figure="42%")
    statistic.figure = "41%"
    statistic.claim = "41% of example researchers agree (corrected)."
    statistic.save()
    issue.refresh_from_db()
    rendered = render_issue(issue)
    web = client_as(staff_user).get(issue.url).content.decode()
    for part in (rendered.html, rendered.text, web):
        assert "41% of example researchers agree (corrected)." in part
        assert "42%" not in part


def test_deleted_references_are_left_out_without_error(issue, client_as, staff_user):
    from blogs.models import BlogPostPage
    from campaign.models import CampaignIntro
    from stats.models import Statistic

    BlogPostPage.objects.get(title="Protecting our research").delete()
    Statistic.objects.get(figure="42%").delete()
    CampaignIntro.objects.all().delete()
    issue.refresh_from_db()
    rendered = render_issue(issue)
    response = client_as(staff_user).get(issue.url)
    assert response.status_code == 200
    for part in (rendered.html, rendered.text, response.content.decode()):
        assert "Protecting our research" not in part and "42%" not in part
        assert "Statistic of the month" not in part and "Pride and Joy" not in part
        assert "Due diligence in practice" in part


def test_campaign_intro_has_a_reader_heading_not_the_packs_label(client_as, staff_user):
    # The pack labels its text for editors ("…: introduction text for internal/external mailing
    # lists"); that label names the snippet in the admin, readers get a heading written for them.
    from campaign.plan_text import INTRO_TITLE

    intro = campaign_intro(INTRO_TITLE, body="<p>Our research is our pride and joy.</p>")
    issue = newsletter_issue("Trusted Research – May", body=[("campaign_intro", {"intro": intro})])
    rendered = render_issue(issue)
    web = client_as(staff_user).get(issue.url).content.decode()
    assert re.search(r"<h2[^>]*>Pride and Joy: our Trusted Research campaign</h2>", web)
    assert re.search(r"<h2[^>]*>Pride and Joy: our Trusted Research campaign</h2>", rendered.html)
    assert "Pride and Joy: our Trusted Research campaign\n---" in rendered.text
    for part in (web, rendered.html, rendered.text):
        assert "introduction text for internal/external mailing lists" not in part
        assert "Our research is our pride and joy." in part

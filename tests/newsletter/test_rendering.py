"""One renderer, three renderings of a realistic issue: web page, HTML email, plain text."""

import datetime
import re

from django.utils.html import strip_tags

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
    from comms.licence import OGL_URL, PACK_ATTRIBUTION, PACK_DISCLAIMER_SHORT

    own = newsletter_issue(body=[("heading", "Our news")])
    assert PACK_DISCLAIMER_SHORT not in render_issue(own).html
    pack_statistic = StatisticFactory(attribution=PACK_ATTRIBUTION, licence_url=OGL_URL)
    issue = newsletter_issue(
        body=[("statistic", {"statistic": pack_statistic, "show_footnote": False})]
    )
    rendered = render_issue(issue)
    assert PACK_DISCLAIMER_SHORT in rendered.html and PACK_DISCLAIMER_SHORT in rendered.text


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


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_preheader_is_hidden_in_every_client_that_hides_preheaders():
    issue = newsletter_issue()  # preheader "News from the research office"
    html = render_issue(issue).html
    match = re.search(
        r'<!--\[if !mso\]><!--><div style="([^"]*)"[^>]*>News from the research office</div>'
        r"<!--<!\[endif\]-->",
        html,
    )
    # Outlook for Windows (which ignores display:none) skips what "if !mso" wraps: what
    # mso-hide:all would do, without a property the HTML checker refuses.
    assert match, "the preheader is not a styled div hidden from Outlook in the final HTML"
    style = match.group(1).replace(" ", "").lower()
    for rule in (
        "display:none",
        "max-height:0",
        "overflow:hidden",
        "font-size:1px",
        "line-height:1px",
        "color:#f3f2f1",  # the page background behind it
        "opacity:0",
    ):
        assert rule in style, f"{rule} missing from the preheader's style: {style}"


def test_campaign_intro_link_on_its_tinted_card_has_enough_contrast():
    intro = campaign_intro(
        body='<p>See <a href="https://www.npsa.gov.uk/trusted-research">the NPSA</a>.</p>'
    )
    html = render_issue(newsletter_issue(body=[("campaign_intro", {"intro": intro})])).html
    card = re.search(r'<div class="section box" style="[^"]*background-color: ?(#\w{6})', html)
    link = re.search(
        r'<a href="https://www.npsa.gov.uk/trusted-research" style="[^"]*color: ?(#\w{6})', html
    )
    assert card and link
    assert contrast(link.group(1), card.group(1)) >= 4.5


def test_email_disclaimer_is_one_short_paragraph_linking_to_the_full_text():
    from comms.licence import OGL_URL, PACK_ATTRIBUTION, PACK_DISCLAIMER

    pack_statistic = StatisticFactory(attribution=PACK_ATTRIBUTION, licence_url=OGL_URL)
    issue = newsletter_issue(body=[("statistic", {"statistic": pack_statistic})])
    rendered = render_issue(issue)
    footer = rendered.html.split('class="footer"', 1)[1]
    disclaimer = re.search(r"<p[^>]*>(<strong>Disclaimer.*?)</p>", footer, re.S)
    assert disclaimer, footer
    assert len(strip_tags(disclaimer.group(1))) < 300
    assert f'href="{issue.full_url}#disclaimer"' in disclaimer.group(1)
    for paragraph in PACK_DISCLAIMER:
        assert paragraph not in rendered.html and paragraph not in rendered.text
    assert f"Full disclaimer: {issue.full_url}#disclaimer" in rendered.text

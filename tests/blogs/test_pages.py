"""What readers see: /blog/, a post, the feed, the home page's latest posts."""

import datetime
from xml.etree import ElementTree

from wagtail.models import Site

import pytest

from comms.models import FeedToken, PortalSettings
from comms.services.feeds import feed_token_get_or_create
from tests.factories import blog_post, page_approve

pytestmark = pytest.mark.django_db


def day(n):
    return datetime.date(2025, 1, n)


def test_index_lists_live_posts_newest_first_with_author_date_and_reading_time(
    blog_pack, client_as, staff_user
):
    blog_post("Older post", date=day(1))
    blog_post("Newer post", date=day(20), author_name="Dr Grace Hopper")
    blog_post("Unpublished draft", publish=False)
    html = client_as(staff_user).get("/blog/").content.decode()
    assert html.count("<h1") == 1
    assert html.index("Newer post") < html.index("Older post")
    assert "Unpublished draft" not in html
    assert "20 January 2025" in html and "Dr Grace Hopper" in html and "1 min read" in html


def test_index_paginates(blog_pack, client_as, staff_user):
    for n in range(1, 13):
        blog_post(f"Post number {n:02d}", date=day(n))
    client = client_as(staff_user)
    first = client.get("/blog/").content.decode()
    assert "Post number 12" in first and "Post number 02" not in first
    assert "Page 1 of 2" in first
    second = client.get("/blog/?page=2").content.decode()
    assert "Post number 02" in second and "Post number 01" in second


def test_topic_filter_and_search(blog_pack, client_as, staff_user):
    blog_post(
        "Export control explained",
        topics=["Export control"],
        body_html="<p>Licences for dual-use items.</p>",
    )
    blog_post("Meet the team", topics=["People"], body_html="<p>Our research office.</p>")
    client = client_as(staff_user)
    html = client.get("/blog/?topic=export-control").content.decode()
    assert "Export control explained" in html and "Meet the team" not in html
    assert ">Export control</a>" in html and ">People</a>" in html
    found = client.get("/blog/?q=dual-use").content.decode()
    assert "Export control explained" in found and "Meet the team" not in found
    none = client.get("/blog/?q=zebra").content.decode()
    assert "No posts match this search" in none


def test_post_page_shows_body_topics_and_template_attribution(blog_pack, client_as, staff_user):
    post = blog_post("Protecting research", topics=["Due diligence"])
    post.source_template = blog_pack["blog_2"]
    post.save_revision()
    page_approve(post)
    html = client_as(staff_user).get(post.url).content.decode()
    assert html.count("<h1") == 1
    assert "Trusted Research helps us collaborate with confidence." in html
    assert "Due diligence</a>" in html
    assert "Adapted from the template" in html and "Source: NPSA" in html
    assert "open-government-licence/version/3" in html


def test_feed_for_a_signed_in_reader_and_by_private_token(blog_pack, client_as, staff_user, client):
    blog_post("In the feed", summary="Feed summary")
    blog_post("Not yet", publish=False)
    session = client_as(staff_user).get("/blog/feed/")
    assert session.status_code == 200
    assert session["Content-Type"].startswith("application/atom+xml")
    body = session.content.decode()
    assert "<title>In the feed</title>" in body and "Not yet" not in body

    index_html = client_as(staff_user).get("/blog/").content.decode()
    token = FeedToken.objects.get(user=staff_user).token
    assert f"/blog/feed/?token={token}" in index_html
    by_token = client.get(f"/blog/feed/?token={token}")
    assert by_token.status_code == 200 and "In the feed" in by_token.content.decode()


def test_feed_names_an_author_and_its_self_link_is_the_subscribed_address(
    blog_pack, client, staff_user
):
    site = Site.objects.get(is_default_site=True)
    PortalSettings.objects.update_or_create(
        site=site, defaults={"institution_name": "University of Exampleshire"}
    )
    blog_post("Signed post", author_name="Dr Ada Byron")
    blog_post("Unsigned post", author_name="")
    token = feed_token_get_or_create(user=staff_user).token

    feed = ElementTree.fromstring(client.get(f"/blog/feed/?token={token}").content)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    assert feed.findtext("a:author/a:name", namespaces=atom) == "University of Exampleshire"
    authors = {
        entry.findtext("a:title", namespaces=atom): entry.findtext(
            "a:author/a:name", namespaces=atom
        )
        for entry in feed.findall("a:entry", atom)
    }
    assert authors == {
        "Signed post": "Dr Ada Byron",
        "Unsigned post": "University of Exampleshire",
    }
    self_link = feed.find("a:link[@rel='self']", atom).get("href")
    assert self_link == f"http://testserver/blog/feed/?token={token}"


def test_feed_refuses_anonymous_and_bad_tokens(blog_pack, client):
    anonymous = client.get("/blog/feed/")
    assert anonymous.status_code == 302 and anonymous.url.startswith("/accounts/login/")
    bad = client.get("/blog/feed/?token=not-a-token")
    assert bad.status_code == 403
    assert "not valid" in bad.content.decode()


def test_home_page_shows_latest_posts(blog_pack, client_as, staff_user):
    blog_post("Latest news", date=day(5))
    html = client_as(staff_user).get("/").content.decode()
    assert "Latest posts" in html and "Latest news" in html

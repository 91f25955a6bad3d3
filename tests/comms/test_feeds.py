"""One personal feed token per user: made once, opening that user's feeds and nothing else."""

from django.test import Client

import pytest

from blogs import pack as blog_pack
from campaign import pack as campaign_pack
from comms.models import FeedToken
from comms.selectors import user_for_feed_token
from comms.services.feeds import feed_token_get_or_create

pytestmark = pytest.mark.django_db


def test_the_token_is_made_once(editor):
    first = feed_token_get_or_create(user=editor)
    assert feed_token_get_or_create(user=editor) == first
    assert FeedToken.objects.filter(user=editor).count() == 1
    assert len(first.token) >= 32


def test_the_token_belongs_to_its_active_user_only(editor, staff_user):
    token = feed_token_get_or_create(user=editor).token
    assert feed_token_get_or_create(user=staff_user).token != token
    assert user_for_feed_token(token) == editor
    assert user_for_feed_token("not-a-token") is None
    assert user_for_feed_token("") is None

    editor.is_active = False
    editor.save()
    assert user_for_feed_token(token) is None


def test_one_token_opens_both_feeds_and_nothing_else(staff_user):
    blog_pack.load(reset=False)
    campaign_pack.load()
    token = feed_token_get_or_create(user=staff_user).token
    anonymous = Client()
    assert anonymous.get(f"/blog/feed/?token={token}").status_code == 200
    assert anonymous.get(f"/campaign/calendar.ics?token={token}").status_code == 200
    assert anonymous.get(f"/blog/?token={token}").status_code == 302
    assert anonymous.get(f"/campaign/?token={token}").status_code == 302


@pytest.mark.parametrize("feed", ["/blog/feed/", "/campaign/calendar.ics"])
def test_both_feeds_let_in_and_refuse_the_same_way(feed, staff_user, client_as):
    blog_pack.load(reset=False)
    campaign_pack.load()
    anonymous = Client()
    # No token, no session: the login page, which brings the reader back to the feed.
    response = anonymous.get(feed)
    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={feed}"
    # A signed-in browser needs no token.
    signed_in = client_as(staff_user)
    assert signed_in.get(feed).status_code == 200
    # A bad token is refused, with or without a session, saying where to get the address.
    for who in (anonymous, signed_in):
        refused = who.get(f"{feed}?token=forged")
        assert refused.status_code == 403
        assert "Copy your personal feed address from the" in refused.content.decode()


# --- Pages that show the token: never stored by a cache; the token can be replaced ---

PAGES_WITH_THE_TOKEN = ["/blog/", "/campaign/"]


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("url", PAGES_WITH_THE_TOKEN)
def test_pages_showing_the_token_are_private_and_not_stored(url, staff_user, client_as):
    blog_pack.load(reset=False)
    campaign_pack.load()
    response = client_as(staff_user).get(url)
    assert response.status_code == 200
    assert feed_token_get_or_create(user=staff_user).token in response.content.decode()
    assert {"private", "no-store"} <= cache_directives(response)


@pytest.mark.parametrize("url", PAGES_WITH_THE_TOKEN)
def test_a_reader_replaces_their_token_from_the_page_that_shows_it(url, staff_user, client_as):
    blog_pack.load(reset=False)
    campaign_pack.load()
    old = feed_token_get_or_create(user=staff_user).token
    client = client_as(staff_user)
    page = client.get(url).content.decode()
    assert 'action="/account/feed-address/replace/"' in page
    assert "Replace my feed address" in page

    response = client.post("/account/feed-address/replace/", {"next": url}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    new = FeedToken.objects.get(user=staff_user).token
    assert new != old
    html = response.content.decode()
    assert "Your feed address has been replaced" in html
    assert new in html and old not in html
    anonymous = Client()
    for feed in ("/blog/feed/", "/campaign/calendar.ics"):
        assert anonymous.get(f"{feed}?token={old}").status_code == 403
        assert anonymous.get(f"{feed}?token={new}").status_code == 200


def test_replacing_the_token_is_recorded_without_the_token(staff_user, client_as, caplog):
    from wagtail.models import ModelLogEntry

    client_as(staff_user).post("/account/feed-address/replace/", {"next": "/blog/"})
    entry = ModelLogEntry.objects.get(action="comms.feed_token.replace")
    assert entry.user_id == staff_user.pk and entry.object_id == str(staff_user.pk)
    token = FeedToken.objects.get(user=staff_user).token
    assert token not in str(entry.data) and token not in caplog.text
    assert f"Feed token of user {staff_user.pk} replaced" in caplog.text


def test_replacing_needs_a_post_with_a_csrf_token_and_stays_on_our_site(staff_user):
    old = feed_token_get_or_create(user=staff_user).token
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.get("/account/feed-address/replace/").status_code == 405
    assert client.post("/account/feed-address/replace/").status_code == 403  # no CSRF token
    assert FeedToken.objects.get(user=staff_user).token == old
    client = Client()
    client.force_login(staff_user)
    response = client.post("/account/feed-address/replace/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_anonymous_visitors_cannot_replace_a_token():
    response = Client().post("/account/feed-address/replace/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")

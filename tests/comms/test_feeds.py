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

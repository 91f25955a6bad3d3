"""Reader pages: few SQL queries, the same with 10x the content, caches that follow every edit
and never carry one reader's personal parts to another (``comms.readercache.caching``)."""

import datetime

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from blogs.models import BlogIndexPage, BlogPostPage
from campaign.models import Activity
from comms import roles
from comms.models import FeedToken
from comms.readercache import caching
from newsletter.models import NewsletterIssuePage
from stats.models import Statistic
from tests.factories import (
    ActivityFactory,
    UserFactory,
    blog_post,
    page_approve,
)
from tests.perf.content import reader_content_add, reader_page_urls
from tests.security.content import pack_load, realistic_newsletter_issue

MAX_QUERIES = 10
BASE_CONTENT = {"posts": 10, "statistics": 20, "activities": 10, "issues": 3}
PAGES = ["home", "blog index", "a post", "statistics", "campaign", "newsletters", "an issue"]


@pytest.fixture
def portal(db):
    pack_load()
    reader_content_add(**BASE_CONTENT, tag="base")


@pytest.fixture
def reader(portal, client_as):
    return client_as(UserFactory(username="perf-reader", role=roles.STAFF))


def queries(client, url: str, *, cold: bool = False) -> int:
    """SQL queries of one GET, after a first GET warmed the caches (and, if ``cold``, after
    a publish made them all stale)."""
    assert client.get(url).status_code == 200
    if cold:
        caching.generation_bump(caching.CONTENT)
        caching.generation_bump(caching.TREE)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("name", PAGES)
def test_a_reader_page_takes_at_most_ten_queries(reader, name):
    url = reader_page_urls()[name]
    assert queries(reader, url) <= MAX_QUERIES


@pytest.mark.parametrize("name", PAGES)
def test_a_reader_page_takes_at_most_ten_queries_just_after_a_publish(reader, name):
    # Every cached part stale: the route is found afresh (comms.readercache.routing) and each
    # fragment rebuilt, sharing what it reads with the others.
    url = reader_page_urls()[name]
    assert queries(reader, url, cold=True) <= MAX_QUERIES


def test_an_issue_with_every_section_takes_at_most_ten_queries(reader):
    # Sections that show portal content (posts, a statistic, figures, the intro, an image).
    issue = realistic_newsletter_issue()
    assert queries(reader, issue.url) <= MAX_QUERIES


def test_query_counts_do_not_grow_with_ten_times_the_content(reader):
    urls = reader_page_urls()
    warm = {name: queries(reader, url) for name, url in urls.items()}
    cold = {name: queries(reader, url, cold=True) for name, url in urls.items()}

    reader_content_add(**{key: value * 9 for key, value in BASE_CONTENT.items()}, tag="more")

    urls_10x = reader_page_urls()
    assert {name: queries(reader, url) for name, url in urls_10x.items()} == warm
    # Just after an edit every page is built afresh: no query per post, statistic or activity.
    assert {name: queries(reader, url, cold=True) for name, url in urls_10x.items()} == cold
    assert max(warm.values()) <= MAX_QUERIES
    assert max(cold.values()) <= MAX_QUERIES


# --- Edits show at once -------------------------------------------------------------------


def test_an_edited_statistic_shows_at_once(reader):
    statistic = Statistic.objects.order_by("pk").first()
    assert statistic.claim in reader.get("/statistics/").content.decode()
    statistic.claim = "Nine in ten researchers now check their partners"
    statistic.save()
    assert (
        "Nine in ten researchers now check their partners"
        in reader.get("/statistics/").content.decode()
    )


def test_a_published_post_shows_on_the_blog_and_home_page_at_once(reader):
    reader.get("/")
    reader.get("/blog/")
    post = blog_post("Fresh from the research office", date=datetime.date.today())
    assert "Fresh from the research office" in reader.get("/blog/").content.decode()
    assert "Fresh from the research office" in reader.get("/").content.decode()
    assert reader.get(post.url).status_code == 200


def test_an_edited_and_republished_post_shows_its_new_text(reader):
    post = BlogPostPage.objects.live().order_by("-pk").first()
    assert reader.get(post.url).status_code == 200
    post.body = [("rich_text", "<p>Revised: talk to the research office first.</p>")]
    post.save_revision()
    page_approve(post)
    assert "Revised: talk to the research office first." in reader.get(post.url).content.decode()


def test_an_unpublished_post_disappears_at_once(reader):
    post = BlogPostPage.objects.live().order_by("-pk").first()
    url = post.url
    assert reader.get(url).status_code == 200
    assert post.title in reader.get("/blog/").content.decode()
    post.unpublish()
    assert reader.get(url).status_code == 404
    assert post.title not in reader.get("/blog/").content.decode()


def test_a_moved_post_is_served_at_its_new_address_only(reader):
    post = BlogPostPage.objects.live().order_by("-pk").first()
    old_url = post.url
    assert reader.get(old_url).status_code == 200
    post.slug = "a-new-address"
    post.save_revision()
    page_approve(post)
    assert reader.get(old_url).status_code == 404
    assert reader.get("/blog/a-new-address/").status_code == 200


def test_a_new_campaign_activity_shows_at_once(reader):
    reader.get("/campaign/")
    ActivityFactory(title="Export control drop-in", start_date=datetime.date.today())
    assert "Export control drop-in" in reader.get("/campaign/").content.decode()
    activity = Activity.objects.get(title="Export control drop-in")
    activity.delete()
    assert "Export control drop-in" not in reader.get("/campaign/").content.decode()


def test_an_edited_newsletter_issue_shows_at_once(reader):
    issue = NewsletterIssuePage.objects.live().order_by("-pk").first()
    reader.get("/newsletters/")
    issue.title = "Trusted Research newsletter – corrected"
    issue.save_revision()
    page_approve(issue)
    assert "Trusted Research newsletter – corrected" in reader.get("/newsletters/").content.decode()
    assert "Trusted Research newsletter – corrected" in reader.get(issue.url).content.decode()


def test_a_view_restriction_applies_at_once(reader):
    assert reader.get("/blog/").status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=BlogIndexPage.objects.get(), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.EDITORS)])
    assert reader.get("/blog/").status_code != 200
    restriction.delete()
    assert reader.get("/blog/").status_code == 200


def test_a_restricted_section_is_closed_at_once_to_its_pages_and_lists(reader):
    post = BlogPostPage.objects.live().order_by("-pk").first()
    assert reader.get(post.url).status_code == 200
    assert post.title in reader.get("/").content.decode()
    restriction = PageViewRestriction.objects.create(
        page=BlogIndexPage.objects.get(), restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name=roles.EDITORS)])
    # A restriction on an ancestor applies to the post, and takes it off the home page.
    assert reader.get(post.url).status_code != 200
    assert post.title not in reader.get("/").content.decode()
    restriction.delete()
    assert reader.get(post.url).status_code == 200
    assert post.title in reader.get("/").content.decode()


def test_a_new_role_shows_the_admin_link_at_once(portal, client_as):
    user = UserFactory(username="promoted", role=roles.STAFF)
    client = client_as(user)
    assert 'href="/admin/"' not in client.get("/").content.decode()
    user.groups.add(Group.objects.get(name=roles.EDITORS))
    assert 'href="/admin/"' in client.get("/").content.decode()
    user.groups.remove(Group.objects.get(name=roles.EDITORS))
    assert 'href="/admin/"' not in client.get("/").content.decode()


# --- Personal parts stay personal ----------------------------------------------------------


def test_cached_pages_show_each_reader_their_own_name_and_feed_addresses(portal, client_as):
    ada = UserFactory(username="ada-reader", role=roles.STAFF)
    bob = UserFactory(username="bob-reader", role=roles.STAFF)
    urls = reader_page_urls()
    ada_client, bob_client = client_as(ada), client_as(bob)
    first = {name: ada_client.get(url).content.decode() for name, url in urls.items()}
    second = {name: bob_client.get(url).content.decode() for name, url in urls.items()}
    ada_token = FeedToken.objects.get(user=ada).token
    bob_token = FeedToken.objects.get(user=bob).token
    for name in urls:
        assert "Signed in as ada-reader" in first[name], name
        assert "Signed in as bob-reader" in second[name], name
        assert "ada-reader" not in second[name], name
        assert ada_token not in second[name], name
    for name in ("blog index", "campaign"):
        assert ada_token in first[name], name
        assert bob_token in second[name], name


def test_each_reader_gets_a_csrf_token_for_their_own_session(portal):
    clients = {}
    for username in ("ada-csrf", "bob-csrf"):
        clients[username] = Client(enforce_csrf_checks=True)
        clients[username].force_login(UserFactory(username=username, role=roles.STAFF))
    clients["ada-csrf"].get("/")  # fills the cache first
    html = clients["bob-csrf"].get("/").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    # Bob's page carries a token for Bob's session: signing out with it is accepted.
    assert (
        clients["bob-csrf"].post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code
        == 302
    )
    assert clients["ada-csrf"].get("/").status_code == 200


def test_an_editor_note_on_the_home_page_is_not_shown_to_readers(portal, client_as):
    from campaign.models import CampaignIntro

    assert not CampaignIntro.objects.filter(live=True).exists()  # the pack's has [insert]s
    editor = client_as(UserFactory(username="perf-editor", role=roles.EDITORS))
    staff = client_as(UserFactory(username="perf-staff", role=roles.STAFF))
    note = "appears here once it is published"
    assert note in editor.get("/").content.decode()
    assert note not in staff.get("/").content.decode()
    assert 'href="/admin/"' not in staff.get("/").content.decode()


def test_a_draft_preview_is_never_served_from_the_cache(portal, client_as):
    editor = client_as(UserFactory(username="preview-editor", is_superuser=True))
    post = BlogPostPage.objects.live().order_by("-pk").first()
    editor.get(post.url)
    post.body = [("rich_text", "<p>Draft wording, not yet approved.</p>")]
    post.save_revision()
    assert "Draft wording" not in editor.get(post.url).content.decode()
    preview = editor.get(f"/admin/pages/{post.pk}/view_draft/")
    assert "Draft wording, not yet approved." in preview.content.decode()
    # Rendering the draft did not put it in the cache readers are served from.
    assert "Draft wording" not in editor.get(post.url).content.decode()

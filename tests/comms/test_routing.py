"""``comms.readercache.routing.route_find`` serves the same page as Wagtail's own tree walk."""

from django.test import RequestFactory

from wagtail.models import Page

import pytest

from blogs.models import BlogPostPage
from comms.readercache import routing
from newsletter.models import NewsletterIssuePage
from tests.factories import blog_post, newsletter_issue
from tests.security.content import pack_load


@pytest.fixture
def tree(db):
    pack_load()
    blog_post("A routed post")
    newsletter_issue("A routed issue")


def both(path: str):
    ours = RequestFactory().get(path)
    routing.route_find(ours, path)
    wagtails = RequestFactory().get(path)
    return ours._wagtail_route_for_request, Page.route_for_request(wagtails, path)


def same(found, expected) -> bool:
    if found is None or expected is None:
        return found is expected
    page, args, kwargs = found
    expected_page, expected_args, expected_kwargs = expected
    return (
        type(page) is type(expected_page)
        and page.pk == expected_page.pk
        and str(args) == str(expected_args)
        and kwargs == expected_kwargs
    )


def test_every_reader_path_routes_as_wagtail_routes_it(tree):
    post = BlogPostPage.objects.live().get()
    issue = NewsletterIssuePage.objects.live().get()
    paths = [
        "",
        "blog/",
        post.url.strip("/") + "/",
        "statistics/",
        "statistics/numbers/",  # a routable page's sub-URL
        "statistics/1/",
        "campaign/",
        "campaign/educate/",
        "campaign/calendar.ics/",
        "newsletters/",
        issue.url.strip("/") + "/",
        "no-such-page/",
        "blog/no-such-post/",
        "blog/" + post.slug + "/deeper/",
    ]
    for path in paths:
        found, expected = both(path)
        assert same(found, expected), path
    assert both("no-such-page/") == (None, None)


def test_an_unpublished_page_is_not_routed(tree):
    post = BlogPostPage.objects.live().get()
    path = post.url.strip("/") + "/"
    post.unpublish()
    assert both(path) == (None, None)

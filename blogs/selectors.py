"""Reads for the blog: what readers see, and the reader's own feed address."""

from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Length, Substr
from django.urls import reverse

from taggit.models import Tag
from wagtail.models import PageViewRestriction

from blogs.models import BlogIndexPage, BlogPostPage
from comms.services.feeds import feed_token_get_or_create


def blog_index() -> BlogIndexPage | None:
    return BlogIndexPage.objects.live().first()


def _public(posts: QuerySet) -> QuerySet:
    """Wagtail's ``.public()`` (no view restriction on the page or an ancestor) as a subquery:
    ``public()`` reads every restriction first, one more query each time a list is built."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return posts.filter(~Exists(restricted))


def blog_posts(*, index: BlogIndexPage | None = None, query: str = "", topic: str = "") -> QuerySet:
    """Live posts under ``index``, newest first, optionally by topic slug and search words."""
    posts = BlogPostPage.objects.live()
    if index is not None:
        posts = posts.child_of(index)
    if topic:
        posts = posts.filter(topics__slug=topic)
    if query:
        found = [post.pk for post in posts.search(query)]
        posts = posts.filter(pk__in=found)
    # Last: the search backend cannot filter on a subquery.
    return _public(posts).order_by("-date", "-first_published_at").distinct()


def blog_topics(*, index: BlogIndexPage | None = None) -> QuerySet:
    """Topics used by at least one live post."""
    post_ids = blog_posts(index=index).values_list("pk", flat=True)
    return (
        Tag.objects.filter(blogs_blogposttopic_items__content_object_id__in=post_ids)
        .distinct()
        .order_by("name")
    )


def latest_posts(*, limit: int = 3, index: BlogIndexPage | None = None) -> list[BlogPostPage]:
    """The newest posts under ``index`` (the blog index if not given: pass it if you have it)."""
    return list(blog_posts(index=index or blog_index())[:limit])


def feed_url_for(*, user, request) -> str:
    """The reader's private feed address (with their token), or "" if not signed in."""
    if not user.is_authenticated:
        return ""
    token = feed_token_get_or_create(user=user)
    return request.build_absolute_uri(reverse("blog_feed") + f"?token={token.token}")

"""Reads for the blog: what readers see, and the reader's own feed address."""

from django.db.models import QuerySet
from django.urls import reverse

from taggit.models import Tag

from blogs.models import BlogIndexPage, BlogPostPage
from comms.services.feeds import feed_token_get_or_create


def blog_index() -> BlogIndexPage | None:
    return BlogIndexPage.objects.live().first()


def blog_posts(*, index: BlogIndexPage | None = None, query: str = "", topic: str = "") -> QuerySet:
    """Live posts under ``index``, newest first, optionally by topic slug and search words."""
    posts = BlogPostPage.objects.live().public()
    if index is not None:
        posts = posts.child_of(index)
    if topic:
        posts = posts.filter(topics__slug=topic)
    if query:
        found = [post.pk for post in posts.search(query)]
        posts = posts.filter(pk__in=found)
    return posts.order_by("-date", "-first_published_at").distinct()


def blog_topics(*, index: BlogIndexPage | None = None) -> QuerySet:
    """Topics used by at least one live post."""
    post_ids = blog_posts(index=index).values_list("pk", flat=True)
    return (
        Tag.objects.filter(blogs_blogposttopic_items__content_object_id__in=post_ids)
        .distinct()
        .order_by("name")
    )


def latest_posts(*, limit: int = 3) -> list[BlogPostPage]:
    return list(blog_posts(index=blog_index())[:limit])


def feed_url_for(*, user, request) -> str:
    """The reader's private feed address (with their token), or "" if not signed in."""
    if not user.is_authenticated:
        return ""
    token = feed_token_get_or_create(user=user)
    return request.build_absolute_uri(reverse("blog_feed") + f"?token={token.token}")

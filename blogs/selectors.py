"""Reads of the blog for other apps, the feed and the home page's latest posts. The reader
queries live on ``BlogPostQuerySet`` (``BlogPostPage.objects.for_readers()``) and the index
page (``get_posts()``); these functions name them for callers outside the models."""

from django.db.models import QuerySet

from blogs.models import BlogIndexPage, BlogPostPage


def blog_index() -> BlogIndexPage | None:
    return BlogIndexPage.objects.live().first()


def blog_posts(*, index: BlogIndexPage | None = None, query: str = "", topic: str = "") -> QuerySet:
    """Live posts under ``index``, newest first, optionally by topic slug and search words."""
    return BlogPostPage.objects.for_readers(index=index, query=query, topic=topic)


def blog_topics(*, index: BlogIndexPage | None = None) -> QuerySet:
    """Topics used by at least one live post."""
    return BlogPostPage.objects.topics(index=index)


def latest_posts(*, limit: int = 3, index: BlogIndexPage | None = None) -> list[BlogPostPage]:
    """The newest posts under ``index`` (the blog index if not given: pass it if you have it)."""
    return list(blog_posts(index=index or blog_index())[:limit])

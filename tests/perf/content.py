"""Reader content and the reader pages to measure: shared by tests/perf and bench/pages_bench.py,
so the query-count tests and the bench look at the same pages."""

from tests.factories import ActivityFactory, StatisticFactory, blog_post, newsletter_issue


def reader_content_add(
    *, posts: int, statistics: int, activities: int, issues: int, tag: str
) -> None:
    """Published blog posts (with topics), statistics, campaign activities and newsletter
    issues; ``tag`` keeps titles unique when called again for more content."""
    for n in range(posts):
        blog_post(f"Post {tag}-{n}", topics=[f"topic-{n % 3}"])
    StatisticFactory.create_batch(statistics)
    ActivityFactory.create_batch(activities)
    for n in range(issues):
        newsletter_issue(f"Issue {tag}-{n}")


def reader_page_urls() -> dict[str, str]:
    """Each kind of reader page, by name: the newest post and issue stand for theirs."""
    from blogs.models import BlogPostPage
    from newsletter.models import NewsletterIssuePage

    post = BlogPostPage.objects.live().order_by("-pk").first()
    issue = NewsletterIssuePage.objects.live().order_by("-pk").first()
    pages = {
        "home": "/",
        "blog index": "/blog/",
        "a post": post.url,
        "statistics": "/statistics/",
        "campaign": "/campaign/",
        "newsletters": "/newsletters/",
    }
    if issue is not None:
        pages["an issue"] = issue.url
    return pages

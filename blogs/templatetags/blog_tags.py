from django import template

from blogs import selectors

register = template.Library()


@register.inclusion_tag("blogs/tags/latest_posts.html")
def latest_blog_posts(limit: int = 3):
    """The newest live posts, for the home page's "Latest posts" slot."""
    return {"posts": selectors.latest_posts(limit=limit), "index": selectors.blog_index()}

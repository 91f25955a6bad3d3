from django import template

from blogs import selectors

register = template.Library()


@register.inclusion_tag("blogs/tags/latest_posts.html")
def latest_blog_posts(limit: int = 3):
    """The newest live posts, for the home page's "Latest posts" slot."""
    index = selectors.blog_index()  # read once: it scopes the posts and is linked below
    return {"posts": selectors.latest_posts(limit=limit, index=index), "index": index}

"""The blog's state changes: writing a post from a template."""

import logging

from django.db import transaction

from blogs.models import BlogIndexPage, BlogPostPage, BlogTemplatePage
from comms.placeholders import fill_stream, fill_text
from comms.slugs import child_slug_unique

logger = logging.getLogger(__name__)


@transaction.atomic
def blog_post_create_from_template(
    *,
    template: BlogTemplatePage,
    index: BlogIndexPage,
    values: dict,
    title: str,
    author_name: str = "",
    user=None,
) -> BlogPostPage:
    """Create a draft post under ``index`` from ``template``'s latest text, filled with ``values``.

    Guarantees: one transaction; the post is a draft (never live) with a first revision by
    ``user``; placeholders without a value stay in the text, marked as in the template, so the
    publish guard lists them; values are inserted as text, never as markup.
    """
    latest = template.get_latest_revision_as_object()
    body = fill_stream(latest.body.stream_block, list(latest.body.get_prep_value()), values)
    post = BlogPostPage(
        title=fill_text(title, values) or latest.title,
        slug=child_slug_unique(index, title or latest.title, fallback="post", max_length=70),
        author_name=author_name,
        body=body,
        source_template=template,
        live=False,
        owner=user,
    )
    index.add_child(instance=post)
    post.save_revision(user=user, log_action=True)
    logger.info(
        "Blog post %s created from template %s by user %s",
        post.pk,
        template.pk,
        getattr(user, "pk", None),
    )
    return post

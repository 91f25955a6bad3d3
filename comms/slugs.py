"""The one unique-slug rule for pages created by the portal's services (a post written from a
template, an assembled newsletter issue)."""

from django.utils.text import slugify


def child_slug_unique(parent, text: str, *, fallback: str, max_length: int) -> str:
    """A slug for a new child of ``parent``: ``text`` slugified (cut to ``max_length``, or
    ``fallback`` when nothing is left), then "-2", "-3"… until no sibling has it. One query."""
    base = slugify(text)[:max_length] or fallback
    siblings = set(parent.get_children().values_list("slug", flat=True))
    slug, number = base, 2
    while slug in siblings:
        slug, number = f"{base}-{number}", number + 1
    return slug

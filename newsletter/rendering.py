"""One renderer for newsletter email: ``render_issue(issue) -> RenderedIssue``.

Interface (the sending engine depends on it; issue 7 may replace the templates and the body
rendering behind it, but keeps these names):

- ``render_issue(page_or_revision_object) -> RenderedIssue`` renders a ``NewsletterIssuePage``
  (the live page, or ``revision.as_object()`` for the frozen revision a send uses) through
  ``templates/newsletter/email/issue.html`` and ``issue.txt``. Every URL in the output is
  absolute (``WAGTAILADMIN_BASE_URL``).
- ``RenderedIssue(subject: str, html: str, text: str)``: rendered once per batch. Both parts
  hold ``UNSUBSCRIBE_SENTINEL`` where each recipient's own unsubscribe link goes.
- ``RenderedIssue.personalise(unsubscribe_url=...) -> (html, text)``: the parts for one
  recipient, by string substitution of the sentinel (cheap: no template work per recipient).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape

from comms import licence

UNSUBSCRIBE_SENTINEL = "%%NEWSLETTER_UNSUBSCRIBE_URL%%"
_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")/(?!/)')


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    html: str
    text: str

    def personalise(self, *, unsubscribe_url: str) -> tuple[str, str]:
        """The HTML and text parts with this recipient's unsubscribe link filled in."""
        return (
            self.html.replace(UNSUBSCRIBE_SENTINEL, escape(unsubscribe_url)),
            self.text.replace(UNSUBSCRIBE_SENTINEL, unsubscribe_url),
        )


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolutise(html: str) -> str:
    """Make every site-relative ``href``/``src`` absolute, as mail clients need."""
    return _RELATIVE_URL.sub(lambda match: f"{match.group(1)}{base_url()}/", html)


def _web_url(page) -> str:
    try:
        url = page.get_url()
    except Exception:  # a revision object of an unpublished page may have no route yet
        url = None
    if not url:
        return ""
    return url if url.startswith("http") else f"{base_url()}{url}"


def _text_body(page) -> str:
    """The body as plain text: headings underlined, paragraphs with their links listed."""
    from django.utils.html import strip_tags

    from wagtail.rich_text import expand_db_html

    parts = []
    for block in page.body:
        if block.block_type == "heading":
            heading = str(block.value)
            parts.append(f"{heading}\n{'-' * len(heading)}")
        else:
            html = absolutise(expand_db_html(block.value.source))
            links = re.findall(r'href="([^"]+)"', html)
            text = strip_tags(re.sub(r"</(p|li|h\d)>", "\n", html)).strip()
            parts.append(text + "".join(f"\n  Link: {link}" for link in links))
    return "\n\n".join(parts)


def render_issue(page) -> RenderedIssue:
    """Render the issue as an email: subject, HTML part and text part, with the sentinel."""
    context = {
        "issue": page,
        "subject": page.title,
        "web_url": _web_url(page),
        "base_url": base_url(),
        "unsubscribe_url": UNSUBSCRIBE_SENTINEL,
        "text_body": _text_body(page),
        "pack_source": licence.PACK_SOURCE,
        "crown_copyright": licence.CROWN_COPYRIGHT,
        "ogl_name": licence.OGL_NAME,
        "ogl_url": licence.OGL_URL,
    }
    html = absolutise(render_to_string("newsletter/email/issue.html", context))
    text = render_to_string("newsletter/email/issue.txt", context)
    return RenderedIssue(subject=page.title, html=html, text=text.strip() + "\n")

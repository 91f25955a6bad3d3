"""One renderer for newsletter issues, three renderings: web page, HTML email, plain text.

Interface (the sending engine depends on it; keep these names):

- ``render_issue(page_or_revision_object) -> RenderedIssue`` renders a ``NewsletterIssuePage``
  (the live page, or ``revision.as_object()`` for the frozen revision a send uses) through
  ``templates/newsletter/email/issue.html`` (CSS inlined with ``css-inline``) and a plain-text
  part (section headings, links numbered ``[n]`` and listed at the end). Every URL in the output
  is absolute (``WAGTAILADMIN_BASE_URL``).
- ``RenderedIssue(subject: str, html: str, text: str)``: rendered once per batch. Both parts
  hold ``UNSUBSCRIBE_SENTINEL`` where each recipient's own unsubscribe link goes.
- ``RenderedIssue.personalise(unsubscribe_url=..., click_key=None) -> (html, text)``: the parts
  for one recipient, by string substitution of the sentinels (cheap: no template work per
  recipient). A send's rendering has its links pointed at the click redirect
  (``newsletter.links``), each holding ``CLICK_SENTINEL`` where the recipient's click key goes.
- ``web_context(page)``: what ``templates/newsletter/newsletter_issue_page.html`` shows.

The body is resolved once (``newsletter.sections.issue_sections``); each section's block
(``newsletter.blocks``) renders it: the web page through ``{% include_block %}`` (its
``Meta.template``), the email through its ``Meta.email_template`` and the text through its
``text_parts``. This module puts the sections together, once for every kind of section.
"""

import html as htmllib
import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape, strip_tags

from wagtail.rich_text import expand_db_html

import css_inline

from comms import licence
from newsletter.sections import Section, issue_sections, pack_notice_needed

UNSUBSCRIBE_SENTINEL = "%%NEWSLETTER_UNSUBSCRIBE_URL%%"
CLICK_SENTINEL = "%%NEWSLETTER_CLICK_KEY%%"
_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")/(?!/)')
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)


@dataclass(frozen=True)
class RenderedIssue:
    subject: str
    html: str
    text: str

    def personalise(self, *, unsubscribe_url: str, click_key: str | None = None) -> tuple[str, str]:
        """The HTML and text parts with this recipient's unsubscribe link (and click key, in a
        send's tracked links) filled in."""
        html = self.html.replace(UNSUBSCRIBE_SENTINEL, escape(unsubscribe_url))
        text = self.text.replace(UNSUBSCRIBE_SENTINEL, unsubscribe_url)
        if click_key is not None:
            html = html.replace(CLICK_SENTINEL, escape(click_key))
            text = text.replace(CLICK_SENTINEL, click_key)
        return html, text


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(url: str) -> str:
    return f"{base_url()}{url}" if url and url.startswith("/") and not url.startswith("//") else url


def absolutise(html: str) -> str:
    """Make every site-relative ``href``/``src`` absolute, as mail clients need."""
    return _RELATIVE_URL.sub(lambda match: f"{match.group(1)}{base_url()}/", html)


def _web_url(page) -> str:
    """Where "Read this issue on the portal" goes: the public address while the issue is shared
    (``newsletter.services.sharing``) and not under a privacy restriction, else its intranet
    page."""
    from comms.models.pages import view_restrictions_for
    from newsletter.models import PublicLink

    link = PublicLink.objects.filter(issue_id=page.pk).first() if page.pk else None
    if link is not None and not view_restrictions_for(page).exists():
        return absolute(link.path)
    try:
        url = page.get_url()
    except Exception:  # a revision object of an unpublished page may have no route yet
        url = None
    return absolute(url) if url else ""


def _common_context(page, sections: list[Section]) -> dict:
    return {
        "issue": page,
        "subject": page.title,
        "sections": [section for section in sections if not section.omitted],
        "pack_notice": pack_notice_needed(sections),
        "pack_source": licence.PACK_SOURCE,
        "crown_copyright": licence.CROWN_COPYRIGHT,
        "ogl_name": licence.OGL_NAME,
        "ogl_url": licence.OGL_URL,
        "disclaimer": licence.PACK_DISCLAIMER,
        "disclaimer_short": licence.PACK_DISCLAIMER_SHORT,
        "base_url": base_url(),
    }


# --- web ---------------------------------------------------------------------------------


def web_context(page) -> dict:
    """The issue's web page: its sections, each rendered by its block's template."""
    return _common_context(page, issue_sections(page))


# --- HTML email --------------------------------------------------------------------------


def render_email_html(page, sections: list[Section] | None = None) -> str:
    """The HTML part: table layout, styles inlined, absolute URLs, the unsubscribe sentinel."""
    sections = issue_sections(page) if sections is None else sections
    context = _common_context(page, sections)
    context["web_url"] = _web_url(page)
    context["unsubscribe_url"] = UNSUBSCRIBE_SENTINEL
    context["body_html"] = "".join(
        section.definition.render_email(section, context) for section in context["sections"]
    )
    html = render_to_string("newsletter/email/issue.html", context)
    return absolutise(_INLINER.inline(html))


# --- plain text --------------------------------------------------------------------------


class Links:
    """Links numbered as they appear in the text part and listed at its end."""

    def __init__(self):
        self.urls: list[str] = []

    def ref(self, url: str) -> str:
        url = absolute(url)
        if url not in self.urls:
            self.urls.append(url)
        return f"[{self.urls.index(url) + 1}]"


def html_to_text(html: str, links: Links) -> str:
    """Rich text as readable plain text: paragraphs, "- " list items, links as "text [n]"."""
    html = expand_db_html(html or "")
    html = re.sub(
        r'<a\s[^>]*href="([^"]*)"[^>]*>(.*?)</a>',
        lambda m: f"{m.group(2)} {links.ref(htmllib.unescape(m.group(1)))}",
        html,
        flags=re.S,
    )
    html = re.sub(r"<li[^>]*>", "- ", html)
    html = re.sub(r"</(p|li|h\d|ul|ol)>|<br\s*/?>", "\n", html)
    lines = [" ".join(line.split()) for line in htmllib.unescape(strip_tags(html)).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def render_text(page, sections: list[Section] | None = None) -> str:
    """The plain-text part: title, each section under its heading, then the numbered links."""
    sections = issue_sections(page) if sections is None else sections
    context = _common_context(page, sections)
    links = Links()
    body = "\n\n\n".join(
        section.definition.render_text(section, links) for section in context["sections"]
    )
    context.update(
        web_url=_web_url(page),
        unsubscribe_url=UNSUBSCRIBE_SENTINEL,
        text_body=body,
        links=[(n, url) for n, url in enumerate(links.urls, start=1)],
    )
    return render_to_string("newsletter/email/issue.txt", context).strip() + "\n"


def render_issue(page) -> RenderedIssue:
    """Render the issue as an email: subject, HTML part and text part, with the sentinel."""
    sections = issue_sections(page)
    return RenderedIssue(
        subject=page.title,
        html=render_email_html(page, sections),
        text=render_text(page, sections),
    )

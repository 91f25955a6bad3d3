"""One renderer for newsletter issues, three renderings: web page, HTML email, plain text.

Interface (the sending engine depends on it; keep these names):

- ``render_issue(page_or_revision_object) -> RenderedIssue`` renders a ``NewsletterIssuePage``
  (the live page, or ``revision.as_object()`` for the frozen revision a send uses) through
  ``templates/newsletter/email/issue.html`` (CSS inlined with ``css-inline``) and a plain-text
  part (section headings, links numbered ``[n]`` and listed at the end). Every URL in the output
  is absolute (``WAGTAILADMIN_BASE_URL``).
- ``RenderedIssue(subject: str, html: str, text: str)``: rendered once per batch. Both parts
  hold ``UNSUBSCRIBE_SENTINEL`` where each recipient's own unsubscribe link goes.
- ``RenderedIssue.personalise(unsubscribe_url=...) -> (html, text)``: the parts for one
  recipient, by string substitution of the sentinel (cheap: no template work per recipient).
- ``web_context(page)``: what ``templates/newsletter/newsletter_issue_page.html`` shows.

The body is resolved once (``newsletter.sections.issue_sections``); each block type has a
template per rendering: ``templates/newsletter/blocks/<type>.html`` (web; the shared blocks
use their own templates), ``templates/newsletter/email/blocks/<type>.html`` and a text
function in ``TEXT_RENDERERS`` below.
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
from newsletter.sections import Section, issue_sections, number, pack_notice_needed

UNSUBSCRIBE_SENTINEL = "%%NEWSLETTER_UNSUBSCRIBE_URL%%"
_RELATIVE_URL = re.compile(r'(\s(?:href|src)=")/(?!/)')
SHARED_WEB_BLOCKS = {"rich_text", "image", "quote", "call_to_action", "link_list", "statistic"}
_INLINER = css_inline.CSSInliner(load_remote_stylesheets=False, keep_style_tags=False)


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
    """The sections of the issue's web page, each with its template."""
    sections = issue_sections(page)
    context = _common_context(page, sections)
    for section in context["sections"]:
        if section.kind == "learning_zone":
            section.data["items"] = training_items(section)
        section.data["web_template"] = (
            "" if section.kind in SHARED_WEB_BLOCKS else f"newsletter/blocks/{section.kind}.html"
        )
    return context


# --- HTML email --------------------------------------------------------------------------


def render_email_html(page, sections: list[Section] | None = None) -> str:
    """The HTML part: table layout, styles inlined, absolute URLs, the unsubscribe sentinel."""
    sections = issue_sections(page) if sections is None else sections
    context = _common_context(page, sections)
    context["web_url"] = _web_url(page)
    context["unsubscribe_url"] = UNSUBSCRIBE_SENTINEL
    parts = []
    for section in context["sections"]:
        if section.kind == "learning_zone":
            section.data["items"] = training_items(section)
        parts.append(
            render_to_string(
                f"newsletter/email/blocks/{section.kind}.html",
                {**context, "section": section, "value": section.value, **section.data},
            )
        )
    context["body_html"] = "".join(parts)
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


def training_items(section: Section) -> list[dict]:
    """A learning zone's dates, soonest first: the calendar's training sessions and the ones
    typed into the block, each as ``{"date", "title", "url"}`` (``url`` absolute or "")."""
    items = [
        {"date": activity.start_date, "title": activity.title, "url": absolute(activity.link)}
        for activity in section.data.get("training", [])
    ]
    items += [
        {"date": item["date"], "title": item["title"], "url": item.get("url") or ""}
        for item in section.value["training_dates"]
    ]
    return sorted(items, key=lambda item: item["date"])


def _underline(heading: str, char: str = "-") -> str:
    return f"{heading}\n{char * len(heading)}"


def _text_section(section: Section, links: Links) -> str:
    value, data = section.value, section.data
    kind = section.kind
    parts = [_underline(section.heading)] if kind not in ("rich_text", "image", "quote") else []
    if kind == "heading":
        return parts[0]
    if kind in ("introduction", "spotlight", "policy_zone", "learning_zone", "highlights"):
        if kind == "introduction" and value.get("author"):
            parts.append(f"From {value['author']}")
        parts.append(html_to_text(value["text"].source if value.get("text") else "", links))
    if kind == "spotlight" and data.get("url"):
        parts.append(f"Read more {links.ref(data['url'])}")
    if kind == "highlights":
        for post in data["posts"]:
            parts.append(f"* {post.title} {links.ref(post.url)}\n  {post.summary}".rstrip())
    if kind == "learning_zone" and (data["training"] or value["training_dates"]):
        dates = ["Upcoming training dates:"]
        for item in training_items(section):
            link = f" {links.ref(item['url'])}" if item["url"] else ""
            dates.append(f"- {item['date']:%A %-d %B %Y}: {item['title']}{link}")
        parts.append("\n".join(dates))
    if kind == "policy_zone":
        parts += [f"- {link['title']} {links.ref(link['url'])}" for link in value["links"]]
    if kind == "numbers":
        parts.append(f"Figures for {data['period']}:")
        parts.append(html_to_text(value["text"].source if value.get("text") else "", links))
        parts += [
            f"- {row.name}: {number(row.value)}{' ' + row.unit if row.unit else ''} "
            f"({row.change_text})"
            for row in data["rows"]
        ]
    if kind == "statistic":
        statistic = value["statistic"]
        source = statistic.source
        parts.append(f"{statistic.figure}\n{statistic.claim}")
        parts.append(f"Source: {source.publisher}, {source.title} {links.ref(source.url)}")
        if value.get("show_footnote") and statistic.footnote:
            parts.append(statistic.footnote)
    if kind == "campaign_intro":
        parts.append(html_to_text(value["intro"].body, links))
    if kind == "rich_text":
        parts.append(html_to_text(value.source, links))
    if kind == "image":
        parts.append(f"[Image: {value['alt_text']}]")
    if kind == "quote":
        attribution = f"\n  – {value['attribution']}" if value.get("attribution") else ""
        parts.append(f"“{value['text']}”{attribution}")
    if kind == "call_to_action":
        parts += [value.get("text") or "", f"{value['button_text']} {links.ref(data['url'])}"]
    if kind == "link_list":
        parts.append(value.get("text") or "")
        parts += [f"- {link['title']} {links.ref(link['url'])}" for link in value["links"]]
    return "\n\n".join(part for part in parts if part)


def render_text(page, sections: list[Section] | None = None) -> str:
    """The plain-text part: title, each section under its heading, then the numbered links."""
    sections = issue_sections(page) if sections is None else sections
    context = _common_context(page, sections)
    links = Links()
    body = "\n\n\n".join(_text_section(section, links) for section in context["sections"])
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

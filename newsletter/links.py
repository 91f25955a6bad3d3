"""The links of a mailed issue: found in its rendering, and pointed at the click redirect.

``issue_links(rendered)`` lists the distinct http(s) links a recipient can follow, in the
order they first appear (HTML part, then text part): ``href`` values in the HTML, addresses in
the text. Not rewritten: the unsubscribe link (it is a sentinel until personalised), mailto:
links, image sources, and headers (``List-Unsubscribe``). ``issue_links_tracked(rendered,
positions)`` points each link at ``/newsletters/c/<CLICK_SENTINEL>/<position>/``; the batch
fills in each recipient's key (``RenderedIssue.personalise``). In the HTML part each tracked
``href`` attribute goes on a line of its own (a line break between attributes is plain HTML
whitespace): the message is encoded line by line, and only the lines holding a recipient's
key are encoded again per recipient (``newsletter.messages._Body``), so the inlined HTML's
long lines are encoded once per batch, not once per message. Only sends are tracked: a test
send mails the plain rendering.
"""

import html as htmllib
import re
from dataclasses import replace

from django.urls import reverse

from newsletter.rendering import CLICK_SENTINEL, RenderedIssue, base_url

_HREF = re.compile(r'(\shref=")(https?://[^"]+)(")', re.IGNORECASE)
_TEXT_URL = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
# Punctuation that ends a sentence rather than the address it follows, in the text part.
_TRAILING = ".,;:!?)]'"


def _text_url(match: re.Match) -> str:
    """The address in a text match, without the sentence's punctuation after it."""
    return match.group(0).rstrip(_TRAILING)


def _trackable(url: str) -> bool:
    return "%%" not in url  # a sentinel (unsubscribe), filled in per recipient


def issue_links(rendered: RenderedIssue) -> list[str]:
    """The distinct links to count, in order of first appearance."""
    urls: dict[str, None] = {}
    for match in _HREF.finditer(rendered.html):
        url = htmllib.unescape(match.group(2))
        if _trackable(url):
            urls.setdefault(url)
    for match in _TEXT_URL.finditer(rendered.text):
        url = _text_url(match)
        if _trackable(url):
            urls.setdefault(url)
    return list(urls)


def click_url(position: int, key: str = CLICK_SENTINEL) -> str:
    """The click redirect's address for a link (with the key's sentinel by default)."""
    probe = "KEY0"
    url = base_url() + reverse("newsletter_click", args=[probe, position])
    return url.replace(probe, key)


def issue_links_tracked(rendered: RenderedIssue, positions: dict[str, int]) -> RenderedIssue:
    """The rendering with every link in ``positions`` pointed at the click redirect (links
    not in it are left as they are)."""

    def tracked(url: str) -> str | None:
        position = positions.get(url)
        return None if position is None else click_url(position)

    def html_link(match: re.Match) -> str:
        new = tracked(htmllib.unescape(match.group(2)))
        return match.group(0) if new is None else f'\nhref="{new}"\n'

    def text_link(match: re.Match) -> str:
        url = _text_url(match)
        new = tracked(url)
        return match.group(0) if new is None else new + match.group(0)[len(url) :]

    return replace(
        rendered,
        html=_HREF.sub(html_link, rendered.html),
        text=_TEXT_URL.sub(text_link, rendered.text),
    )

"""One recipient's email: the rendered issue personalised, with the list headers.

Each message is multipart/alternative (text, then HTML), UTF-8, and carries ``From`` (the
list's sender name), ``Reply-To``, ``List-Id``, ``List-Unsubscribe`` (HTTPS and mailto),
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), a ``Message-ID`` stable per
send and recipient (a retry carries the same one), and ``Date``.
"""

import functools
import re
from email import quoprimime
from email.policy import compat32
from email.utils import formataddr, parseaddr
from urllib.parse import quote

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMultiAlternatives
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, forbid_multi_line_headers
from django.utils.html import escape

from newsletter.models import Delivery, MailingList, Send
from newsletter.rendering import CLICK_SENTINEL, UNSUBSCRIBE_SENTINEL, RenderedIssue
from newsletter.tokens import (
    TOKEN_CHARACTERS,
    click_key,
    unsubscribe_token,
    unsubscribe_url,
    unsubscribe_url_around,
)


@functools.lru_cache(maxsize=8)
def _address_of(from_email: str) -> str:
    return parseaddr(from_email)[1] or "newsletter@localhost"


def sender_address() -> str:
    """DEFAULT_FROM_EMAIL's address (parsed once per value: it is read for every message)."""
    return _address_of(settings.DEFAULT_FROM_EMAIL)


def sender_domain() -> str:
    return sender_address().rsplit("@", 1)[-1]


def message_id(*, send_id: int, delivery_id: int) -> str:
    return f"<newsletter.{send_id}.{delivery_id}@{sender_domain()}>"


def _phrase(text: str) -> str:
    return text.replace('"', "").replace("\r", " ").replace("\n", " ").strip()


def list_id_header(mailing_list: MailingList) -> str:
    return f'"{_phrase(mailing_list.name)}" <list-{mailing_list.pk}.{sender_domain()}>'


def list_unsubscribe_header(url: str, token: str, mailto: str) -> str:
    """RFC 2369/8058: the HTTPS one-click link first, then mail with the token as subject."""
    return f"<{url}>, <mailto:{mailto}?subject={quote('unsubscribe ' + token)}>"


def test_from_name() -> str:
    """The sender name a test carries, as a real send would: the first mailing list's (by
    name), else a new list's default."""
    first = MailingList.objects.order_by("name").values_list("from_name", flat=True).first()
    return first or MailingList._meta.get_field("from_name").default


def issue_message(
    rendered: RenderedIssue,
    *,
    to: str,
    unsubscribe_url: str,
    subject_prefix: str = "",
    from_name: str = "",
    **kwargs,
) -> EmailMultiAlternatives:
    """The issue as one multipart/alternative message (text, then HTML) to ``to``, without
    list headers: what the test send mails and what the pre-send checks measure. ``From``
    carries ``from_name`` when given."""
    html, text = rendered.personalise(unsubscribe_url=unsubscribe_url)
    message = EmailMultiAlternatives(
        subject=f"{subject_prefix}{rendered.subject}",
        body=text,
        from_email=formataddr((from_name, sender_address())) if from_name else sender_address(),
        to=[to],
        **kwargs,
    )
    message.attach_alternative(html, "text/html")
    return message


def build_message(
    *, send: Send, rendered: RenderedIssue, delivery: Delivery, mailing_list: MailingList
) -> EmailMultiAlternatives:
    """The message for one delivery. Cheap: the issue was rendered once for the batch."""
    token = unsubscribe_token(subscriber_id=delivery.subscriber_id, list_id=mailing_list.pk)
    https_url = unsubscribe_url(subscriber_id=delivery.subscriber_id, list_id=mailing_list.pk)
    mailto = settings.NEWSLETTER_UNSUBSCRIBE_MAILTO or sender_address()
    html, text = rendered.personalise(
        unsubscribe_url=https_url,
        click_key=click_key(send_id=send.pk, delivery_id=delivery.pk),
    )
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text,
        from_email=formataddr((mailing_list.from_name, sender_address())),
        to=[formataddr((delivery.name, delivery.email))],
        reply_to=[mailing_list.reply_to or sender_address()],
        headers={
            "Message-ID": message_id(send_id=send.pk, delivery_id=delivery.pk),
            "List-Id": list_id_header(mailing_list),
            "List-Unsubscribe": list_unsubscribe_header(https_url, token, mailto),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


_LEADING_DOT = re.compile(rb"(?m)^\.")


def dot_stuff(data: bytes) -> bytes:
    """SMTP transparency (RFC 5321 4.5.2): a line that starts with "." gets another one."""
    if data.startswith(b".") or b"\n." in data:
        return _LEADING_DOT.sub(b"..", data)
    return data


_TO = "newsletter-recipient@sentinel.invalid"
_MESSAGE_ID = "<newsletter-message-id@sentinel.invalid>"
_LIST_UNSUBSCRIBE = "<newsletter-list-unsubscribe@sentinel.invalid>"
_URL_SAFE = re.compile(r"^[A-Za-z0-9:/_.\-~%]+$")
# How the email package writes headers and text (compat32 is Django's policy; CRLF on the wire).
_POLICY = compat32.clone(linesep="\r\n")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what the generator and the QP encoder split on


# Printable ASCII words separated by single spaces: a header value the email package writes
# unchanged when it fits on one line (tests/newsletter/test_messages.py pins this).
_PLAIN_VALUE = re.compile(r"[!-~]+(?: [!-~]+)*")


def _header(name: str, value: str) -> bytes:
    """The header line(s) exactly as Django's message and the generator write them."""
    if len(name) + 2 + len(value) <= _POLICY.max_line_length and _PLAIN_VALUE.fullmatch(value):
        return f"{name}: {value}\r\n".encode("ascii")  # the common case, without the folder
    name, value = forbid_multi_line_headers(name, value, settings.DEFAULT_CHARSET)
    return _POLICY.fold_binary(name, value)


def _header_folded(name: str, value: str) -> bytes:
    """``_header`` without its shortcut, for the test that pins the two together."""
    name, value = forbid_multi_line_headers(name, value, settings.DEFAULT_CHARSET)
    return _POLICY.fold_binary(name, value)


def _too_long(line: str) -> bool:
    return len(line.encode()) > RFC5322_EMAIL_LINE_LENGTH_LIMIT


# The per-recipient headers as the template carries them: name -> the folded sentinel line.
_SENTINEL_HEADERS = {
    name: _header(name, value)
    for name, value in (
        ("To", _TO),
        ("Message-ID", _MESSAGE_ID),
        ("List-Unsubscribe", _LIST_UNSUBSCRIBE),
    )
}


# Where each recipient's own parts go in a body: the unsubscribe link, the click key.
SENTINELS = (UNSUBSCRIBE_SENTINEL, CLICK_SENTINEL)
_AS_IS = {sentinel: sentinel for sentinel in SENTINELS}


def _has_sentinel(line: str) -> bool:
    return any(sentinel in line for sentinel in SENTINELS)


def _fill(line: str, values: dict[str, str]) -> str:
    for sentinel, value in values.items():
        line = line.replace(sentinel, value)
    return line


class _Body:
    """One text part's encoded body, ready to take a recipient's parts.

    The email package encodes a body line by line (quoted-printable wraps each line on its
    own, with soft line breaks; 7bit/8bit copies it), so the lines without a sentinel are
    encoded once and only the lines with one are encoded again per recipient, which gives
    exactly the bytes a full build gives, with every quoted-printable line within 76
    characters. Django chooses quoted-printable when a line is over 998 bytes; ``encode``
    returns None when the recipient's parts would change that choice.
    """

    def __init__(self, source: str):
        lines = source.splitlines()  # Django's test for lines over 998 bytes
        self.static_long = any(_too_long(line) for line in lines if not _has_sentinel(line))
        self.dynamic = [line for line in lines if _has_sentinel(line)]
        self.qp = self._needs_qp(_AS_IS)
        text = source.encode("utf-8").decode("latin1") if self.qp else source
        self.segments: list[bytes | str] = []
        self.wire_segments: list[bytes | str] | None = None  # dot-stuffed, made when first asked
        run: list[bytes] = []
        raw_lines = _LINE_BREAK.split(text)
        for index, line in enumerate(raw_lines):
            end = b"\r\n" if index < len(raw_lines) - 1 else b""
            if _has_sentinel(line):
                self.segments += [b"".join(run), line]
                run = [end]
            else:
                run.append(self._encode_line(line) + end)
        self.segments.append(b"".join(run))

    def _needs_qp(self, values: dict[str, str]) -> bool:
        return self.static_long or any(_too_long(_fill(line, values)) for line in self.dynamic)

    def _encode_line(self, line: str) -> bytes:
        if self.qp:
            return quoprimime.body_encode(line, eol="\r\n").encode("ascii")
        return line.encode("utf-8", "surrogateescape")

    def encode(self, values: dict[str, str], *, wire: bool = False) -> bytes | None:
        """The body with each sentinel replaced by its value in ``values`` (ASCII), or None if
        the full build would encode it differently. ``wire``: dot-stuffed for SMTP's DATA, the
        static lines stuffed once (every segment starts at a line start: static runs begin at
        the body's start or with the line end after a sentinel line, and a sentinel line is
        whole)."""
        if self._needs_qp(values) != self.qp:
            return None
        if wire and self.wire_segments is None:
            self.wire_segments = [
                dot_stuff(segment) if isinstance(segment, bytes) else segment
                for segment in self.segments
            ]
        segments = self.wire_segments if wire else self.segments
        return b"".join(
            segment if isinstance(segment, bytes) else self._wire_line(_fill(segment, values), wire)
            for segment in segments
        )

    def _wire_line(self, line: str, wire: bool) -> bytes:
        encoded = self._encode_line(line)
        return dot_stuff(encoded) if wire else encoded


class _Template:
    """A list's message with sentinels, cut where each recipient's parts go."""

    def __init__(self, data: bytes, text: _Body, html: _Body):
        self.text, self.html = text, html
        text_body, html_body = text.encode(_AS_IS), html.encode(_AS_IS)
        head, self.middle, self.tail = b"", b"", b""
        self.ok = bool(text_body and html_body) and all(
            data.count(part) == 1 for part in (text_body, html_body)
        )
        if self.ok:
            head, rest = data.split(text_body)
            self.middle, self.tail = rest.split(html_body)
        self.head = head
        self.ok = self.ok and all(head.count(line) == 1 for line in _SENTINEL_HEADERS.values())
        # Dot-stuffed once for SMTP. Header lines never start with "."; a part that did would
        # sit mid-line after a body, so then the whole message is stuffed per recipient.
        self.wire_ok = not (self.middle.startswith(b".") or self.tail.startswith(b"."))
        self.wire_head, self.wire_middle, self.wire_tail = (
            dot_stuff(part) for part in (self.head, self.middle, self.tail)
        )


class PreparedMessages:
    """A batch's messages as bytes: the MIME message is built once per list, and each
    recipient's copy is made from it: the per-recipient headers (To, Message-ID,
    List-Unsubscribe) folded as the email package folds them, and the unsubscribe link and the
    click key (in a send's tracked links) put in each body part before that line is encoded
    (``_Body``), so quoted-printable lines stay
    within RFC 2045's 76 characters. Byte-for-byte what ``build_message`` gives (apart from
    the MIME boundary and ``Date``, chosen per message), at a fraction of the cost;
    ``for_delivery`` returns None when it cannot be sure (the caller then falls back to
    ``build_message``).
    """

    def __init__(self, *, send: Send, rendered: RenderedIssue):
        self.send, self.rendered = send, rendered
        self.templates: dict[int, _Template | None] = {}
        self.mailto = settings.NEWSLETTER_UNSUBSCRIBE_MAILTO or sender_address()
        self.text_body = _Body(rendered.text)
        self.html_body = _Body(rendered.html)
        # One HMAC per recipient for all the message's links, only when it has tracked links.
        self.tracked = CLICK_SENTINEL in rendered.html or CLICK_SENTINEL in rendered.text
        # The unsubscribe URL around its token, worked out once (``reverse`` per message is
        # a measurable share of the per-message cost).
        self.url_prefix, self.url_suffix = unsubscribe_url_around("TOKEN0")

    def _template(self, mailing_list: MailingList) -> _Template | None:
        if mailing_list.pk not in self.templates:
            message = EmailMultiAlternatives(
                subject=self.rendered.subject,
                body=self.rendered.text,
                from_email=formataddr((mailing_list.from_name, sender_address())),
                to=[_TO],
                reply_to=[mailing_list.reply_to or sender_address()],
                headers={
                    "Message-ID": _MESSAGE_ID,
                    "List-Id": list_id_header(mailing_list),
                    "List-Unsubscribe": _LIST_UNSUBSCRIBE,
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
            message.attach_alternative(self.rendered.html, "text/html")
            template = _Template(
                message.message().as_bytes(linesep="\r\n"), self.text_body, self.html_body
            )
            self.templates[mailing_list.pk] = template if template.ok else None
        return self.templates[mailing_list.pk]

    def for_delivery(
        self, delivery: Delivery, mailing_list: MailingList, *, wire: bool = False
    ) -> bytes | None:
        """The message's bytes; ``wire``: dot-stuffed for SMTP's DATA, exactly
        ``dot_stuff(for_delivery(...))`` but with the static parts stuffed once."""
        template = self._template(mailing_list)
        if template is None:
            return None
        token = unsubscribe_token(subscriber_id=delivery.subscriber_id, list_id=mailing_list.pk)
        url = f"{self.url_prefix}{token}{self.url_suffix}"
        if not (TOKEN_CHARACTERS.match(token) and _URL_SAFE.match(url)):
            return None
        parts = {UNSUBSCRIBE_SENTINEL: url}
        if self.tracked:
            key = click_key(send_id=self.send.pk, delivery_id=delivery.pk)
            parts[CLICK_SENTINEL] = key  # made of TOKEN_CHARACTERS and ".": HTML-safe
        stuffed = wire and template.wire_ok
        text = template.text.encode(parts, wire=stuffed)
        html = template.html.encode(parts | {UNSUBSCRIBE_SENTINEL: str(escape(url))}, wire=stuffed)
        if text is None or html is None:
            return None
        try:
            values = (
                formataddr((delivery.name, delivery.email)),
                message_id(send_id=self.send.pk, delivery_id=delivery.pk),
                list_unsubscribe_header(url, token, self.mailto),
            )
            headers = [
                (sentinel, _header(name, value))
                for (name, sentinel), value in zip(_SENTINEL_HEADERS.items(), values, strict=True)
            ]
        except BadHeaderError:
            return None  # the full build raises it, with the message that says why
        head = template.wire_head if stuffed else template.head
        for sentinel, value in headers:
            head = head.replace(sentinel, value)
        if stuffed:
            return b"".join((head, text, template.wire_middle, html, template.wire_tail))
        data = b"".join((head, text, template.middle, html, template.tail))
        return dot_stuff(data) if wire else data

"""One recipient's email: the rendered issue personalised, with the list headers.

Each message is multipart/alternative (text, then HTML), UTF-8, and carries ``From`` (the
list's sender name), ``Reply-To``, ``List-Id``, ``List-Unsubscribe`` (HTTPS and mailto),
``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), a ``Message-ID`` stable per
send and recipient (a retry carries the same one), and ``Date``.
"""

import re
from email.utils import formataddr, parseaddr
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from newsletter.models import Delivery, MailingList, Send
from newsletter.rendering import UNSUBSCRIBE_SENTINEL, RenderedIssue
from newsletter.tokens import unsubscribe_token, unsubscribe_url


def sender_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "newsletter@localhost"


def sender_domain() -> str:
    return sender_address().rsplit("@", 1)[-1]


def message_id(*, send_id: int, delivery_id: int) -> str:
    return f"<newsletter.{send_id}.{delivery_id}@{sender_domain()}>"


def _phrase(text: str) -> str:
    return text.replace('"', "").replace("\r", " ").replace("\n", " ").strip()


def list_id_header(mailing_list: MailingList) -> str:
    return f'"{_phrase(mailing_list.name)}" <list-{mailing_list.pk}.{sender_domain()}>'


def issue_message(
    rendered: RenderedIssue, *, to: str, unsubscribe_url: str, subject_prefix: str = "", **kwargs
) -> EmailMultiAlternatives:
    """The issue as one multipart/alternative message (text, then HTML) to ``to``, without
    list headers: what the test send mails and what the pre-send checks measure."""
    html, text = rendered.personalise(unsubscribe_url=unsubscribe_url)
    message = EmailMultiAlternatives(
        subject=f"{subject_prefix}{rendered.subject}",
        body=text,
        from_email=sender_address(),
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
    html, text = rendered.personalise(unsubscribe_url=https_url)
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=text,
        from_email=formataddr((mailing_list.from_name, sender_address())),
        to=[formataddr((delivery.name, delivery.email))],
        reply_to=[mailing_list.reply_to or sender_address()],
        headers={
            "Message-ID": message_id(send_id=send.pk, delivery_id=delivery.pk),
            "List-Id": list_id_header(mailing_list),
            "List-Unsubscribe": (
                f"<{https_url}>, <mailto:{mailto}?subject={quote('unsubscribe ' + token)}>"
            ),
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


_TO = "newsletter-recipient@sentinel.invalid"
_MESSAGE_ID = "<newsletter-message-id@sentinel.invalid>"
_LIST_UNSUBSCRIBE = "<newsletter-list-unsubscribe@sentinel.invalid>"
_URL_SAFE = re.compile(r"^[A-Za-z0-9:/_.\-~%]+$")


class PreparedMessages:
    """A batch's messages as bytes: the MIME message is built once per list, and each
    recipient's copy is made by replacing sentinels (To, Message-ID, List-Unsubscribe, the
    unsubscribe link). Byte-for-byte what ``build_message`` would give, at a fraction of the
    cost; ``for_delivery`` returns None when it cannot be sure (the caller then falls back to
    ``build_message``), e.g. when a body part had to be quoted-printable encoded.
    """

    def __init__(self, *, send: Send, rendered: RenderedIssue):
        self.send, self.rendered = send, rendered
        self.templates: dict[int, bytes | None] = {}
        self.mailto = settings.NEWSLETTER_UNSUBSCRIBE_MAILTO or sender_address()

    def _template(self, mailing_list: MailingList) -> bytes | None:
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
            data = message.message().as_bytes(linesep="\r\n")
            sentinel = UNSUBSCRIBE_SENTINEL.encode()
            expected = self.rendered.html.count(UNSUBSCRIBE_SENTINEL) + self.rendered.text.count(
                UNSUBSCRIBE_SENTINEL
            )
            whole = all(data.count(s.encode()) == 1 for s in (_TO, _MESSAGE_ID, _LIST_UNSUBSCRIBE))
            self.templates[mailing_list.pk] = (
                data if whole and data.count(sentinel) == expected else None
            )
        return self.templates[mailing_list.pk]

    def for_delivery(self, delivery: Delivery, mailing_list: MailingList) -> bytes | None:
        template = self._template(mailing_list)
        token = unsubscribe_token(subscriber_id=delivery.subscriber_id, list_id=mailing_list.pk)
        url = unsubscribe_url(subscriber_id=delivery.subscriber_id, list_id=mailing_list.pk)
        if template is None or not _URL_SAFE.match(url):
            return None
        to = formataddr((delivery.name, delivery.email), charset="utf-8")
        if "\n" in to or "\r" in to:
            return None
        list_unsubscribe = (
            f"<{url}>,\r\n <mailto:{self.mailto}?subject={quote('unsubscribe ' + token)}>"
        )
        return (
            template.replace(_TO.encode(), to.encode())
            .replace(
                _MESSAGE_ID.encode(),
                message_id(send_id=self.send.pk, delivery_id=delivery.pk).encode(),
            )
            .replace(_LIST_UNSUBSCRIBE.encode(), list_unsubscribe.encode())
            .replace(UNSUBSCRIBE_SENTINEL.encode(), url.encode())
        )

"""One recipient's message: the fast path (``PreparedMessages``, built once per batch and
personalised by substitution) is byte for byte what the full build (``build_message``) gives,
for awkward names and long addresses, and both meet the mail standards (RFC 5322 and RFC 2045
line limits, a real ``Date`` offset)."""

import re
from datetime import datetime
from email import message_from_bytes, policy
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

import pytest

from newsletter.messages import (
    PreparedMessages,
    _header,
    _header_folded,
    build_message,
    dot_stuff,
)
from newsletter.models import Delivery, Subscriber
from newsletter.rendering import CLICK_SENTINEL, render_issue
from newsletter.services.clicks import send_rendering
from newsletter.services.relay import quoted
from newsletter.services.sends import send_schedule
from newsletter.tokens import click_key
from tests.factories import MailingListFactory, newsletter_issue, subscribe_many
from tests.newsletter.mailstandards import assert_mail_standards, mail_standards_problems

pytestmark = pytest.mark.django_db

LONG_DOMAIN = "research-and-innovation-services.faculty-of-engineering.example.ac.uk"
LONG_LOCAL = "l" * 64
RECIPIENTS = [
    ("Zoë Ørsted-Ñúñez", "zoe@example.ac.uk"),
    ('Ada "The Countess" Lovelace', "ada@example.ac.uk"),
    ("Smith, John", "john.smith@example.ac.uk"),
    ("Jo Bloggs", f"{LONG_LOCAL}@{LONG_DOMAIN}"),
    ("A" * 200, "long-ascii@example.ac.uk"),
    ("Zoë Ørsted-Ñúñez " * 11 + "Zoë", f"{LONG_LOCAL}@x{LONG_DOMAIN}"),
    ("", "no-name@example.ac.uk"),
    ("Seán O'Brien (Research Office)", "obrien@example.ac.uk"),
    ("Reader 12", "reader.12@example.ac.uk"),
    ("J. R. Hartley", "jr.hartley@example.ac.uk"),
    # "To: " and the value fill exactly 78 characters, then one more: either side of the fold.
    ("B" * (78 - len("To:  <line.b@example.ac.uk>")), "line.b@example.ac.uk"),
    ("C" * (79 - len("To:  <line.c@example.ac.uk>")), "line.c@example.ac.uk"),
]
# Editors write long paragraphs: one is a line of over 998 bytes in the inlined HTML, so the
# HTML part is quoted-printable, as the demo issue's is.
LONG_PARAGRAPH = (
    "<p>" + "A partnership done right, with due diligence first. " * 30 + "</p>"
    # A line that starts with a dot, which SMTP's DATA must escape (RFC 5321 4.5.2).
    "<p>.NET developers: the same checks apply to software partners.</p>"
)


@pytest.fixture
def batch(comms_lead, passing_issue_body):
    """A realistic issue (every section filled in) scheduled to a list, and its deliveries."""
    mailing_list = MailingListFactory(name="All staff")
    subscribe_many(mailing_list, ["someone@example.ac.uk"])
    body = [
        (kind, {**value, "text": LONG_PARAGRAPH}) if kind == "spotlight" else (kind, value)
        for kind, value in passing_issue_body
    ]
    issue = newsletter_issue(body=body)
    send = send_schedule(issue=issue, lists=[mailing_list], at=None, user=comms_lead)
    deliveries = []
    for name, email in RECIPIENTS:
        subscriber = Subscriber.objects.create(email=email, name=name)
        deliveries.append(
            Delivery.objects.create(
                send=send, subscriber=subscriber, mailing_list=mailing_list, email=email, name=name
            )
        )
    return send, mailing_list, render_issue(send.revision.as_object()), deliveries


def _same_boundary_and_date(full: bytes, fast: bytes) -> bytes:
    """The full build with the fast path's MIME boundary and Date: both are chosen per message
    (a random boundary, the time it was built), everything else must be identical."""
    boundary = re.compile(rb'boundary="([^"]+)"')
    date = re.compile(rb"^Date: [^\r\n]*\r\n", re.MULTILINE)
    full = full.replace(boundary.search(full).group(1), boundary.search(fast).group(1))
    return date.sub(lambda _: date.search(fast).group(0), full, count=1)


@pytest.mark.parametrize(("name", "email"), RECIPIENTS)
def test_fast_path_is_byte_for_byte_the_full_build(batch, name, email):
    send, mailing_list, rendered, deliveries = batch
    delivery = next(d for d in deliveries if d.email == email)
    prepared = PreparedMessages(send=send, rendered=rendered)
    fast = prepared.for_delivery(delivery, mailing_list)
    assert fast is not None, "the fast path gave up"
    full = build_message(
        send=send, rendered=rendered, delivery=delivery, mailing_list=mailing_list
    ).message()
    assert _same_boundary_and_date(full.as_bytes(linesep="\r\n"), fast) == fast
    assert mail_standards_problems(fast) == []
    (to,) = message_from_bytes(fast, policy=policy.default)["To"].addresses
    assert (to.display_name, to.addr_spec) == (name, email)


@pytest.mark.parametrize(("name", "email"), RECIPIENTS)
def test_with_tracked_links_the_fast_path_is_byte_for_byte_the_full_build(batch, name, email):
    """As a send mails it: every link through the click redirect with the recipient's key."""
    send, mailing_list, _, deliveries = batch
    rendered = send_rendering(send=send)
    assert rendered.html.count(CLICK_SENTINEL) > 5
    delivery = next(d for d in deliveries if d.email == email)
    fast = PreparedMessages(send=send, rendered=rendered).for_delivery(delivery, mailing_list)
    assert fast is not None, "the fast path gave up"
    full = build_message(
        send=send, rendered=rendered, delivery=delivery, mailing_list=mailing_list
    ).message()
    assert _same_boundary_and_date(full.as_bytes(linesep="\r\n"), fast) == fast
    assert mail_standards_problems(fast) == []
    key = click_key(send_id=send.pk, delivery_id=delivery.pk)
    html = message_from_bytes(fast, policy=policy.default).get_body(("html",)).get_content()
    assert f"/newsletters/c/{key}/1/" in html and CLICK_SENTINEL not in html


def test_the_realistic_issue_has_quoted_printable_parts(batch):
    """The case that matters: the inlined HTML has lines over 998 characters, so its part is
    quoted-printable and the unsubscribe link lands in encoded text."""
    send, mailing_list, rendered, deliveries = batch
    fast = PreparedMessages(send=send, rendered=rendered).for_delivery(deliveries[0], mailing_list)
    assert b"Content-Transfer-Encoding: quoted-printable" in fast
    assert_mail_standards(fast)


def test_date_carries_the_real_uk_offset(batch):
    send, mailing_list, rendered, deliveries = batch
    message = build_message(
        send=send, rendered=rendered, delivery=deliveries[0], mailing_list=mailing_list
    ).message()
    date = parsedate_to_datetime(message["Date"])
    assert not message["Date"].endswith("-0000")
    assert date.utcoffset() == datetime.now(ZoneInfo("Europe/London")).utcoffset()


@pytest.mark.parametrize(
    "value",
    [
        "Reader 12 <reader.12@example.ac.uk>",
        '"J. R. Hartley" <jr@example.ac.uk>',
        "<newsletter.12.345@example.ac.uk>",
        "x" * 74,  # "To: " + 74 = 78: one line
        "x" * 75,  # 79: too long for one line, folded (or left long) by the email package
        "two  spaces",
        " leading space",
        "trailing space ",
        "tab\there",
        "Zoë <zoe@example.ac.uk>",
        "=?utf-8?q?looks_encoded?=",
        "a, b; c",
        "",
    ],
)
def test_the_header_shortcut_writes_what_the_email_package_writes(value):
    """The per-recipient headers skip the email package's folder for short plain values:
    that must give exactly what the folder gives."""
    assert _header("To", value) == _header_folded("To", value)


@pytest.mark.parametrize(("name", "email"), RECIPIENTS)
def test_the_wire_bytes_are_the_message_dot_stuffed(batch, name, email):
    """What the batch sends in DATA: the static parts are dot-stuffed once per batch and each
    recipient's lines on their own; that must be exactly the whole message dot-stuffed."""
    send, mailing_list, _, deliveries = batch
    rendered = send_rendering(send=send)  # as a batch sends it: links tracked, keys per person
    delivery = next(d for d in deliveries if d.email == email)
    prepared = PreparedMessages(send=send, rendered=rendered)
    plain = prepared.for_delivery(delivery, mailing_list)
    wire = prepared.for_delivery(delivery, mailing_list, wire=True)
    assert b"\r\n.NET developers" in plain  # the case that needs escaping is there
    assert wire == dot_stuff(plain)
    assert b"\r\n..NET developers" in wire


@pytest.mark.parametrize(
    "address",
    [
        "someone@example.ac.uk",
        "first.last+news@dept.example.ac.uk",
        f"{LONG_LOCAL}@{LONG_DOMAIN}",
        '"quoted local"@example.ac.uk',
        "o'brien@example.ac.uk",
        "Name <name@example.ac.uk>",
        "zoë@example.ac.uk",
        "",
    ],
)
def test_mail_and_rcpt_quote_addresses_as_smtplib_does(address):
    import smtplib

    assert quoted(address) == smtplib.quoteaddr(address)

"""Reading what comes back to the bounce mailbox: which kind of message it is, for whom, and
about which of our messages. No database here (``newsletter.services.bounces`` acts on it).

- **Complaints**: RFC 5965 feedback reports (``multipart/report; report-type=feedback-report``).
- **Unsubscribes by mail**: the mailto of ``List-Unsubscribe`` (subject "unsubscribe TOKEN").
- **Bounces**: RFC 3464 delivery status notifications, Exchange / Office 365 non-delivery
  reports and the common non-standard bounces, through flufl.bounce (Mailman's detectors):
  a permanent failure is hard, a temporary one soft. The status code and diagnostic come from
  the ``message/delivery-status`` part when there is one.
- **Automatic replies** (``Auto-Submitted``, out-of-office subjects): not bounces.
- Anything else: not understood, for a person to review.

Our Message-IDs (``newsletter.messages.message_id``) name the send and the delivery, so a
bounce that quotes the original's headers is matched to its delivery exactly.
"""

import email
import email.policy
import re
from dataclasses import dataclass, field
from email.message import Message

from flufl.bounce import all_failures

HARD, SOFT, COMPLAINT, UNSUBSCRIBE, IGNORED, UNKNOWN = (
    "hard",
    "soft",
    "complaint",
    "unsubscribe",
    "ignored",
    "unknown",
)
OUR_MESSAGE_ID = re.compile(r"<newsletter\.(\d+)\.(\d+)@[^>\s]+>")
AUTO_REPLY_SUBJECT = re.compile(
    r"^\s*(automatic reply|auto(matic)?[- ]?reply|out of (the )?office|abwesenheit|absence)",
    re.IGNORECASE,
)


@dataclass
class ReturnedMessage:
    kind: str
    recipients: set[str] = field(default_factory=set)
    deliveries: set[int] = field(default_factory=set)  # delivery ids from our Message-IDs
    reason: str = ""
    unsubscribe_token: str = ""
    subject: str = ""
    sender: str = ""


def _text(value) -> str:
    return str(value or "").strip()


def _parts(message: Message):
    yield from message.walk()


def _our_deliveries(message: Message) -> set[int]:
    """Delivery ids of our Message-IDs quoted anywhere in the message (the original's headers
    in a message/rfc822 or text/rfc822-headers part, or an In-Reply-To/References)."""
    found = set()
    for part in _parts(message):
        payload = part.get_payload(decode=True) if not part.is_multipart() else None
        texts = [str(value) for value in part.values()]
        if payload:
            texts.append(payload.decode("utf-8", errors="replace"))
        if part.get_content_type() == "message/rfc822" and part.is_multipart():
            for inner in part.get_payload():
                texts.extend(str(value) for value in inner.values())
        for text in texts:
            found.update(int(delivery) for _, delivery in OUR_MESSAGE_ID.findall(text))
    return found


def _delivery_status(message: Message) -> str:
    """ "5.1.1 (smtp; 550 5.1.1 <x>: Recipient address rejected ...)" from the first
    message/delivery-status part's per-recipient fields."""
    for part in _parts(message):
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks = part.get_payload()
        fields: dict[str, str] = {}
        for block in blocks if isinstance(blocks, list) else []:
            for name in ("Status", "Diagnostic-Code", "Action"):
                if block.get(name) and name not in fields:
                    fields[name] = " ".join(str(block.get(name)).split())
        if fields:
            status = fields.get("Status", "")
            diagnostic = fields.get("Diagnostic-Code", "")
            return f"{status} ({diagnostic})" if diagnostic else status
    return ""


def _feedback(message: Message) -> ReturnedMessage | None:
    if message.get_content_type() != "multipart/report":
        return None
    if (message.get_param("report-type") or "").lower() != "feedback-report":
        return None
    recipients, reason = set(), "Complaint (feedback report)"
    for part in _parts(message):
        if part.get_content_type() == "message/feedback-report":
            blocks = part.get_payload()
            for block in blocks if isinstance(blocks, list) else [part]:
                for name in ("Original-Rcpt-To", "Removal-Recipient"):
                    if block.get(name):
                        recipients.add(_text(block.get(name)).lower().strip("<>"))
                if block.get("Feedback-Type"):
                    reason = f"Complaint: {_text(block.get('Feedback-Type'))}"
        if part.get_content_type() == "message/rfc822" and part.is_multipart():
            for inner in part.get_payload():
                if not recipients and inner.get("To"):
                    address = email.utils.parseaddr(str(inner.get("To")))[1]
                    if address:
                        recipients.add(address.lower())
    return ReturnedMessage(
        kind=COMPLAINT, recipients=recipients, deliveries=_our_deliveries(message), reason=reason
    )


def returned_message_read(raw: bytes) -> ReturnedMessage:
    """What ``raw`` (a whole message, as received) is; never raises for a malformed one."""
    try:
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
    except Exception as exc:  # noqa: BLE001 - a message we cannot even read is for review
        return ReturnedMessage(kind=UNKNOWN, reason=f"Unreadable message: {exc}")
    subject = (
        " ".join(
            _text(
                email.header.make_header(
                    email.header.decode_header(str(message.get("Subject", "")))
                )
            ).split()
        )
        if message.get("Subject")
        else ""
    )
    sender = _text(message.get("From"))[:255]
    common = {"subject": subject[:255], "sender": sender}

    match = re.match(r"^\s*unsubscribe\s+(\S+)\s*$", subject, re.IGNORECASE)
    if match:
        return ReturnedMessage(kind=UNSUBSCRIBE, unsubscribe_token=match.group(1), **common)
    complaint = _feedback(message)
    if complaint is not None:
        complaint.subject, complaint.sender = common["subject"], common["sender"]
        return complaint
    try:
        temporary, permanent = all_failures(message)
    except Exception as exc:  # noqa: BLE001 - a detector choking on odd MIME: for review
        return ReturnedMessage(kind=UNKNOWN, reason=f"Bounce detectors failed: {exc}", **common)
    decode = lambda addresses: {  # noqa: E731
        (a.decode("utf-8", "replace") if isinstance(a, bytes) else str(a)).lower().strip("<>")
        for a in addresses
    }
    if permanent or temporary:
        return ReturnedMessage(
            kind=HARD if permanent else SOFT,
            recipients=decode(permanent) if permanent else decode(temporary),
            deliveries=_our_deliveries(message),
            reason=_delivery_status(message) or ("Permanent failure" if permanent else "Delayed"),
            **common,
        )
    auto = _text(message.get("Auto-Submitted")).lower()
    if (auto and auto != "no") or AUTO_REPLY_SUBJECT.match(subject):
        return ReturnedMessage(kind=IGNORED, reason="Automatic reply", **common)
    return ReturnedMessage(kind=UNKNOWN, reason="Not recognised as a bounce", **common)

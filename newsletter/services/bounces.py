"""What the portal does with a message that came back (``newsletter.bounces`` reads it).

- **Hard bounce**: the subscriber becomes "bounced" (no more sends: the snapshot skips them),
  with the reason and the date; shown on the subscriber and counted on the send's report.
- **Soft bounce**: scored, Mailman-style: 1 point per bounce, at most one a day; the score
  decays to 0 when the last soft bounce is older than ``NEWSLETTER_SOFT_BOUNCE_STALE_DAYS``;
  at ``NEWSLETTER_SOFT_BOUNCE_THRESHOLD`` points the subscriber is "bounced" too. So one full
  mailbox does not suppress anyone.
- **Complaint** (a feedback report): the person is unsubscribed from the list the message
  came from (every list when it cannot be told).
- **Unsubscribe by mail** (the List-Unsubscribe mailto): as the one-click link does.
- **Automatic reply**: nothing to do.
- **Not understood**: kept, with the message, for a person to review (Newsletter › Bounces).

A bounce is matched to its delivery by our Message-ID and the recipient; failing that, to the
subscriber by address. Every message gives one ``InboundMessage`` row. Idempotent in effect: a
second copy of a hard bounce changes nothing more.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone

from newsletter import bounces as parse
from newsletter.models import Delivery, InboundMessage, Membership, Subscriber
from newsletter.services.subscribers import subscriber_unsubscribe
from newsletter.tokens import unsubscribe_token_read

logger = logging.getLogger(__name__)


@dataclass
class BounceOutcome:
    understood: bool
    kind: str
    detail: str


def _deliveries(returned: parse.ReturnedMessage) -> list[Delivery]:
    """The deliveries the message is about: by our Message-ID (checked against the recipient
    when the bounce names one), else the latest delivery to each recipient."""
    found = list(Delivery.objects.filter(pk__in=returned.deliveries).select_related("subscriber"))
    if returned.recipients:
        found = [d for d in found if d.email.lower() in returned.recipients] or found
    if not found:
        for address in returned.recipients:
            latest = (
                Delivery.objects.filter(email=address, status=Delivery.Status.SENT)
                .select_related("subscriber")
                .order_by("-sent_at")
                .first()
            )
            if latest is not None:
                found.append(latest)
    return found


def _subscribers(returned: parse.ReturnedMessage, deliveries: list[Delivery]) -> list[Subscriber]:
    people = {d.subscriber_id: d.subscriber for d in deliveries if d.subscriber_id}
    matched = {d.email.lower() for d in deliveries}
    for subscriber in Subscriber.objects.filter(email__in=returned.recipients - matched):
        people.setdefault(subscriber.pk, subscriber)
    return list(people.values())


def _hard(subscriber: Subscriber, reason: str) -> None:
    Subscriber.objects.filter(pk=subscriber.pk).update(
        status=Subscriber.Status.BOUNCED,
        bounced_at=timezone.now(),
        bounce_reason=reason[:500],
    )


def _soft(subscriber: Subscriber, reason: str) -> bool:
    """Score one soft bounce; True when it reached the threshold (now bounced)."""
    today = timezone.localdate()
    person = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    stale = timedelta(days=settings.NEWSLETTER_SOFT_BOUNCE_STALE_DAYS)
    if person.bounce_last_on and today - person.bounce_last_on > stale:
        person.bounce_score = 0  # the decay: an old run of bounces no longer counts
    if person.bounce_last_on != today:  # at most one point a day
        person.bounce_score += 1
        person.bounce_last_on = today
    fields = ["bounce_score", "bounce_last_on"]
    reached = person.bounce_score >= settings.NEWSLETTER_SOFT_BOUNCE_THRESHOLD
    if reached and person.status == Subscriber.Status.SUBSCRIBED:
        person.status = Subscriber.Status.BOUNCED
        person.bounced_at = timezone.now()
        person.bounce_reason = f"Soft bounces on {person.bounce_score:g} days: {reason}"[:500]
        fields += ["status", "bounced_at", "bounce_reason"]
    person.save(update_fields=fields)
    return reached


def _record(returned, source, *, status, delivery=None, subscriber=None, raw=b"", address=""):
    InboundMessage.objects.create(
        source=source,
        kind=returned.kind,
        status=status,
        subject=returned.subject,
        sender=returned.sender,
        address=address[:254],
        reason=returned.reason,
        delivery=delivery,
        subscriber=subscriber,
        raw=raw,
    )


@transaction.atomic
def bounce_process(raw: bytes, *, source: str) -> BounceOutcome:
    """Read ``raw`` and act on it (module docstring). Never raises for a bad message: one it
    cannot make sense of is kept for review (``understood`` False)."""
    returned = parse.returned_message_read(raw)
    processed = InboundMessage.Status.PROCESSED

    if returned.kind == parse.UNSUBSCRIBE:
        try:
            subscriber_id, list_id = unsubscribe_token_read(returned.unsubscribe_token)
        except signing.BadSignature:
            returned.kind, returned.reason = parse.UNKNOWN, "Unsubscribe with a token not ours"
        else:
            membership = subscriber_unsubscribe(subscriber_id=subscriber_id, list_id=list_id)
            person = membership.subscriber if membership else None
            _record(returned, source, status=processed, subscriber=person)
            return BounceOutcome(True, returned.kind, f"unsubscribed from list {list_id}")

    if returned.kind in (parse.HARD, parse.SOFT, parse.COMPLAINT):
        deliveries = _deliveries(returned)
        people = _subscribers(returned, deliveries)
        if not people:
            returned.reason = f"{returned.reason}; no subscriber matched".strip("; ")
            _record(returned, source, status=InboundMessage.Status.REVIEW, raw=raw)
            return BounceOutcome(False, returned.kind, "no subscriber matched")
        by_subscriber = {d.subscriber_id: d for d in deliveries}
        for person in people:
            delivery = by_subscriber.get(person.pk)
            if returned.kind == parse.HARD:
                _hard(person, returned.reason)
            elif returned.kind == parse.SOFT:
                _soft(person, returned.reason)
            else:
                lists = (
                    [delivery.mailing_list_id]
                    if delivery and delivery.mailing_list_id
                    else list(
                        Membership.objects.filter(subscriber=person).values_list(
                            "mailing_list_id", flat=True
                        )
                    )
                )
                for list_id in lists:
                    subscriber_unsubscribe(subscriber_id=person.pk, list_id=list_id)
            _record(
                returned,
                source,
                status=processed,
                delivery=delivery,
                subscriber=person,
                address=person.email,
            )
        detail = f"{returned.kind} for {len(people)} subscriber(s)"
        logger.info("Returned message (%s): %s", source, detail)
        return BounceOutcome(True, returned.kind, detail)

    if returned.kind == parse.IGNORED:
        _record(returned, source, status=processed)
        return BounceOutcome(True, returned.kind, "automatic reply")

    _record(returned, source, status=InboundMessage.Status.REVIEW, raw=raw)
    logger.info("Returned message (%s) kept for review: %s", source, returned.subject)
    return BounceOutcome(False, parse.UNKNOWN, returned.reason)

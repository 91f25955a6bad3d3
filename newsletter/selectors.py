"""Reads for the newsletter: audiences, progress and reports (the pre-send checks are in
newsletter.checks)."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum

from newsletter.clickers import clickers_count
from newsletter.models import (
    Delivery,
    LinkClickDay,
    MailingList,
    Membership,
    NewsletterIssuePage,
    Send,
    Subscriber,
)


def audience_size(*, lists) -> int:
    """Unique addresses that would receive a send to these lists (after de-duplication,
    without the unsubscribed and bounced)."""
    return (
        Subscriber.objects.filter(
            status=Subscriber.Status.SUBSCRIBED,
            memberships__mailing_list__in=lists,
            memberships__unsubscribed_at__isnull=True,
        )
        .distinct()
        .count()
    )


def send_counts(send: Send) -> dict[str, int]:
    """Counts by outcome for one send; pending includes deliveries queued or being sent.

    ``uncertain`` counts deliveries whose server reply was lost after the message was sent
    (they may have arrived twice if retried, or are left "uncertain" if never retried);
    ``cancelled`` those not sent because the send was cancelled."""
    rows = dict(
        Delivery.objects.filter(send=send)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    pending = sum(rows.get(status, 0) for status in Delivery.NOT_DONE)
    counts = {
        "total": sum(rows.values()),
        "sent": rows.get(Delivery.Status.SENT, 0),
        "failed": rows.get(Delivery.Status.FAILED, 0),
        "pending": pending,
        "skipped": rows.get(Delivery.Status.SKIPPED, 0),
        "uncertain": Delivery.objects.filter(send=send, uncertain=True).count(),
        "cancelled": rows.get(Delivery.Status.CANCELLED, 0),
    }
    return counts


def send_status(send: Send) -> dict:
    """The one JSON object ``newsletter_status`` prints and the progress page polls."""
    counts = send_counts(send)
    to_send = counts["total"] - counts["skipped"]
    done = to_send - counts["pending"]
    return {
        "id": send.pk,
        "state": send.state,
        **counts,
        "percent": round(100 * done / to_send) if to_send else (100 if send.started_at else 0),
    }


def send_clicks(send: Send) -> dict:
    """Clicks on the send's links (all days) and its distinct clickers (``newsletter.clickers``;
    counted, not listed)."""
    clicks = LinkClickDay.objects.filter(link__send=send).aggregate(n=Sum("clicks"))["n"]
    return {"clicks": clicks or 0, "unique_clickers": clickers_count(send.pk)}


def send_unsubscribed_since(send: Send) -> int:
    """Recipients of this send who left one of its lists after it started."""
    if send.started_at is None:
        return 0
    return (
        Membership.objects.filter(
            mailing_list__in=send.lists.all(),
            unsubscribed_at__gte=send.started_at,
            subscriber__deliveries__send=send,
        )
        .values("subscriber_id")
        .distinct()
        .count()
    )


def send_deliveries(send: Send, *, status: str | None = None) -> QuerySet[Delivery]:
    deliveries = Delivery.objects.filter(send=send).order_by("id")
    if status == Delivery.Status.UNCERTAIN:  # left uncertain, or retried after a lost reply
        deliveries = deliveries.filter(uncertain=True)
    elif status:
        deliveries = deliveries.filter(status=status)
    return deliveries


def sends_for_admin() -> QuerySet[Send]:
    return Send.objects.select_related("issue", "created_by").prefetch_related("lists")


def sends_with_counts() -> QuerySet[Send]:
    """Sends, latest first, each with ``total``, ``sent`` and ``failed`` delivery counts (the
    sends listing and the dashboard)."""
    return (
        sends_for_admin()
        .annotate(
            total=Count("deliveries"),
            sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
            failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
        )
        .order_by("-scheduled_at", "-pk")
    )


def mailing_list_memberships(mailing_list: MailingList) -> QuerySet[Membership]:
    """A list's memberships with their subscribers, by address (the list's CSV export)."""
    return mailing_list.memberships.select_related("subscriber").order_by("subscriber__email")


def mailing_lists_with_counts() -> QuerySet[MailingList]:
    return MailingList.objects.annotate(
        active=Count("memberships", filter=Q(memberships__unsubscribed_at__isnull=True))
    )


def newsletter_engagement(*, start: datetime, end: datetime) -> dict[str, int]:
    """Delivery and unsubscribe figures for a period, for "Trusted Research in numbers"."""
    sent = Delivery.objects.filter(status=Delivery.Status.SENT, sent_at__gte=start, sent_at__lt=end)
    return {
        "newsletters_sent": sent.count(),
        "newsletter_failures": Delivery.objects.filter(
            status=Delivery.Status.FAILED, updated_at__gte=start, updated_at__lt=end
        ).count(),
        "unsubscribes": Membership.objects.filter(
            unsubscribed_at__gte=start, unsubscribed_at__lt=end
        ).count(),
    }


def subscriber_personal_data(subscriber: Subscriber) -> dict:
    """Everything held about one person (UK GDPR subject access), as JSON-ready data."""
    return {
        "email": subscriber.email,
        "name": subscriber.name,
        "status": subscriber.status,
        "created_at": subscriber.created_at.isoformat(),
        "memberships": [
            {
                "list": m.mailing_list.name,
                "subscribed_at": m.subscribed_at.isoformat(),
                "unsubscribed_at": m.unsubscribed_at.isoformat() if m.unsubscribed_at else None,
            }
            for m in subscriber.memberships.select_related("mailing_list")
        ],
        "deliveries": [
            {
                "send": d.send_id,
                "subject": d.send.subject,
                "status": d.status,
                "sent_at": d.sent_at.isoformat() if d.sent_at else None,
                "smtp_reply": d.smtp_reply,
            }
            for d in subscriber.deliveries.select_related("send").order_by("id")
        ],
    }


def issues_for_dashboard() -> dict:
    """What a comms lead looks at first: the latest sends with their counts, the issues
    approved (live) that no send has used yet, and the drafts in progress."""
    sends = list(sends_with_counts()[:5])
    unsent = (
        NewsletterIssuePage.objects.live()
        .filter(sends__isnull=True)
        .order_by("-last_published_at")[:5]
    )
    drafts = NewsletterIssuePage.objects.filter(live=False).order_by("-latest_revision_created_at")
    return {"sends": sends, "unsent": list(unsent), "drafts": list(drafts[:5])}

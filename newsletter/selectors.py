"""Reads for the newsletter: audiences, progress and reports (the pre-send checks are in
newsletter.checks)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from comms.selectors import reads_all_total, reads_daily
from newsletter.clickers import clickers_count
from newsletter.models import (
    Delivery,
    InboundMessage,
    LinkClickDay,
    MailingList,
    Membership,
    NewsletterIssuePage,
    Send,
    SendLink,
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
        # Sent, then returned as a hard bounce (newsletter.services.bounces).
        "bounced": InboundMessage.objects.filter(kind=InboundMessage.Kind.HARD, delivery__send=send)
        .values("delivery")
        .distinct()
        .count(),
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
    """Lists with ``active`` (subscribed members) and ``from_directory`` (of them, those the
    directory added), and the groups they follow (``MailingList.members_from`` reads them)."""
    active = Q(memberships__unsubscribed_at__isnull=True)
    return MailingList.objects.annotate(
        active=Count("memberships", filter=active),
        from_directory=Count(
            "memberships",
            filter=active & Q(memberships__source=Membership.Source.DIRECTORY),
        ),
    ).prefetch_related("directory_groups")


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


def engagement_month(*, start: datetime, end: datetime) -> dict[str, int]:
    """The staff engagement figures of a month (``start`` to ``end``, its first moments and the
    next month's): ``readers``, the reader-days of every counted page on the portal in it (each
    signed-in person once per item per day); ``clickers``, the people who clicked a link in the
    sends that started in it (each send's distinct clickers, added up); ``sends``, those sends;
    and ``newsletter_engagement``'s delivery and unsubscribe figures."""
    first, last = timezone.localdate(start), timezone.localdate(end - timedelta(microseconds=1))
    send_ids = list(
        Send.objects.filter(started_at__gte=start, started_at__lt=end).values_list("pk", flat=True)
    )
    return {
        "readers": reads_all_total(first, last),
        "clickers": sum(clickers_count(send_id) for send_id in send_ids),
        "sends": len(send_ids),
        **newsletter_engagement(start=start, end=end),
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


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class SendEngagement:
    """One send's figures in an issue's report (or, with ``send=None``, the issue's totals)."""

    send: Send | None
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    unsubscribed: int = 0
    clicks: int = 0
    clickers: int = 0

    @property
    def click_through(self) -> Decimal | None:
        """Distinct clickers as a percentage of the messages delivered (one decimal)."""
        return _percent(self.clickers, self.sent)


@dataclass
class DayEngagement:
    day: date
    readers: int
    clicks: int


@dataclass
class IssueEngagement:
    """What a comms lead reads about one issue (``issue_engagement``)."""

    issue: NewsletterIssuePage
    sends: list[SendEngagement]
    total: SendEngagement
    days: list[DayEngagement]
    links: list[dict] = field(default_factory=list)

    @property
    def readers(self) -> int:
        """Signed-in readers of the issue on the portal, each counted once a day."""
        return sum(day.readers for day in self.days)


def _issue_sends(issue: NewsletterIssuePage) -> list[SendEngagement]:
    sends = (
        Send.objects.filter(issue=issue, started_at__isnull=False)
        .prefetch_related("lists")
        .annotate(
            n_sent=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.SENT)),
            n_failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
        )
        .order_by("started_at", "pk")
    )
    bounced = dict(
        InboundMessage.objects.filter(kind=InboundMessage.Kind.HARD, delivery__send__issue=issue)
        .values_list("delivery__send_id")
        .annotate(n=Count("delivery", distinct=True))
        .values_list("delivery__send_id", "n")
    )
    clicks = dict(
        LinkClickDay.objects.filter(link__send__issue=issue)
        .values_list("link__send_id")
        .annotate(n=Sum("clicks"))
        .values_list("link__send_id", "n")
    )
    return [
        SendEngagement(
            send=send,
            sent=send.n_sent,
            failed=send.n_failed,
            bounced=bounced.get(send.pk, 0),
            unsubscribed=send_unsubscribed_since(send),
            clicks=clicks.get(send.pk, 0),
            clickers=clickers_count(send.pk),
        )
        for send in sends
    ]


def issue_engagement(issue: NewsletterIssuePage, *, today: date | None = None) -> IssueEngagement:
    """An issue's engagement: each send that started (sent, failed, bounced, unsubscribed since,
    clicks, distinct clickers, click-through), their totals, the issue's signed-in readers and
    clicks on each day from its first publication (or first send) to ``today`` (Europe/London),
    and its links ranked by clicks (the same address in two sends is one link).

    Readers are counted once a day (``comms.selectors.reads_daily``): a person who reads on two
    days counts on each. Clickers are distinct per send; the total adds the sends up."""
    today = today or timezone.localdate()
    sends = _issue_sends(issue)
    total = SendEngagement(send=None)
    for one in sends:
        for name in ("sent", "failed", "bounced", "unsubscribed", "clicks", "clickers"):
            setattr(total, name, getattr(total, name) + getattr(one, name))
    starts = [timezone.localdate(one.send.started_at) for one in sends]
    if issue.first_published_at:
        starts.append(timezone.localdate(issue.first_published_at))
    start = min(starts, default=today)
    clicks_by_day = dict(
        LinkClickDay.objects.filter(link__send__issue=issue, day__range=(start, today))
        .values_list("day")
        .annotate(n=Sum("clicks"))
        .values_list("day", "n")
    )
    days = [
        DayEngagement(day=day, readers=readers, clicks=clicks_by_day.get(day, 0))
        for day, readers in reads_daily(issue, start, today)
    ]
    links = list(
        SendLink.objects.filter(send__issue=issue)
        .values("url")
        .annotate(clicks=Sum("click_days__clicks"), first=Min("position"))
        .order_by()
    )
    for link in links:
        link["clicks"] = link["clicks"] or 0
    links.sort(key=lambda link: (-link["clicks"], link["first"]))
    return IssueEngagement(issue=issue, sends=sends, total=total, days=days, links=links)

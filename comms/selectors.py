"""Reads shared by the portal's apps."""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from wagtail.models import Page

from comms.models import FeedToken, ReadCount


def user_for_feed_token(token: str):
    """The active user whose feed token this is, or None (empty, unknown or inactive).

    The lookup is an exact match on the unique, indexed token column, so nothing is compared
    character by character in Python.
    """
    if not token:
        return None
    found = (
        FeedToken.objects.select_related("user").filter(token=token, user__is_active=True).first()
    )
    return found.user if found else None


def _read_item(obj) -> tuple[int, int]:
    """(content type id, id) of ``obj`` as reads are counted: a page by its specific type."""
    if isinstance(obj, Page):
        return obj.content_type_id, obj.pk
    return ContentType.objects.get_for_model(obj).pk, obj.pk


def reads_daily(obj, start: date, end: date) -> list[tuple[date, int]]:
    """Distinct signed-in readers of ``obj`` (a page, a statistic) on each day from ``start``
    to ``end`` inclusive (Europe/London dates), 0 on days nobody read it.

    Each figure counts people once *within its day*. Per-day figures do not add up to
    distinct people over several days: someone who read it on Monday and Tuesday is in both
    (the portal cannot tell, by design: a reader's mark changes every day). Today's figure is
    as of the last fold (``comms.tasks.reads_fold``, every few minutes)."""
    content_type_id, object_id = _read_item(obj)
    found = dict(
        ReadCount.objects.filter(
            content_type_id=content_type_id, object_id=object_id, day__range=(start, end)
        ).values_list("day", "readers")
    )
    days = (end - start).days + 1
    return [
        (start + timedelta(days=n), found.get(start + timedelta(days=n), 0))
        for n in range(max(days, 0))
    ]


def reads_total(obj, start: date, end: date) -> int:
    """*Reader-days* of ``obj`` from ``start`` to ``end`` inclusive: the sum of each day's
    distinct readers (``reads_daily``). Not distinct people over the period: one person
    reading on three days counts three; nobody's reads can be joined across days."""
    content_type_id, object_id = _read_item(obj)
    return (
        ReadCount.objects.filter(
            content_type_id=content_type_id, object_id=object_id, day__range=(start, end)
        ).aggregate(total=Sum("readers"))["total"]
        or 0
    )


def reads_all_total(start: date, end: date) -> int:
    """Reader-days of every counted item (issues, posts, the statistics library and its
    statistics, the campaign's pages) from ``start`` to ``end`` inclusive: for each item and
    day, its distinct signed-in readers, added up."""
    return (
        ReadCount.objects.filter(day__range=(start, end)).aggregate(total=Sum("readers"))["total"]
        or 0
    )

"""Reads of the campaign for other apps (the newsletter's learning zone and introduction) and
the admin. No writes here. The campaign pages' own reads live on the models' querysets
(``Activity.objects.for_calendar()``, ``Kpi.objects.results()``…) and the page models."""

from datetime import date

from django.utils import timezone

from campaign.models import Activity, CampaignIntro


def training_upcoming(*, count: int, today: date | None = None) -> list[Activity]:
    """The next ``count`` training sessions starting today or later and not marked done,
    soonest first (``ActivityQuerySet.training_upcoming``)."""
    return Activity.objects.training_upcoming(count=count, today=today)


def training_upcoming_cached(*, count: int) -> list[Activity]:
    """``training_upcoming`` kept in the cache for the current content generation and day (an
    edited activity bumps the generation; tomorrow's list starts afresh), so an issue page or
    a send batch reads the calendar once, not per request."""
    from django.conf import settings
    from django.core.cache import cache

    from comms.readercache.caching import CONTENT, generation_current

    if count <= 0:
        return []
    today = timezone.localdate()
    key = f"portal:training-upcoming:{generation_current(CONTENT)}:{today.isoformat()}:{count}"
    sessions = cache.get(key)
    if sessions is None:
        sessions = training_upcoming(count=count, today=today)
        cache.set(key, sessions, getattr(settings, "READER_CACHE_TIMEOUT", 3600))
    return sessions


def campaign_intro_live() -> CampaignIntro | None:
    """The campaign introduction published most recently, if any is live."""
    return CampaignIntro.objects.filter(live=True).order_by("-last_published_at", "-pk").first()


def campaign_intro_draft_placeholders() -> list[str]:
    """What still stops the newest campaign intro draft from being published (one line each)."""
    from comms.guard import placeholder_guard_messages, placeholder_guard_scan

    draft = CampaignIntro.objects.order_by("-pk").first()
    if draft is None:
        return []
    latest = draft.get_latest_revision_as_object()
    return placeholder_guard_messages(placeholder_guard_scan(latest))

"""Reads of the campaign for other apps (the newsletter's learning zone and introduction) and
the admin. No writes here. The campaign pages' own reads live on the models' querysets
(``Activity.objects.for_calendar()``, ``Kpi.objects.results()``…) and the page models."""

from campaign.models import CampaignIntro


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

"""Reads shared by the portal's apps."""

from comms.models import FeedToken


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

"""Personal feed tokens: one per user, for every feed a user can subscribe to."""

import logging
import secrets

from django.db import IntegrityError, transaction

from comms.models import FeedToken

logger = logging.getLogger(__name__)


def feed_token_get_or_create(*, user) -> FeedToken:
    """The user's feed token, made on first use.

    Guarantees: idempotent (one token per user, the same one on every call, even when two
    requests race to make it); the token is 43 URL-safe characters from ``secrets``. It opens
    the user's feeds (blog and calendar) and nothing else.
    """
    # Nearly every call finds the token: one read, no transaction (reader pages call this).
    existing = FeedToken.objects.filter(user=user).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            token, created = FeedToken.objects.get_or_create(
                user=user, defaults={"token": secrets.token_urlsafe(32)}
            )
    except IntegrityError:
        # Another request made it between our read and our insert.
        return FeedToken.objects.get(user=user)
    if created:
        logger.info("Feed token created for user %s", user.pk)
    return token

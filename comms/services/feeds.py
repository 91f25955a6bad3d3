"""Personal feed tokens: one per user, for every feed a user can subscribe to."""

import logging
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

from wagtail.log_actions import log

from comms.models import FeedToken

FEED_TOKEN_REPLACE_ACTION = "comms.feed_token.replace"

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


def feed_token_replace(*, user) -> FeedToken:
    """Revoke the user's feed token and give them a new one (made if they had none).

    Guarantees: transactional (the old token stops opening the feeds in the same commit that
    makes the new one, and a failure changes nothing); the user's row is locked, so two
    requests replace one after the other. Recorded in Wagtail's audit log on the user
    ("comms.feed_token.replace": who, when) and in the log, never with the token itself."""
    with transaction.atomic():
        person = get_user_model().objects.select_for_update().get(pk=user.pk)
        FeedToken.objects.filter(user=person).delete()
        token = FeedToken.objects.create(user=person, token=secrets.token_urlsafe(32))
        log(instance=person, action=FEED_TOKEN_REPLACE_ACTION, user=person)
    logger.info("Feed token of user %s replaced", user.pk)
    return token

"""Share a newsletter issue at a public web address, and stop sharing it.

By default an issue is intranet-only. Sharing makes ``/newsletters/public/<token>/`` (a random
256-bit token) show the issue's live, approved version to anyone who has the address; the mailed
"Read this issue on the portal" link then uses it. Stopping kills that address for good (404);
sharing again makes a new one. Only comms leads (``newsletter.schedule_send``, the permission
that decides who mails an issue) may do either; each is an entry in the issue's history.
"""

import logging
import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction

from wagtail.log_actions import log

from newsletter.models import NewsletterIssuePage, PublicLink
from newsletter.services.sends import user_can_schedule

logger = logging.getLogger(__name__)

SHARE_ACTION = "newsletter.issue.share"
UNSHARE_ACTION = "newsletter.issue.unshare"


def user_can_share(user) -> bool:
    return user_can_schedule(user)


def _require(user) -> None:
    if not user_can_share(user):
        raise PermissionDenied("Only comms leads may share an issue publicly or stop sharing it.")


@transaction.atomic
def newsletter_issue_share(*, issue: NewsletterIssuePage, user) -> PublicLink:
    """Give ``issue`` a public address. Idempotent: an issue already shared keeps its address
    (and no second history entry is written). Raises ``PermissionDenied`` for anyone but a
    comms lead. The page shows nothing until the issue is live (approved)."""
    _require(user)
    link, created = PublicLink.objects.get_or_create(
        issue=issue, defaults={"token": secrets.token_urlsafe(32), "created_by": user}
    )
    if created:
        log(instance=issue, action=SHARE_ACTION, user=user, data={"link_id": link.pk})
        logger.info("Newsletter issue %s shared publicly by user %s", issue.pk, user.pk)
    return link


@transaction.atomic
def newsletter_issue_unshare(*, issue: NewsletterIssuePage, user) -> bool:
    """Stop sharing ``issue``: its public address answers 404 from now on. Returns whether it
    was shared. Idempotent; raises ``PermissionDenied`` for anyone but a comms lead."""
    _require(user)
    deleted, _ = PublicLink.objects.filter(issue=issue).delete()
    if deleted:
        log(instance=issue, action=UNSHARE_ACTION, user=user)
        logger.info("Newsletter issue %s no longer shared, by user %s", issue.pk, user.pk)
    return bool(deleted)

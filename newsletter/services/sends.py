"""Scheduling a send and controlling it: cancel, pause, resume, resend to failed.

Every function checks the user's permission itself (Comms leads only), so no view, command or
future caller can skip it; every change is in Wagtail's audit log on the issue, with the user.
"""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from newsletter.models import Delivery, MailingList, NewsletterIssuePage, Send
from newsletter.scheduling import format_london
from newsletter.selectors import audience_size, issue_presend_problems

logger = logging.getLogger(__name__)

SCHEDULE_PERMISSION = "newsletter.schedule_send"
PAST_TOLERANCE = timedelta(minutes=5)


def user_can_schedule(user) -> bool:
    return bool(user and user.is_active and user.has_perm(SCHEDULE_PERMISSION))


def _require(user) -> None:
    if not user_can_schedule(user):
        raise PermissionDenied("Only comms leads may schedule, cancel, pause or resend sends.")


def send_schedule(
    *, issue: NewsletterIssuePage, lists: list[MailingList], at: datetime | None, user
) -> Send:
    """Schedule the issue's approved revision to the lists at ``at`` (aware; None = now).

    Guarantees: only a comms lead; the issue passes its pre-send checks; the audience is not
    empty; the revision is frozen now, so later edits do not change what is sent. The dispatcher
    starts it when due. Raises PermissionDenied or ValidationError (messages for the user).
    """
    _require(user)
    lists = list(lists)
    errors = []
    if not lists:
        errors.append("Choose at least one mailing list.")
    now = timezone.now()
    at = at or now
    if at < now - PAST_TOLERANCE:
        errors.append(f"{format_london(at)} is in the past. Choose a later time.")
    errors.extend(issue_presend_problems(issue))
    if lists and not audience_size(lists=lists):
        errors.append("Nobody subscribed is on the chosen lists.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        send = Send.objects.create(
            issue=issue,
            revision_id=issue.live_revision_id,
            subject=issue.live_revision.as_object().title,
            scheduled_at=at,
            created_by=user,
        )
        send.lists.set(lists)
        log(
            instance=issue,
            action="newsletter.send.schedule",
            user=user,
            data={
                "send": send.pk,
                "lists": [mailing_list.name for mailing_list in lists],
                "at": format_london(at),
            },
        )
    logger.info("Send %s scheduled for %s by user %s", send.pk, at.isoformat(), user.pk)
    return send


_DONE = {"cancel": "cancelled", "pause": "paused", "resume": "resumed"}


def _transition(send: Send, user, *, allowed: tuple[str, ...], to: str, action: str) -> Send:
    _require(user)
    with transaction.atomic():
        locked = Send.objects.select_for_update().get(pk=send.pk)
        if locked.state not in allowed:
            raise ValidationError(
                f"This send is {locked.get_state_display().lower()}; "
                f"it cannot be {_DONE[action]} now."
            )
        locked.state = to
        fields = ["state"]
        data = {"send": locked.pk}
        if to == Send.State.CANCELLED:
            locked.cancelled_at = timezone.now()
            fields.append("cancelled_at")
            # Queued rows too: a batch task that arrives later finds nothing to claim. Rows a
            # worker is sending are cancelled by that worker before its next message.
            data["deliveries_cancelled"] = Delivery.objects.filter(
                send=locked, status__in=(Delivery.Status.PENDING, Delivery.Status.QUEUED)
            ).update(
                status=Delivery.Status.CANCELLED,
                batch_key="",
                lease_expires_at=None,
                smtp_reply="Not sent: the send was cancelled.",
            )
        if to == Send.State.RUNNING:  # resume: a new run of failures starts from nought
            locked.pause_reason = ""
            locked.consecutive_failures = 0
            fields += ["pause_reason", "consecutive_failures"]
        locked.save(update_fields=fields)
        log(
            instance=locked.issue,
            action=f"newsletter.send.{action}",
            user=user,
            data=data,
        )
    logger.info("Send %s: %s by user %s", send.pk, action, user.pk)
    return locked


def send_cancel(*, send: Send, user) -> Send:
    """Cancel a send that is scheduled, running or paused. Nothing more is sent after the
    message each worker has in flight: every delivery not yet sent becomes "cancelled" (in the
    report), at once for those waiting, before their next message for those being sent."""
    return _transition(
        send,
        user,
        allowed=(Send.State.SCHEDULED, Send.State.RUNNING, Send.State.PAUSED),
        to=Send.State.CANCELLED,
        action="cancel",
    )


def send_pause(*, send: Send, user) -> Send:
    """Pause a running send: no new batches start; running batches check the state before each
    message, so each worker stops after the message it has in flight and gives the rest back."""
    return _transition(
        send, user, allowed=(Send.State.RUNNING,), to=Send.State.PAUSED, action="pause"
    )


def send_resume(*, send: Send, user) -> Send:
    """Resume a paused send where it stopped (paused by a person or by the engine after a run
    of failures; the run is counted afresh)."""
    return _transition(
        send, user, allowed=(Send.State.PAUSED,), to=Send.State.RUNNING, action="resume"
    )


def send_resend_failed(*, send: Send, user) -> int:
    """Give the failed deliveries of a started send another go (same revision, same
    Message-IDs). Returns how many. The dispatcher picks them up on its next run."""
    _require(user)
    with transaction.atomic():
        locked = Send.objects.select_for_update().get(pk=send.pk)
        if locked.state not in (Send.State.RUNNING, Send.State.PAUSED, Send.State.FINISHED):
            raise ValidationError("Only a send that has started can be resent to its failures.")
        count = Delivery.objects.filter(send=locked, status=Delivery.Status.FAILED).update(
            status=Delivery.Status.PENDING,
            attempts=0,
            next_attempt_at=None,
            batch_key="",
            lease_expires_at=None,
        )
        if count and locked.state == Send.State.FINISHED:
            locked.state = Send.State.RUNNING
            locked.finished_at = None
            locked.save(update_fields=["state", "finished_at"])
        log(
            instance=locked.issue,
            action="newsletter.send.resend",
            user=user,
            data={"send": locked.pk, "deliveries": count},
        )
    logger.info("Send %s: %s failed deliveries queued again by user %s", send.pk, count, user.pk)
    return count

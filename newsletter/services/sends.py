"""Scheduling a send and controlling it: cancel, pause, resume, resend to failed.

Every function checks the user's permission itself (Comms leads only), so no view, command or
future caller can skip it; every change is in Wagtail's audit log on the issue, with the user.

Each person gets an issue once, on purpose: scheduling an issue to a list it has already been
sent to (or is scheduled, sending or paused for) is refused with ``AlreadySentError`` naming
the earlier send; sending again needs ``again=True`` and a reason of a few words, which the
audit log records. Cancelled sends do not count.
"""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.models import Page

from newsletter.checks import issue_presend_problems
from newsletter.models import Delivery, MailingList, NewsletterIssuePage, Send
from newsletter.scheduling import format_london
from newsletter.selectors import audience_size

logger = logging.getLogger(__name__)

SCHEDULE_PERMISSION = "newsletter.schedule_send"
PAST_TOLERANCE = timedelta(minutes=5)
# A reason to send again is "a few words": at least this many, and this many letters.
REASON_MIN_WORDS = 3
REASON_MIN_CHARS = 10


class AlreadySentError(ValidationError):
    """The issue has already gone (or is going) to one of the lists. ``earlier`` holds those
    sends; callers add how to send again anyway in their own terms (a checkbox, a flag)."""

    def __init__(self, message: str, *, earlier: list[Send]):
        super().__init__(message, code="already_sent")
        self.earlier = earlier


def _who(user) -> str:
    if user is None:
        return "a deleted user"
    return user.get_full_name() or user.get_username()


def _earlier_sends(*, issue: NewsletterIssuePage, lists: list[MailingList]) -> list[Send]:
    """This issue's sends to any of the lists that count as "already gone": every state but
    cancelled, and a cancelled one that mailed anybody before it was stopped (a new send would
    mail them twice). Oldest first."""
    mailed = Delivery.objects.filter(
        send=OuterRef("pk"), status__in=(Delivery.Status.SENT, Delivery.Status.UNCERTAIN)
    )
    return list(
        Send.objects.filter(issue_id=issue.pk, lists__in=lists)
        .filter(~Q(state=Send.State.CANCELLED) | Exists(mailed))
        .select_related("created_by")
        .prefetch_related("lists")
        .distinct()
        .order_by("scheduled_at", "pk")
    )


def describe_earlier_send(send: Send, lists: list[MailingList]) -> str:
    """ "send 12 to All staff, for 2026-03-02 09:30 GMT, finished, by Jo Bloggs" """
    wanted = {mailing_list.pk for mailing_list in lists}
    names = ", ".join(m.name for m in send.lists.all() if m.pk in wanted)
    return (
        f"send {send.pk} to {names}, for {format_london(send.scheduled_at)}, "
        f"{send.get_state_display().lower()}, by {_who(send.created_by)}"
    )


def reason_problem(reason: str) -> str | None:
    """Why this reason to send again is not enough, or None."""
    words = reason.split()
    if len(words) < REASON_MIN_WORDS or len(" ".join(words)) < REASON_MIN_CHARS:
        return (
            "Give the reason for sending again in a few words (at least "
            f'{REASON_MIN_WORDS}), e.g. "The first send had the wrong event date."'
        )
    return None


def user_can_schedule(user) -> bool:
    return bool(user and user.is_active and user.has_perm(SCHEDULE_PERMISSION))


def _require(user) -> None:
    if not user_can_schedule(user):
        raise PermissionDenied("Only comms leads may schedule, cancel, pause or resend sends.")


def send_schedule_check(
    *,
    issue: NewsletterIssuePage,
    lists: list[MailingList],
    at: datetime | None,
    user,
    again: bool = False,
    reason: str = "",
) -> list[Send]:
    """The one check before scheduling, for the form's confirmation step, the command and
    ``send_schedule``. Returns the earlier sends that ``again`` overrides (empty normally).

    Raises PermissionDenied; ValidationError with every problem (lists, time, pre-send checks,
    audience); AlreadySentError when the issue has already gone to a list and ``again`` is
    not given; ValidationError when ``again`` comes without a reason of a few words.
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
    earlier = _earlier_sends(issue=issue, lists=lists) if lists else []
    if earlier and not again:
        raise AlreadySentError(
            "This issue has already been sent or scheduled to the same list(s): "
            + "; ".join(describe_earlier_send(send, lists) for send in earlier)
            + ". People on those lists would get it twice.",
            earlier=earlier,
        )
    if earlier and (problem := reason_problem(reason)):
        raise ValidationError(problem, code="reason")
    return earlier


def send_schedule(
    *,
    issue: NewsletterIssuePage,
    lists: list[MailingList],
    at: datetime | None,
    user,
    again: bool = False,
    reason: str = "",
) -> Send:
    """Schedule the issue's approved revision to the lists at ``at`` (aware; None = now).

    Guarantees: only a comms lead; the issue passes its pre-send checks; the audience is not
    empty; the revision is frozen now, so later edits do not change what is sent. The dispatcher
    starts it when due. Once, on purpose: an issue already sent, scheduled, sending or paused
    to one of the lists is refused (``AlreadySentError``) unless ``again`` with a ``reason``,
    recorded in the audit log as ``resend_reason``. The check runs with the issue's row locked,
    so two comms leads scheduling at the same moment cannot both get through. Raises
    PermissionDenied or ValidationError (messages for the user).
    """
    lists = list(lists)
    at = at or timezone.now()
    with transaction.atomic():
        # Serialise schedulers of this issue: the check and the new row are one step.
        Page.objects.select_for_update().filter(pk=issue.pk).first()
        earlier = send_schedule_check(
            issue=issue, lists=lists, at=at, user=user, again=again, reason=reason
        )
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
                **(
                    {
                        "resend_of": [e.pk for e in earlier],
                        "resend_reason": " ".join(reason.split()),
                    }
                    if earlier
                    else {}
                ),
            },
        )
    logger.info("Send %s scheduled for %s by user %s", send.pk, at.isoformat(), user.pk)
    return send


def _transition(send: Send, user, *, event: str) -> Send:
    """Apply ``event`` (see ``newsletter.models.sending.TRANSITIONS``) for a comms lead, on the
    locked row, with the audit log entry ``newsletter.send.<event>``."""
    _require(user)
    with transaction.atomic():
        locked = Send.objects.select_for_update().get(pk=send.pk)
        try:
            locked.move(event)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        fields = ["state"]
        data = {"send": locked.pk}
        if event == "cancel":
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
        if event == "resume":  # a new run of failures starts from nought
            locked.pause_reason = ""
            locked.consecutive_failures = 0
            fields += ["pause_reason", "consecutive_failures"]
        locked.save(update_fields=fields)
        log(instance=locked.issue, action=f"newsletter.send.{event}", user=user, data=data)
    logger.info("Send %s: %s by user %s", send.pk, event, user.pk)
    return locked


def send_cancel(*, send: Send, user) -> Send:
    """Cancel a send that is scheduled, running or paused. Nothing more is sent after the
    message each worker has in flight: every delivery not yet sent becomes "cancelled" (in the
    report), at once for those waiting, before their next message for those being sent."""
    return _transition(send, user, event="cancel")


def send_pause(*, send: Send, user) -> Send:
    """Pause a running send: no new batches start; running batches check the state before each
    message, so each worker stops after the message it has in flight and gives the rest back."""
    return _transition(send, user, event="pause")


def send_resume(*, send: Send, user) -> Send:
    """Resume a paused send where it stopped (paused by a person or by the engine after a run
    of failures; the run is counted afresh)."""
    return _transition(send, user, event="resume")


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
        if count and locked.can("reopen"):
            locked.move("reopen")
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

"""Changes to the campaign: answers and activities. One transaction each."""

import logging
from datetime import date

from django.db import transaction
from django.utils import timezone

from campaign.models import Activity, ActivityStatus, PlanQuestion

logger = logging.getLogger(__name__)


@transaction.atomic
def question_answer(*, question: PlanQuestion, answer: str, user) -> PlanQuestion:
    """Record the office's answer (rich text) and who last edited it, and when.

    Saving the same answer again changes nothing, not even the "last edited" stamp.
    """
    question = PlanQuestion.objects.select_for_update().get(pk=question.pk)
    if question.answer == answer and question.answer_edited_at is not None:
        return question
    question.answer = answer
    question.answer_edited_by = user
    question.answer_edited_at = timezone.now()
    question.save(update_fields=["answer", "answer_edited_by", "answer_edited_at"])
    logger.info("Question %s answered by user %s", question.pk, getattr(user, "pk", None))
    return question


@transaction.atomic
def activity_create(
    *,
    title: str,
    phase: str,
    audience: str,
    channel: str,
    owner: str,
    start_date: date,
    end_date: date,
    status: str = ActivityStatus.PLANNED,
    description: str = "",
    link_url: str = "",
    link_page=None,
    training: bool = False,
) -> Activity:
    """Validate and save a new activity. Bad input raises ValidationError naming the field;
    nothing is saved then."""
    activity = Activity(
        title=title,
        phase=phase,
        audience=audience,
        channel=channel,
        owner=owner,
        start_date=start_date,
        end_date=end_date,
        status=status,
        description=description,
        link_url=link_url,
        link_page=link_page,
        training=training,
    )
    activity.full_clean()
    activity.save()
    logger.info("Campaign activity %s created", activity.pk)
    return activity

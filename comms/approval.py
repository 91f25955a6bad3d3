"""Two-person approval, held on every path that makes a page live.

A page type with ``ApprovalRequiredPageMixin`` (blog posts, newsletter issues) goes live only
as the very revision a workflow approved, and the approver is never one of that revision's
authors. Wagtail 8 has many ways to make a page live; each is closed here, in one place:

* publishing (the editor's Publish, the admin API's ``publish`` action, bulk publish, publishing
  a reverted revision): nobody has publish permission on these pages
  (``ApprovalOnlyPagePermissionTester.can_publish`` is False, superusers included), so Wagtail
  offers no Publish and its actions refuse with ``PermissionDenied`` (the API answers 403);
* the workflow: ``WAGTAIL_FINISH_WORKFLOW_ACTION`` is ``publish_approved_revision``, which
  publishes the revision the final task approved (Wagtail's default publishes the latest one,
  which may have been saved after the review), and ``WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT``
  makes an edit during review need a new approval;
* scheduled publishing (``publish_scheduled``) and code calling ``revision.publish()``:
  ``comms.guard.PlaceholderGuardMixin.publish`` refuses a revision no workflow approved;
* copies kept live, aliases, and anything else that saves the page as live: ``save`` refuses
  a page that becomes live, or changes its live revision, unless that revision was approved
  for this very page (``NotApprovedError``, a ``PermissionDenied``: the API answers 403).

Who counts as an author (``content_author_ids``): the page's owner, whoever submitted it, and
whoever saved a revision while it was under review, so an approver who corrects a page cannot
approve their own correction.
"""

from django.core.exceptions import PermissionDenied

from wagtail.admin.forms.pages import CopyForm
from wagtail.models import Page, PagePermissionTester

APPROVAL_ONLY_MESSAGE = (
    "A {name} goes live only through approval: submit it for moderation, and someone other "
    "than its authors in the approving group approves it."
)


class NotApprovedError(PermissionDenied):
    """A page that needs approval was about to go live as a revision nobody approved."""


def revision_approved(revision) -> bool:
    """Whether a workflow approved exactly this revision: the workflow finished approved and
    its final task approved this revision (not an earlier or a later one)."""
    from wagtail.models import TaskState, WorkflowState

    if revision is None or revision.pk is None:
        return False
    return WorkflowState.objects.filter(
        base_content_type_id=revision.base_content_type_id,
        object_id=revision.object_id,
        status=WorkflowState.STATUS_APPROVED,
        current_task_state__revision_id=revision.pk,
        current_task_state__status=TaskState.STATUS_APPROVED,
    ).exists()


def content_author_ids(obj) -> set[int]:
    """Who counts as an author of what is under review in ``obj``: whoever created it (a page's
    owner), whoever submitted it, and whoever saved a revision after it was submitted (an
    approver who corrects the text becomes one of its authors). Revisions saved before the
    submission are vouched for by the submitter, who saw them: so a senior owner may write an
    issue's introduction in the draft and still approve the issue a comms lead submitted."""
    ids = set()
    if getattr(obj, "owner_id", None):
        ids.add(obj.owner_id)
    state = getattr(obj, "current_workflow_state", None)
    if state is not None:
        if state.requested_by_id:
            ids.add(state.requested_by_id)
        saved_under_review = obj.revisions.filter(created_at__gt=state.created_at)
        ids.update(uid for uid in saved_under_review.values_list("user_id", flat=True) if uid)
    return ids


def approver_names(obj, task) -> list[str]:
    """Who may approve ``obj`` on ``task`` (a group approval task): active members of its
    groups who are not among the authors, by name."""
    from django.contrib.auth import get_user_model

    authors = content_author_ids(obj)
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__in=task.groups.all())
        .exclude(pk__in=authors)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return [user.get_full_name() or user.get_username() for user in users]


def self_approval_message(obj, task, user) -> str | None:
    """Why ``user`` may not approve ``obj`` and who may, or None when they are not an author."""
    if user.pk not in content_author_ids(obj):
        return None
    names = approver_names(obj, task) if hasattr(task, "groups") else []
    who = ", ".join(names) if names else "nobody yet: ask an administrator to add someone"
    return (
        f"You created, submitted or changed “{obj.get_admin_display_title()}”, so you cannot "
        f"approve it: someone else in the approving group must. Who can approve it: {who}."
    )


def awaiting_approval_message(page, user) -> str | None:
    """For an author opening a page under review: who is awaited. None otherwise."""
    task_state = page.current_workflow_task_state
    if task_state is None or user.pk not in content_author_ids(page):
        return None
    task = task_state.task.specific
    names = approver_names(page, task) if hasattr(task, "groups") else []
    if not names:
        return (
            "Awaiting approval, but nobody other than its authors is in the approving group: "
            "ask an administrator to add someone."
        )
    return f"Awaiting approval by {', '.join(names)} (you cannot approve your own work)."


def approval_outcome_message(page) -> str:
    """What an approval did, for the approver: live now, scheduled, or a newer version to
    review (an edit made during the review needs its own approval)."""
    page.refresh_from_db()
    title = page.get_admin_display_title()
    if page.workflow_in_progress:
        return (
            f"“{title}” was approved as submitted, but it was changed during the review: the "
            "changed version now awaits approval too."
        )
    if page.live and not page.has_unpublished_changes:
        return f"“{title}” was approved and is now live."
    if page.go_live_at and not page.live:
        from django.utils import timezone

        when = timezone.localtime(page.go_live_at).strftime("%-d %B %Y at %H:%M")
        return f"“{title}” was approved and goes live on {when} (UK time)."
    return f"“{title}” was approved and is now live."


class ApprovalOnlyPagePermissionTester(PagePermissionTester):
    """Nobody publishes these pages directly, superusers included: only approval does.
    Unpublishing, unscheduling and view restrictions keep Wagtail's rule (publish permission)."""

    def can_publish(self):
        return False

    def can_unschedule(self):
        return super().can_publish()

    def can_set_view_restrictions(self):
        return super().can_publish()


class ApprovalOnlyCopyForm(CopyForm):
    """Wagtail's copy form without "Publish copies" and "Alias": a copy of a page that needs
    approval starts as a draft and goes through approval like any other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("publish_copies", None)
        self.fields.pop("alias", None)
        self.fields[
            "new_title"
        ].help_text = "The copy starts as a draft: submit it for approval to make it live."

    def clean(self):
        cleaned_data = super().clean()
        cleaned_data.pop("publish_copies", None)
        cleaned_data.pop("alias", None)
        return cleaned_data


class ApprovalRequiredPageMixin:
    """For a page type that goes live only through two-person approval (see the module)."""

    publish_requires_approval = True
    copy_form_class = ApprovalOnlyCopyForm

    def permissions_for_user(self, user):
        return ApprovalOnlyPagePermissionTester(user, self)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"live", "live_revision"} & set(update_fields):
            self._refuse_unapproved_live()
        return super().save(*args, **kwargs)

    def _refuse_unapproved_live(self) -> None:
        if not self.live:
            return
        if self.pk is not None:
            stored = Page.objects.filter(pk=self.pk).values_list("live", "live_revision_id")
            if stored.first() == (True, self.live_revision_id):
                return  # what is live does not change
        revision = self.live_revision if self.live_revision_id else None
        if (
            revision is None
            or self.pk is None
            or revision.object_id != str(self.pk)
            or not revision_approved(revision)
        ):
            raise NotApprovedError(
                APPROVAL_ONLY_MESSAGE.format(name=self._meta.verbose_name)
                + " (A copy or an alias of one starts as a draft.)"
            )

"""The "Senior owner approval" step: a group approval in which nobody approves their own work."""

from django.core.exceptions import PermissionDenied

from wagtail.models import AbstractGroupApprovalTask

from comms.approval import content_author_ids


class TwoPersonApprovalTask(AbstractGroupApprovalTask):
    """Members of the chosen groups approve or request changes, except the content's author
    (``content_author_ids``): every approved page has been seen by two people.

    The author gets no actions, so Wagtail's editor, dashboard and workflow views offer them
    none and refuse a forged request (they check ``get_actions``); ``on_action`` refuses it too,
    for code that approves directly.
    """

    def get_actions(self, obj, user):
        if user.pk in content_author_ids(obj):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return (
            super()
            .get_task_states_user_can_moderate(user, **kwargs)
            .exclude(workflow_state__requested_by=user)
        )

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and user.pk in content_author_ids(
            task_state.workflow_state.content_object
        ):
            raise PermissionDenied(
                "You created, submitted or changed this, so someone else in the approving group "
                "must approve it."
            )
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups approve; nobody approves what they created or "
            "submitted themselves."
        )

    class Meta:
        verbose_name = "two-person group approval task"
        verbose_name_plural = "two-person group approval tasks"

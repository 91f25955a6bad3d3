"""What a finished workflow does (``WAGTAIL_FINISH_WORKFLOW_ACTION``).

Kept apart from ``comms.approval`` because Wagtail imports it while ``wagtail.models`` is still
loading, so it must not import Wagtail's models at module level.
"""


def publish_approved_revision(workflow_state, user=None):
    """Publish the revision the workflow's final task approved, not the latest one (Wagtail's
    default), which may have been saved after the review. The approval is the permission to
    publish: pages that need approval grant nobody publish permission
    (``comms.approval.ApprovalOnlyPagePermissionTester``), so the approver's is not asked for.
    The publish guard still runs its checks (``comms.guard.PlaceholderGuardMixin.publish``)."""
    revision = workflow_state.current_task_state.revision
    revision.publish(user=user, skip_permission_checks=True)

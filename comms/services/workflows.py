"""The "Senior owner approval" workflow: senior owners approve everything under the root page,
two of them for each change (``comms.models.TwoPersonApprovalTask``).

The migrations that built it (comms 0003 and 0005) call these steps with their historical
``apps``; ``approval_workflow_ensure`` runs them on the current models when the workflow is
missing (a transactional test flushes it with the rest of the database), beside
``comms.services.roles.roles_sync`` for the groups' permissions. The steps are history: a
change to them changes what those migrations do on a new database, so add a new step (and a
new migration calling it) rather than edit one."""

from django.apps import apps as global_apps

WORKFLOW_NAME = "Senior owner approval"


def approval_workflow_senior_owners(*, apps) -> None:
    """Make Wagtail's default moderation ours: senior owners approve everything under the root.

    Wagtail creates "Editors" and "Moderators" groups and a "Moderators approval" workflow; the
    portal's four roles replace those groups, so the workflow's task moves to "Senior owners"
    and the unused default groups go. Idempotent.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    seniors, _ = Group.objects.get_or_create(name="Senior owners")
    task = GroupApprovalTask.objects.filter(name="Moderators approval").first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task, _ = GroupApprovalTask.objects.get_or_create(
            name=WORKFLOW_NAME, defaults={"content_type": task_type, "active": True}
        )
    task.name = WORKFLOW_NAME
    task.save()
    task.groups.set([seniors])

    workflow = Workflow.objects.filter(name="Moderators approval").first()
    if workflow is None:
        workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    workflow.name = WORKFLOW_NAME
    workflow.active = True
    workflow.save()
    if not WorkflowTask.objects.filter(workflow=workflow, task=task).exists():
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)

    root = Page.objects.filter(depth=1).first()
    if root is not None:
        WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})

    Group.objects.filter(name__in=["Editors", "Moderators"], user__isnull=True).delete()


def approval_workflow_two_person(*, apps) -> None:
    """The workflow's step becomes a two-person approval by the same groups; the old group
    approval task is deactivated (kept, so past approvals keep their history) and renamed so
    the two are not confused in the admin. Run once, after ``approval_workflow_senior_owners``.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    TwoPersonApprovalTask = apps.get_model("comms", "TwoPersonApprovalTask")

    old = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    task_type, _ = ContentType.objects.get_or_create(
        app_label="comms", model="twopersonapprovaltask"
    )
    task = TwoPersonApprovalTask.objects.create(
        name=WORKFLOW_NAME, active=True, content_type=task_type
    )
    if old is not None:
        task.groups.set(old.groups.all())
        WorkflowTask.objects.filter(task_id=old.pk).update(task_id=task.pk)
        old.active = False
        old.name = f"{WORKFLOW_NAME} (before the two-person rule)"
        old.save()
    else:
        task.groups.set(Group.objects.filter(name="Senior owners"))


def approval_workflow_ensure():
    """The active "Senior owner approval" workflow, built as the migrations build it if it is
    missing (both steps, in order). Idempotent: an existing workflow is returned untouched."""
    from wagtail.models import Workflow

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()
    if workflow is None:
        approval_workflow_senior_owners(apps=global_apps)
        approval_workflow_two_person(apps=global_apps)
        workflow = Workflow.objects.get(name=WORKFLOW_NAME, active=True)
    return workflow

from django.db import migrations

WORKFLOW_NAME = "Senior owner approval"


def senior_owner_workflow(apps, schema_editor):
    """Make Wagtail's default moderation ours: senior owners approve everything under the root.

    Wagtail creates "Editors" and "Moderators" groups and a "Moderators approval" workflow; the
    portal's four roles replace those groups, so the workflow's task moves to "Senior owners"
    and the unused default groups go.
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


class Migration(migrations.Migration):
    dependencies = [
        ("comms", "0002_groups_and_home_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(senior_owner_workflow, migrations.RunPython.noop)]

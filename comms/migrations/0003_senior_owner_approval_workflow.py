from django.db import migrations

from comms.services.workflows import approval_workflow_senior_owners


def senior_owner_workflow(apps, schema_editor):
    """Senior owners approve everything under the root (``comms.services.workflows``)."""
    approval_workflow_senior_owners(apps=apps)


class Migration(migrations.Migration):
    dependencies = [
        ("comms", "0002_groups_and_home_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(senior_owner_workflow, migrations.RunPython.noop)]

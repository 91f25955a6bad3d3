from django.contrib.auth.models import Group

from wagtail.models import GroupPagePermission

import pytest

from comms import roles
from comms.services.roles import roles_sync

pytestmark = pytest.mark.django_db


def test_migrations_create_the_four_groups():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_GROUPS)


def test_only_senior_owners_may_publish_pages():
    publishers = GroupPagePermission.objects.filter(permission__codename="publish_page")
    assert set(publishers.values_list("group__name", flat=True)) == {roles.SENIOR_OWNERS}


def test_staff_have_no_permissions_and_sync_is_idempotent():
    roles_sync()
    counts = {g.name: g.permissions.count() for g in Group.objects.all()}
    roles_sync()
    assert counts == {g.name: g.permissions.count() for g in Group.objects.all()}
    assert counts[roles.STAFF] == 0
    assert (
        Group.objects.get(name=roles.EDITORS).permissions.filter(codename="access_admin").exists()
    )


def test_senior_owners_approve_through_the_workflow_and_wagtail_default_groups_are_gone():
    from wagtail.models import Page, Workflow

    workflow = Workflow.objects.get(name="Senior owner approval")
    assert Page.get_first_root_node().get_workflow() == workflow
    task = workflow.tasks.get().specific
    assert type(task).__name__ == "TwoPersonApprovalTask"  # the approver is not the author
    assert list(task.groups.values_list("name", flat=True)) == [roles.SENIOR_OWNERS]
    assert not Group.objects.filter(name__in=["Editors", "Moderators"]).exists()

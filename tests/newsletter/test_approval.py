"""Issues go live only through "Senior owner approval": approved by a senior owner who is not
the issue's author, and only while every pre-send check passes."""

import datetime

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from wagtail.models import Site, TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest

from comms import roles
from comms.guard import PublishBlockedError
from stats.models import Statistic
from tests.factories import (
    UserFactory,
    newsletter_issue,
    page_approve,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_issue(passing_issue_body):
    return newsletter_issue("April issue", body=passing_issue_body, publish=False)


def submit(issue, user):
    return issue.get_workflow().start(issue, user).current_task_state


def approve_url(issue, task_state) -> str:
    return f"/admin/pages/workflow/action/{issue.pk}/approve/{task_state.pk}/"


def test_an_issue_is_not_published_without_approval(draft_issue):
    with pytest.raises(PublishBlockedError, match="goes live only when the approval workflow"):
        draft_issue.get_latest_revision().publish()
    draft_issue.refresh_from_db()
    assert not draft_issue.live

    page_approve(draft_issue)
    assert draft_issue.live


def test_the_senior_owner_who_submitted_cannot_approve_but_another_can(
    draft_issue, senior_owner, client_as
):
    task_state = submit(draft_issue, senior_owner)
    task = task_state.task.specific
    assert task.get_actions(draft_issue, senior_owner) == []
    assert not TaskState.objects.reviewable_by(senior_owner).filter(pk=task_state.pk).exists()

    own = client_as(senior_owner).post(
        approve_url(draft_issue, task_state), {"comment": ""}, follow=True
    )
    assert "so you cannot approve it: someone else" in own.content.decode()
    draft_issue.refresh_from_db()
    assert not draft_issue.live

    colleague = UserFactory(username="senior2", role=roles.SENIOR_OWNERS)
    assert TaskState.objects.reviewable_by(colleague).filter(pk=task_state.pk).exists()
    response = client_as(colleague).post(approve_url(draft_issue, task_state), {"comment": ""})
    assert response.status_code == 302
    draft_issue.refresh_from_db()
    assert draft_issue.live


def test_the_issue_owner_cannot_approve_it_even_when_someone_else_submitted(
    draft_issue, senior_owner, comms_lead, client_as
):
    type(draft_issue).objects.filter(pk=draft_issue.pk).update(owner=senior_owner)
    draft_issue.refresh_from_db()
    task_state = submit(draft_issue, comms_lead)
    response = client_as(senior_owner).post(
        approve_url(draft_issue, task_state), {"comment": ""}, follow=True
    )
    assert "so you cannot approve it: someone else" in response.content.decode()
    with pytest.raises(PermissionDenied, match="someone else"):
        task_state.task.specific.on_action(task_state, senior_owner, "approve")
    draft_issue.refresh_from_db()
    assert not draft_issue.live


def test_a_failing_check_blocks_approval_and_says_why(
    draft_issue, comms_lead, senior_owner, client_as
):
    task_state = submit(draft_issue, comms_lead)
    Statistic.objects.update(review_by=datetime.date(2000, 1, 1), as_of=datetime.date(1999, 1, 1))

    response = client_as(senior_owner).post(
        approve_url(draft_issue, task_state), {"comment": ""}, follow=True
    )
    content = response.content.decode()
    assert "“April issue” was not approved" in content
    assert "was due for review on 01 January 2000" in content
    draft_issue.refresh_from_db()
    assert not draft_issue.live

    # Once the statistic is reviewed, the same senior owner approves and the issue is live.
    Statistic.objects.update(review_by=datetime.date(2099, 1, 1))
    response = client_as(senior_owner).post(approve_url(draft_issue, task_state), {"comment": ""})
    assert response.status_code == 302
    draft_issue.refresh_from_db()
    assert draft_issue.live


def test_the_editor_offers_no_publish_and_refuses_a_forged_one(
    draft_issue, senior_owner, client_as
):
    client = client_as(senior_owner)
    edit_url = f"/admin/pages/{draft_issue.pk}/edit/"
    html = client.get(edit_url).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html

    data = nested_form_data(
        {
            "title": draft_issue.title,
            "slug": draft_issue.slug,
            "preheader": "News",
            "body": streamfield([("rich_text", rich_text("<p>All filled in.</p>"))]),
            "comments": inline_formset([]),
        }
    )
    response = client.post(edit_url, {**data, "action-publish": "1"})
    assert response.status_code == 200
    assert "goes live only through approval" in response.content.decode()
    draft_issue.refresh_from_db()
    assert not draft_issue.live


def test_submitting_runs_the_checks_on_what_is_being_submitted(draft_issue, comms_lead, client_as):
    client = client_as(comms_lead)
    edit_url = f"/admin/pages/{draft_issue.pk}/edit/"

    def post(preheader):
        data = nested_form_data(
            {
                "title": draft_issue.title,
                "slug": draft_issue.slug,
                "preheader": preheader,
                "body": streamfield([("rich_text", rich_text("<p>All filled in.</p>"))]),
                "comments": inline_formset([]),
            }
        )
        return client.post(edit_url, {**data, "action-submit": "1"})

    refused = post("[insert the month]")
    assert refused.status_code == 200
    assert "Fill in [insert the month]" in refused.content.decode()
    assert draft_issue.current_workflow_state is None

    submitted = post("News for April")
    assert submitted.status_code == 302
    draft_issue.refresh_from_db()
    assert draft_issue.current_workflow_state.requested_by == comms_lead


def test_an_approver_correcting_an_issue_from_the_editor_cannot_approve_the_correction(
    draft_issue, comms_lead, senior_owner, client_as
):
    submit(draft_issue, comms_lead)
    data = nested_form_data(
        {
            "title": draft_issue.title,
            "slug": draft_issue.slug,
            "preheader": "Corrected by the senior owner",
            "body": streamfield([("rich_text", rich_text("<p>All filled in.</p>"))]),
            "comments": inline_formset([]),
        }
    )
    response = client_as(senior_owner).post(
        f"/admin/pages/{draft_issue.pk}/edit/",
        {**data, "action-workflow-action": "1", "workflow-action-name": "approve"},
    )
    assert response.status_code == 200
    assert "nobody approves their own changes" in response.content.decode()
    draft_issue.refresh_from_db()
    assert not draft_issue.live

    # A later draft was never approved: publishing it directly is still refused.
    draft_issue.preheader = "Sneaked in afterwards"
    with pytest.raises(PublishBlockedError, match="goes live only when"):
        draft_issue.save_revision().publish()


def test_the_admin_api_cannot_publish_an_issue(draft_issue, senior_owner, client_as):
    response = client_as(senior_owner).post(
        f"/admin/api/main/pages/{draft_issue.pk}/action/publish/",
        {},
        content_type="application/json",
    )
    assert response.status_code == 403
    draft_issue.refresh_from_db()
    assert not draft_issue.live


def test_scheduling_needs_a_live_version_the_workflow_approved(draft_issue, comms_lead):
    """An issue made live by any other path (here: written straight to the database, as a
    path nobody has thought of yet would) is refused by scheduling."""
    from django.core.exceptions import ValidationError

    from newsletter.services.sends import send_schedule
    from tests.factories import MailingListFactory, subscribe_many

    revision = draft_issue.get_latest_revision()
    type(draft_issue).objects.filter(pk=draft_issue.pk).update(live=True, live_revision=revision)
    draft_issue.refresh_from_db()
    mailing_list = MailingListFactory()
    subscribe_many(mailing_list, ["a@example.ac.uk"])
    with pytest.raises(ValidationError, match="was not approved through the approval workflow"):
        send_schedule(issue=draft_issue, lists=[mailing_list], at=None, user=comms_lead)

    page_approve(draft_issue)
    send = send_schedule(issue=draft_issue, lists=[mailing_list], at=None, user=comms_lead)
    assert send.revision_id == draft_issue.live_revision_id


def test_workflow_email_links_to_the_served_address(settings, passing_issue_body):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    call_command("migrate", verbosity=0)  # as `make run` does before serving

    issue = newsletter_issue("April issue", body=passing_issue_body, publish=False)
    lead = UserFactory(username="lead-with-mail", email="lead@example.ac.uk")
    lead.groups.add(*UserFactory(role=roles.COMMS_LEADS).groups.all())
    mail.outbox.clear()
    page_approve(issue, submitter=lead)

    approved = [m for m in mail.outbox if "lead@example.ac.uk" in m.to]
    assert approved, [m.subject for m in mail.outbox]
    body = approved[-1].body
    assert f"http://127.0.0.1:8000{issue.url_path[len('/home') :]}" in body
    assert "http://localhost/" not in body
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)

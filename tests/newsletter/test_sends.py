"""Scheduling: comms leads only (403 for others), pre-send checks, frozen revision, audit log,
and the newsletter_send / newsletter_status commands."""

import io
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import PageLogEntry

import pytest

from comms import roles
from comms.guard import PublishBlockedError
from newsletter.models import Send
from newsletter.rendering import render_issue
from newsletter.selectors import issue_content_problems, issue_presend_problems
from newsletter.services.sends import send_cancel, send_schedule
from tests.factories import (
    MailingListFactory,
    UserFactory,
    newsletter_issue,
    page_approve,
    subscribe_many,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience():
    mailing_list = MailingListFactory(name="All staff")
    subscribe_many(mailing_list, ["a@example.ac.uk", "b@example.ac.uk"])
    return mailing_list


@pytest.mark.parametrize("role", [roles.EDITORS, roles.STAFF, roles.SENIOR_OWNERS])
def test_only_comms_leads_may_schedule(client_as, audience, role):
    issue = newsletter_issue()
    user = UserFactory(role=role)
    with pytest.raises(PermissionDenied):
        send_schedule(issue=issue, lists=[audience], at=None, user=user)
    if role != roles.STAFF:  # staff cannot enter the admin at all
        response = client_as(user).post(
            f"/admin/newsletter/schedule/{issue.pk}/",
            {"lists": [audience.pk], "at": "", "confirm": "schedule"},
        )
        assert response.status_code == 403
    assert not Send.objects.exists()


def test_comms_lead_schedules_from_the_admin(client_as, comms_lead, audience):
    issue = newsletter_issue()
    client = client_as(comms_lead)
    page = client.get(f"/admin/newsletter/schedule/{issue.pk}/")
    assert "All checks passed" in page.content.decode()
    checked = client.post(
        f"/admin/newsletter/schedule/{issue.pk}/", {"lists": [audience.pk], "confirm": "check"}
    )
    assert "<strong>2</strong> unique recipient(s)" in checked.content.decode()
    response = client.post(
        f"/admin/newsletter/schedule/{issue.pk}/",
        {"lists": [audience.pk], "at": "2099-07-01 09:00", "confirm": "schedule"},
    )
    send = Send.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/sends/{send.pk}/")
    assert send.scheduled_at.isoformat() == "2099-07-01T08:00:00+00:00"
    assert PageLogEntry.objects.filter(
        page=issue, action="newsletter.send.schedule", user=comms_lead
    ).exists()
    detail = client.get(response.url)
    assert "2099-07-01 09:00 BST" in detail.content.decode()
    assert (
        json.loads(client.get(f"/admin/newsletter/sends/{send.pk}/progress.json").content)["state"]
        == "scheduled"
    )


def test_clock_change_time_gets_a_clear_message(client_as, comms_lead, audience):
    issue = newsletter_issue()
    response = client_as(comms_lead).post(
        f"/admin/newsletter/schedule/{issue.pk}/",
        {"lists": [audience.pk], "at": "2099-03-29 01:30", "confirm": "schedule"},
    )
    assert "does not exist in UK time" in response.content.decode()
    assert not Send.objects.exists()


def test_unpublished_issue_cannot_be_scheduled(comms_lead, audience):
    issue = newsletter_issue(publish=False)
    assert issue_presend_problems(issue)[0].startswith("The issue is not approved")
    with pytest.raises(ValidationError):
        send_schedule(issue=issue, lists=[audience], at=None, user=comms_lead)


def test_unfilled_placeholder_blocks_publishing_and_scheduling(comms_lead, audience):
    issue = newsletter_issue(
        body=[("rich_text", "<p>[insert your institution's name]</p>")], publish=False
    )
    with pytest.raises(PublishBlockedError):
        issue.get_latest_revision().publish()
    problems = issue_content_problems(issue.get_latest_revision_as_object())
    assert any("insert your institution" in problem for problem in problems)
    assert issue_presend_problems(issue)


def test_send_uses_the_revision_frozen_at_scheduling(comms_lead, audience):
    issue = newsletter_issue(title="Approved title")
    send = send_schedule(issue=issue, lists=[audience], at=None, user=comms_lead)
    issue.title = "Edited after scheduling"
    issue.save_revision()
    page_approve(issue)
    assert render_issue(send.revision.as_object()).subject == "Approved title"


def test_cancel_is_logged(comms_lead, audience):
    from datetime import timedelta

    from django.utils import timezone

    issue = newsletter_issue()
    send = send_schedule(
        issue=issue, lists=[audience], user=comms_lead, at=timezone.now() + timedelta(hours=2)
    )
    send_cancel(send=send, user=comms_lead)
    assert Send.objects.get().state == "cancelled"
    assert PageLogEntry.objects.filter(action="newsletter.send.cancel", user=comms_lead).exists()
    with pytest.raises(ValidationError):
        send_cancel(send=send, user=comms_lead)


def test_send_and_status_commands(comms_lead, audience):
    issue = newsletter_issue()
    out = io.StringIO()
    call_command(
        "newsletter_send",
        issue.slug,
        "--list",
        "All staff",
        "--at",
        "2099-01-05 09:00",
        "--user",
        comms_lead.username,
        stdout=out,
    )
    send_id = out.getvalue().strip().splitlines()[-1]
    assert Send.objects.get(pk=int(send_id)).scheduled_at.isoformat() == "2099-01-05T09:00:00+00:00"
    status = io.StringIO()
    call_command("newsletter_status", send_id, stdout=status)
    assert json.loads(status.getvalue()) | {"id": 0} == {
        "id": 0,
        "state": "scheduled",
        "total": 0,
        "sent": 0,
        "failed": 0,
        "pending": 0,
        "skipped": 0,
        "uncertain": 0,
        "cancelled": 0,
        "percent": 0,
    }
    with pytest.raises(CommandError, match="No mailing list named 'Nope'"):
        call_command("newsletter_send", issue.slug, "--list", "Nope", "--user", comms_lead.username)
    with pytest.raises(CommandError, match="happens twice"):
        call_command(
            "newsletter_send",
            issue.slug,
            "--list",
            "All staff",
            "--at",
            "2099-10-25 01:30",
            "--user",
            comms_lead.username,
        )


def test_rendered_email_is_minimally_correct():
    issue = newsletter_issue()
    rendered = render_issue(issue)
    assert 'lang="en-GB"' in rendered.html and 'role="presentation"' in rendered.html
    assert 'href="http://testserver/blog/"' in rendered.html
    assert "Open Government Licence v3.0" in rendered.html and "Open Government" in rendered.text
    html, text = rendered.personalise(unsubscribe_url="https://x.example/unsubscribe/t/")
    assert 'href="https://x.example/unsubscribe/t/"' in html
    assert "Unsubscribe: https://x.example/unsubscribe/t/" in text
    assert "Spotlight\n---------" in text

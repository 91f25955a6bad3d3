"""Scheduling: comms leads only (403 for others), pre-send checks, frozen revision, audit log,
and the newsletter_send / newsletter_status commands."""

import io
import json
from datetime import UTC

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from wagtail.models import PageLogEntry

import pytest

from comms import roles
from comms.guard import PublishBlockedError
from newsletter.checks import issue_content_problems, issue_presend_problems
from newsletter.models import Delivery, Send
from newsletter.rendering import render_issue
from newsletter.services.sends import AlreadySentError, send_cancel, send_schedule
from tests.csvfiles import quoted_csv_rows
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
    checked = client.post(f"/admin/newsletter/schedule/{issue.pk}/", {"lists": [audience.pk]})
    assert "Send now to 2 people?" in checked.content.decode()
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
        "bounced": 0,
        "percent": 0,
        "clicks": 0,
        "unique_clickers": 0,
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


def test_send_report_csv_quotes_every_cell_and_neutralises_formulas(
    client_as, comms_lead, audience
):
    send = send_schedule(issue=newsletter_issue(), lists=[audience], at=None, user=comms_lead)
    Delivery.objects.create(
        send=send,
        email="eve@example.ac.uk",
        name='=HYPERLINK("http://evil")',
        status="failed",
        smtp_reply="-ERR 550 no such user; try again",
    )
    Delivery.objects.create(send=send, email="jo@example.ac.uk", name="Doe; Jo", status="sent")
    response = client_as(comms_lead).get(f"/admin/newsletter/sends/{send.pk}/deliveries.csv")
    assert response.status_code == 200
    rows = quoted_csv_rows(response.content)
    assert rows[0][:3] == ["email", "name", "status"]
    assert rows[1][:3] == ["eve@example.ac.uk", '\'=HYPERLINK("http://evil")', "failed"]
    assert rows[1][5] == "'-ERR 550 no such user; try again"
    assert rows[2][:3] == ["jo@example.ac.uk", "Doe; Jo", "sent"]


# --- Send once, on purpose (issue 14) ------------------------------------------------------

REASON = "The first send went out with last month's date in the introduction."


def _earlier(issue, audience, user, *, state="finished"):
    from datetime import datetime

    send = send_schedule(
        issue=issue, lists=[audience], at=datetime(2099, 3, 2, 9, 30, tzinfo=UTC), user=user
    )
    Send.objects.filter(pk=send.pk).update(state=state)
    return send


@pytest.mark.parametrize(
    ("state", "shown"),
    [
        ("scheduled", "scheduled"),
        ("running", "sending"),
        ("paused", "paused"),
        ("finished", "finished"),
    ],
)
def test_second_send_to_the_same_list_is_refused_naming_the_first(
    comms_lead, audience, state, shown
):
    issue = newsletter_issue()
    comms_lead.first_name, comms_lead.last_name = "Jo", "Bloggs"
    comms_lead.save()
    first = _earlier(issue, audience, comms_lead, state=state)
    other = MailingListFactory(name="Researchers")
    subscribe_many(other, ["c@example.ac.uk"])
    with pytest.raises(ValidationError) as error:
        send_schedule(issue=issue, lists=[other, audience], at=None, user=comms_lead)
    message = " ".join(error.value.messages)
    assert f"send {first.pk}" in message
    assert "All staff" in message
    assert "2099-03-02 09:30 GMT" in message
    assert shown in message
    assert "Jo Bloggs" in message
    assert Send.objects.count() == 1


def test_cancelled_send_does_not_count_as_sent(comms_lead, audience):
    issue = newsletter_issue()
    _earlier(issue, audience, comms_lead, state="cancelled")
    assert send_schedule(issue=issue, lists=[audience], at=None, user=comms_lead)
    assert Send.objects.count() == 2


def test_a_send_cancelled_after_some_mail_went_out_counts_as_sent(comms_lead, audience):
    """Cancelled midway, some people have the issue: a new send would mail them twice."""
    from newsletter.models import Delivery

    issue = newsletter_issue()
    first = _earlier(issue, audience, comms_lead, state="cancelled")
    Delivery.objects.create(send=first, email="got-it@example.ac.uk", status="sent")
    with pytest.raises(AlreadySentError, match=f"send {first.pk}"):
        send_schedule(issue=issue, lists=[audience], at=None, user=comms_lead)
    assert Send.objects.count() == 1


def test_send_again_needs_a_reason_of_a_few_words(comms_lead, audience):
    issue = newsletter_issue()
    _earlier(issue, audience, comms_lead)
    for reason in ("", "   ", "oops"):
        with pytest.raises(ValidationError) as error:
            send_schedule(
                issue=issue, lists=[audience], at=None, user=comms_lead, again=True, reason=reason
            )
        assert "reason" in " ".join(error.value.messages)
    assert Send.objects.count() == 1


def test_send_again_with_a_reason_is_scheduled_and_logged(comms_lead, audience):
    issue = newsletter_issue()
    first = _earlier(issue, audience, comms_lead)
    again = send_schedule(
        issue=issue, lists=[audience], at=None, user=comms_lead, again=True, reason=REASON
    )
    assert again.pk != first.pk
    entry = PageLogEntry.objects.get(
        page=issue, action="newsletter.send.schedule", data__send=again.pk
    )
    assert entry.user == comms_lead
    assert entry.data["resend_reason"] == REASON
    assert entry.data["resend_of"] == [first.pk]


def test_command_refuses_a_second_send_and_sends_again_with_a_reason(comms_lead, audience):
    issue = newsletter_issue()
    base = [issue.slug, "--list", "All staff", "--user", comms_lead.username]
    out = io.StringIO()
    call_command("newsletter_send", *base, stdout=out)
    first = int(out.getvalue().strip().splitlines()[-1])
    with pytest.raises(CommandError) as error:
        call_command("newsletter_send", *base)
    assert f"send {first}" in str(error.value) and "--again --reason" in str(error.value)
    with pytest.raises(CommandError, match="reason"):
        call_command("newsletter_send", *base, "--again")
    assert Send.objects.count() == 1
    out = io.StringIO()
    call_command("newsletter_send", *base, "--again", "--reason", REASON, stdout=out)
    second = int(out.getvalue().strip().splitlines()[-1])
    assert second != first and Send.objects.count() == 2
    assert PageLogEntry.objects.get(data__send=second).data["resend_reason"] == REASON

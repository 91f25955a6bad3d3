"""The learning zone lists the campaign calendar's upcoming training sessions by itself, in
every rendering, as they are when the issue is rendered."""

import datetime

from django.utils import timezone

import pytest

from campaign.models import Activity
from newsletter.rendering import render_issue
from newsletter.services.assembly import newsletter_issue_assemble
from tests.factories import ActivityFactory, newsletter_issue

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def calendar():
    ActivityFactory(title="Induction training", training=True, start_date=days(7))
    ActivityFactory(
        title="Export controls workshop",
        training=True,
        start_date=days(3),
        link_url="https://training.example.ac.uk/export",
    )
    ActivityFactory(title="Due diligence clinic", training=True, start_date=days(30))
    ActivityFactory(title="Last month's training", training=True, start_date=days(-30))
    ActivityFactory(title="Cancelled-ish, done", training=True, start_date=days(5), status="done")
    ActivityFactory(title="Poster campaign", training=False, start_date=days(2))


def learning_zone(count=2):
    return (
        "learning_zone",
        {
            "heading": "Learning zone",
            "text": "<p>Take the NPSA e-learning.</p>",
            "training_dates": [],
            "upcoming_training": count,
        },
    )


def test_lists_the_next_upcoming_training_sessions_in_every_rendering(
    calendar, client_as, staff_user
):
    issue = newsletter_issue(body=[learning_zone(count=2)])
    rendered = render_issue(issue)
    web = client_as(staff_user).get(issue.url).content.decode()
    for part in (rendered.html, rendered.text, web):
        assert part.index("Export controls workshop") < part.index("Induction training")
        for absent in ("Due diligence clinic", "Last month", "Cancelled-ish", "Poster campaign"):
            assert absent not in part
        assert f"{days(3):%A %-d %B %Y}" in part
    assert 'href="https://training.example.ac.uk/export"' in rendered.html
    assert "https://training.example.ac.uk/export" in rendered.text


def test_the_list_is_live_a_new_session_shows_without_editing_the_issue(calendar):
    issue = newsletter_issue(body=[learning_zone(count=3)])
    assert "Lunchtime briefing" not in render_issue(issue).text
    ActivityFactory(title="Lunchtime briefing", training=True, start_date=days(1))
    assert "Lunchtime briefing" in render_issue(issue).text


def test_zero_lists_none_and_an_assembled_issue_lists_three(calendar):
    issue = newsletter_issue(body=[learning_zone(count=0)])
    assert "Export controls workshop" not in render_issue(issue).text
    assembled = newsletter_issue_assemble(title="Assembled")
    zone = next(b for b in assembled.body if b.block_type == "learning_zone")
    assert zone.value["upcoming_training"] == 3


def test_an_activity_is_not_training_unless_marked():
    assert not Activity._meta.get_field("training").default


def test_an_editor_marks_an_activity_as_training_in_the_admin(client_as, editor):
    issue = newsletter_issue(body=[learning_zone(count=3)])
    client = client_as(editor)
    form = client.get("/admin/snippets/campaign/activity/add/").content.decode()
    assert "Training session" in form and "learning zone" in form
    response = client.post(
        "/admin/snippets/campaign/activity/add/",
        {
            "title": "Research security induction",
            "description": "",
            "phase": "educate",
            "audience": "academic",
            "status": "planned",
            "channel": "Lunchtime session",
            "owner": "Research office",
            "start_date": f"{days(10):%Y-%m-%d}",
            "end_date": f"{days(10):%Y-%m-%d}",
            "training": "on",
            "link_url": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Activity.objects.get(title="Research security induction").training
    assert "Research security induction" in render_issue(issue).text

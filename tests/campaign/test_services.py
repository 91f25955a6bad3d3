import datetime

from django.core.exceptions import ValidationError

import pytest

from campaign import pack, services
from campaign.models import Activity, PlanQuestion

pytestmark = pytest.mark.django_db


def test_answering_a_question_records_who_and_when(client_as, editor, staff_user):
    pack.load()
    question = PlanQuestion.objects.get(pack_key="scoping-1")
    services.question_answer(
        question=question, answer="<p>Our quantum and AI groups.</p>", user=editor
    )
    question.refresh_from_db()
    assert question.answer_edited_by == editor and question.answer_edited_at is not None
    stamp = question.answer_edited_at
    services.question_answer(
        question=question, answer="<p>Our quantum and AI groups.</p>", user=staff_user
    )
    question.refresh_from_db()
    assert question.answer_edited_at == stamp and question.answer_edited_by == editor

    html = client_as(staff_user).get("/campaign/").content.decode()
    assert "Our quantum and AI groups." in html
    assert f"Last edited by {editor.get_full_name()}" in html
    assert "Scoping your campaign</a></th>" in html
    assert "1 of 6" in html


def test_adding_an_activity_shows_it_on_the_plan_and_its_phase(client_as, staff_user):
    pack.load()
    services.activity_create(
        title="Trusted Research briefing for heads of department",
        phase="educate",
        audience="academic",
        channel="Management briefing",
        owner="Head of Research Security",
        start_date=datetime.date(2025, 3, 10),
        end_date=datetime.date(2025, 3, 12),
        status="running",
        link_url="https://intranet.example.ac.uk/briefing",
    )
    client = client_as(staff_user)
    plan = client.get("/campaign/?month=2025-03").content.decode()
    assert "Campaign activities in March 2025: 1 activity" in plan
    assert plan.count("Trusted Research briefing for heads of department") >= 4  # 3 days + timeline
    assert '<th scope="row" class="fw-normal">Running</th><td class="text-end">1</td>' in plan
    assert 'href="?month=2025-02#calendar-heading"' in plan
    assert 'href="?month=2025-04#calendar-heading"' in plan
    educate = client.get("/campaign/educate/").content.decode()
    assert 'href="https://intranet.example.ac.uk/briefing"' in educate


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"start_date": datetime.date(2025, 3, 10), "end_date": datetime.date(2025, 3, 1)},
            "end_date",
            "before it starts",
        ),
        ({"link_url": "javascript:alert(1)"}, "link_url", "http:// or https://"),
        ({"link_url": "ftp://example.org/file"}, "link_url", "http:// or https://"),
    ],
)
def test_bad_activities_are_refused_with_a_field_error(changes, field, message):
    values = {
        "title": "Poster campaign",
        "phase": "environment",
        "audience": "non_academic",
        "channel": "Posters",
        "owner": "Comms team",
        "start_date": datetime.date(2025, 3, 10),
        "end_date": datetime.date(2025, 3, 10),
    } | changes
    with pytest.raises(ValidationError) as error:
        services.activity_create(**values)
    assert message in " ".join(error.value.message_dict[field])
    assert not Activity.objects.exists()

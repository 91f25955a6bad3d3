"""Readers see what the campaign plan holds; people who can edit see where to fill the gaps.

The plan page and the phase pages leave empty parts (no activities, unanswered questions,
unmeasured KPIs, no endorsers) out for readers. A user with the model permission gets a short
hint with a link to the exact admin screen. The plan page's fragments are cached: the hints
must never reach a reader through the cache, whoever rendered the page first.
"""

import re

from django.urls import reverse

import pytest

from campaign import pack
from campaign.models import Kpi, PlanQuestion

pytestmark = pytest.mark.django_db

PHASES = ["educate", "enable", "environment", "encourage", "evaluate", "endorsement"]
WORKING_NOTES = [
    "Editors add",
    "an editor",
    "in the admin",
    "Not answered yet",
    "Not measured yet",
    "No endorsers named yet",
    "No activities",
    "/admin/",
]


def _main(html: str) -> str:
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def _notes(html: str) -> list[str]:
    main = _main(html)
    return [note for note in WORKING_NOTES if note in main]


def test_readers_see_no_working_notes_on_an_empty_plan(client_as, staff_user):
    pack.load()
    client = client_as(staff_user)
    for url in ["/campaign/", *(f"/campaign/{phase}/" for phase in PHASES)]:
        html = client.get(url).content.decode()
        assert _notes(html) == [], url
    plan = _main(client.get("/campaign/").content.decode())
    assert 'id="timeline-heading"' not in plan  # no activities: no empty timeline
    assert "Our answer" not in plan  # the questions, without an empty answer under each
    educate = _main(client.get("/campaign/educate/").content.decode())
    assert "Questions to ask" in educate or "<ol>" in educate
    assert 'id="activities-heading"' not in educate and 'id="endorsers-heading"' not in educate
    evaluate = _main(client.get("/campaign/evaluate/").content.decode())
    assert "Our key performance indicators" in evaluate  # the pack's KPIs are content
    assert "Before and after" not in evaluate  # nothing is measured yet


def test_editors_see_hints_that_link_to_the_exact_admin_screen(client_as, editor):
    pack.load()
    client = client_as(editor)
    add_activity = reverse("wagtailsnippets_campaign_activity:add")
    add_endorser = reverse("wagtailsnippets_campaign_endorser:add")
    question = PlanQuestion.objects.get(pack_key="scoping-1")
    answer = reverse("wagtailsnippets_campaign_planquestion:edit", args=[question.pk])
    kpi = Kpi.objects.get(pack_key="kpi-1")
    measure = reverse("wagtailsnippets_campaign_kpi:edit", args=[kpi.pk])

    plan = _main(client.get("/campaign/").content.decode())
    assert f'href="{add_activity}"' in plan
    assert f'href="{answer}"' in plan
    assert "Not answered yet" in plan
    educate = _main(client.get("/campaign/educate/").content.decode())
    assert f'href="{add_activity}"' in educate and f'href="{add_endorser}"' in educate
    educate_question = PlanQuestion.objects.filter(section="educate").first()
    edit = reverse("wagtailsnippets_campaign_planquestion:edit", args=[educate_question.pk])
    assert f'href="{edit}"' in educate
    evaluate = _main(client.get("/campaign/evaluate/").content.decode())
    assert f'href="{measure}"' in evaluate and "Not measured yet" in evaluate


def test_hints_never_reach_readers_through_the_cache(client_as, editor, staff_user):
    pack.load()
    add_activity = reverse("wagtailsnippets_campaign_activity:add")
    editor_first = client_as(editor).get("/campaign/").content.decode()
    assert add_activity in editor_first
    reader_after = client_as(staff_user).get("/campaign/").content.decode()
    assert _notes(reader_after) == []
    editor_again = client_as(editor).get("/campaign/").content.decode()
    assert add_activity in editor_again


def test_a_reader_with_no_edit_rights_gets_no_admin_links(client_as, staff_user):
    pack.load()
    html = _main(client_as(staff_user).get("/campaign/evaluate/").content.decode())
    assert not re.search(r'href="/admin/', html)

import re

import pytest

from campaign import pack, plan_text
from campaign.models import CampaignIntro, CampaignPhasePage, CampaignPlanPage, Kpi, PlanQuestion

pytestmark = pytest.mark.django_db

SEED_LINKS = [
    "https://www.npsa.gov.uk/resources/embedding-security-behaviours-using-5es",
    "https://www.gov.uk/guidance/academic-technology-approval-scheme",
    "https://ico.org.uk/for-organisations/guide-to-data-protection/guide-to-the-general-data-protection-regulation-gdpr/",
    "https://www.gov.uk/government/organisations/export-control-organisation",
    "https://www.gov.uk/government/publications/intellectual-property-for-business/ip-for-business-tools",
]


def _visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_loader_creates_every_phase_question_kpi_and_link(client_as, staff_user):
    report = pack.load()
    assert not report.skipped
    plan = CampaignPlanPage.objects.get()
    assert plan.url == "/campaign/" and plan.live
    phases = list(CampaignPhasePage.objects.child_of(plan).order_by("path"))
    assert [p.title for p in phases] == [
        "Educate",
        "Enable",
        "Environment",
        "Encourage",
        "Evaluate",
        "Endorsement",
    ]
    assert PlanQuestion.objects.filter(section="scoping").count() == 6
    assert PlanQuestion.objects.filter(section="educate").count() == 6
    assert PlanQuestion.objects.filter(section="enable").count() == 5
    assert PlanQuestion.objects.filter(section="environment").count() == 7
    assert list(Kpi.objects.values_list("title", flat=True)) == list(plan_text.KPIS)
    assert CampaignIntro.objects.get().live is False

    html = client_as(staff_user).get("/campaign/").content.decode()
    for link in SEED_LINKS:
        assert f'href="{link}"' in html
    # The seed's "[…](#)" placeholder link became the real address.
    assert 'href="#"' not in html
    assert "Embedding Security Behaviours: using the 5Es</a>" in html
    for question in PlanQuestion.objects.filter(section="scoping"):
        assert question.text.replace("'", "&#x27;") in html

    enable = client_as(staff_user).get("/campaign/enable/").content.decode()
    text = _visible(enable)
    # The stray "○" and the broken line in the training list are fixed: two separate bullets.
    assert "○" not in enable
    assert (
        "<li>Document the process of risk assessment and mitigation for sensitive research "
        "and international collaboration</li><li>Know where to report risk assessment and "
        "mitigation</li>" in enable
    )
    assert "Due diligence" in text and "Legalities" in text
    environment = _visible(client_as(staff_user).get("/campaign/environment/").content.decode())
    assert "Include compliance with security in performance appraisals" in environment
    evaluate = _visible(client_as(staff_user).get("/campaign/evaluate/").content.decode())
    for kpi in plan_text.KPIS:
        assert kpi.replace("'", "&#x27;") in evaluate


def test_loaded_text_is_clean():
    pack.load()
    texts = [q.text + q.detail for q in PlanQuestion.objects.all()]
    texts += [p.guidance + p.further_guidance for p in CampaignPhasePage.objects.all()]
    plan = CampaignPlanPage.objects.get()
    texts += [plan.intro, plan.audience, plan.scoping, plan.implementation, plan.useful_links]
    texts += [CampaignIntro.objects.get().body]
    for text in texts:
        assert "**" not in text
        assert "○" not in text
        assert "](" not in text
        assert "¹" not in text
        assert not re.search(r"(^|>)\s*- ", text), text[:80]


def test_loader_is_idempotent():
    first = pack.load()
    assert first.created
    counts = (PlanQuestion.objects.count(), Kpi.objects.count(), CampaignIntro.objects.count())
    second = pack.load()
    assert not second.created and not second.updated and not second.skipped
    assert counts == (
        PlanQuestion.objects.count(),
        Kpi.objects.count(),
        CampaignIntro.objects.count(),
    )
    assert CampaignPlanPage.objects.count() == 1
    assert CampaignPhasePage.objects.count() == 6


def test_loader_keeps_an_editors_edit_and_reset_restores_it():
    pack.load()
    educate = CampaignPhasePage.objects.get(slug="educate")
    educate.guidance = "<p>Our own wording.</p>"
    educate.save_revision().publish()
    kpi = Kpi.objects.get(pack_key="kpi-1")
    kpi.title = "Head of Risk appointed by June"
    kpi.save()

    report = pack.load()
    assert "phase page Educate (edited in the portal)" in report.kept
    assert "KPI 1 (edited in the portal)" in report.kept
    assert CampaignPhasePage.objects.get(slug="educate").guidance == "<p>Our own wording.</p>"
    assert Kpi.objects.get(pack_key="kpi-1").title == "Head of Risk appointed by June"

    report = pack.load(reset=True)
    assert {"phase page Educate", "KPI 1"} <= set(report.updated)
    assert "Educate staff on why the threats matter" in (
        CampaignPhasePage.objects.get(slug="educate").guidance
    )
    assert Kpi.objects.get(pack_key="kpi-1").title == plan_text.KPIS[0]


def test_answers_survive_a_reload():
    pack.load()
    question = PlanQuestion.objects.get(pack_key="scoping-1")
    question.answer = "<p>Our quantum group.</p>"
    question.save()
    pack.load(reset=True)
    assert PlanQuestion.objects.get(pack_key="scoping-1").answer == "<p>Our quantum group.</p>"


def test_command_reports_the_campaign_loader(capsys):
    from django.core.management import call_command

    call_command("load_comms_pack")
    out = capsys.readouterr().out
    assert "Campaign plan: " in out and "created" in out

"""Load the campaign plan and the "Pride and Joy" intro text (``campaign.plan_text``).

Idempotent by natural keys: the plan page is the HomePage's child with slug "campaign", a phase
page is its child with the phase's slug, questions/KPIs/intro have a ``pack_key``. Each item
stores a hash of the pack text it was loaded with: an item whose text differs from that hash
was edited in the portal and is kept, unless ``reset`` restores the pack's text.
"""

import hashlib
import json
import logging

from django.db import transaction

from wagtail.models import Page

from campaign import plan_text
from campaign.models import (
    CampaignIntro,
    CampaignPhasePage,
    CampaignPlanPage,
    Kpi,
    PlanQuestion,
    Section,
)
from comms.models import HomePage
from comms.pack import PackReport

logger = logging.getLogger(__name__)

PLAN_SLUG = "campaign"
INTRO_KEY = "pride-and-joy"


def _hash(values: dict) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def _decide(obj, values: dict, *, reset: bool, edited_elsewhere: bool = False) -> str | None:
    """ "write" when the pack's text should be (re)written, "keep" for an editor's edit, or
    None when the object already holds the pack's text."""
    pack_hash = _hash(values)
    current = _hash({name: getattr(obj, name) for name in values})
    if current == pack_hash and not edited_elsewhere:
        return None
    if reset:
        return "write"
    untouched = current == obj.pack_hash and not edited_elsewhere
    return "write" if untouched else "keep"


def _sync_page(page: Page, values: dict, *, reset: bool, label: str, report: PackReport) -> None:
    decision = _decide(page, values, reset=reset, edited_elsewhere=page.has_unpublished_changes)
    if decision is None:
        if page.pack_hash != _hash(values):
            page.pack_hash = _hash(values)
            page.save(update_fields=["pack_hash"])
        report.kept.append(label)
    elif decision == "keep":
        report.kept.append(f"{label} (edited in the portal)")
    else:
        for name, value in values.items():
            setattr(page, name, value)
        page.pack_hash = _hash(values)
        page.save_revision(log_action=False).publish(log_action=False)
        report.updated.append(label)


def _sync_row(obj, values: dict, *, reset: bool, label: str, report: PackReport) -> None:
    decision = _decide(obj, values, reset=reset)
    if decision == "keep":
        report.kept.append(f"{label} (edited in the portal)")
        return
    if decision == "write":
        for name, value in values.items():
            setattr(obj, name, value)
        report.updated.append(label)
    else:
        report.kept.append(label)
    obj.pack_hash = _hash(values)
    obj.save()


def _load_plan_page(home: HomePage, *, reset: bool, report: PackReport) -> CampaignPlanPage | None:
    values = {k: plan_text.PLAN_PAGE[k] for k in ("intro", "audience", "scoping")}
    values |= {k: plan_text.PLAN_PAGE[k] for k in ("implementation", "useful_links")}
    existing = home.get_children().filter(slug=PLAN_SLUG).first()
    if existing is not None:
        page = existing.specific
        if not isinstance(page, CampaignPlanPage):
            report.skipped.append(
                f"campaign plan page: /{PLAN_SLUG}/ is already a {page.specific_class.__name__} "
                "page; move or rename it, then run the loader again"
            )
            return None
        _sync_page(page, values, reset=reset, label="campaign plan page", report=report)
        return page
    page = CampaignPlanPage(
        title=plan_text.PLAN_PAGE["title"], slug=PLAN_SLUG, pack_hash=_hash(values), **values
    )
    home.add_child(instance=page)
    page.save_revision(log_action=False).publish(log_action=False)
    report.created.append("campaign plan page")
    return page


def _load_phase_pages(plan: CampaignPlanPage, *, reset: bool, report: PackReport) -> None:
    for phase in plan_text.PHASES:
        values = {
            "guidance": phase["guidance"],
            "questions_heading": phase["questions_heading"],
            "further_guidance": phase["further"],
        }
        label = f"phase page {phase['title']}"
        existing = CampaignPhasePage.objects.child_of(plan).filter(slug=phase["slug"]).first()
        if existing is not None:
            _sync_page(existing, values, reset=reset, label=label, report=report)
            continue
        if plan.get_children().filter(slug=phase["slug"]).exists():
            report.skipped.append(f"{label}: its address is taken by another page")
            continue
        page = CampaignPhasePage(
            title=phase["title"],
            slug=phase["slug"],
            phase=phase["slug"],
            pack_hash=_hash(values),
            **values,
        )
        plan.add_child(instance=page)
        page.save_revision(log_action=False).publish(log_action=False)
        report.created.append(label)


def _load_questions(*, reset: bool, report: PackReport) -> None:
    sections = [(Section.SCOPING.value, plan_text.SCOPING_QUESTIONS)]
    sections += [(phase["slug"], phase["questions"]) for phase in plan_text.PHASES]
    order = 0
    for section, items in sections:
        for number, (text, detail) in enumerate(items, start=1):
            order += 1
            key = f"{section}-{number}"
            values = {"section": section, "text": text, "detail": detail}
            question = PlanQuestion.objects.filter(pack_key=key).first()
            if question is None:
                PlanQuestion.objects.create(
                    pack_key=key, sort_order=order, pack_hash=_hash(values), **values
                )
                report.created.append(f"question {key}")
                continue
            question.sort_order = order
            _sync_row(question, values, reset=reset, label=f"question {key}", report=report)


def _load_kpis(*, reset: bool, report: PackReport) -> None:
    for number, title in enumerate(plan_text.KPIS, start=1):
        key = f"kpi-{number}"
        values = {"title": title}
        kpi = Kpi.objects.filter(pack_key=key).first()
        if kpi is None:
            Kpi.objects.create(
                pack_key=key, sort_order=number * 10, pack_hash=_hash(values), **values
            )
            report.created.append(f"KPI {number}")
        else:
            _sync_row(kpi, values, reset=reset, label=f"KPI {number}", report=report)


def _load_intro(*, reset: bool, report: PackReport) -> None:
    values = {"title": plan_text.INTRO_TITLE, "body": plan_text.INTRO_BODY}
    intro = CampaignIntro.objects.filter(pack_key=INTRO_KEY).first()
    if intro is None:
        # A draft: its [insert …] placeholders must be filled in before it can be published.
        intro = CampaignIntro(pack_key=INTRO_KEY, live=False, pack_hash=_hash(values), **values)
        intro.save()
        intro.save_revision(log_action=False)
        report.created.append("campaign intro text")
        return
    latest = intro.latest_revision.as_object() if intro.latest_revision else intro
    decision = _decide(latest, values, reset=reset)
    if decision == "keep":
        report.kept.append("campaign intro text (edited in the portal)")
    elif decision == "write":
        for name, value in values.items():
            setattr(intro, name, value)
        intro.pack_hash = _hash(values)
        if intro.live:
            # Restored as a draft: the live text stays until an editor fills it and publishes.
            CampaignIntro.objects.filter(pk=intro.pk).update(pack_hash=intro.pack_hash)
        else:
            intro.save()
        intro.save_revision(log_action=False)
        report.updated.append("campaign intro text")
    else:
        report.kept.append("campaign intro text")


@transaction.atomic
def load(*, reset: bool = False) -> PackReport:
    """Create what is missing, keep editors' edits, restore the pack's text with ``reset``.

    Running it twice changes nothing. Transactional: a failure leaves the portal as it was.
    """
    report = PackReport(name="Campaign plan")
    home = HomePage.objects.first()
    if home is None:
        report.skipped.append("campaign plan: there is no home page; run migrate first")
        return report
    plan = _load_plan_page(home, reset=reset, report=report)
    if plan is not None:
        _load_phase_pages(plan, reset=reset, report=report)
    _load_questions(reset=reset, report=report)
    _load_kpis(reset=reset, report=report)
    _load_intro(reset=reset, report=report)
    logger.info("%s", report.summary())
    return report

"""Load the campaign plan and the "Pride and Joy" intro text (``campaign.plan_text``).

Idempotent by natural keys: the plan page is the HomePage's child with slug "campaign", a phase
page is its child with the phase's slug, questions/KPIs/intro have a ``pack_key``. An item
edited in the portal since loading is kept unless ``reset`` restores the pack's text
(``comms.pack.pack_sync``).
"""

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
from comms.pack import PackReport, pack_hash, pack_sync

logger = logging.getLogger(__name__)

PLAN_SLUG = "campaign"
INTRO_KEY = "pride-and-joy"


def _sync_page(page: Page, values: dict, *, reset: bool, label: str, report: PackReport) -> None:
    """A plan or phase page: an unpublished draft counts as an edit; a write publishes."""

    def write() -> None:
        for name, value in values.items():
            setattr(page, name, value)
        page.save_revision(log_action=False).publish(log_action=False)

    pack_sync(
        page,
        values,
        label=label,
        reset=reset,
        report=report,
        write=write,
        edited_elsewhere=page.has_unpublished_changes,
    )


def _sync_row(obj, values: dict, *, reset: bool, label: str, report: PackReport) -> None:
    def write() -> None:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()

    pack_sync(obj, values, label=label, reset=reset, report=report, write=write)


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
        title=plan_text.PLAN_PAGE["title"], slug=PLAN_SLUG, pack_hash=pack_hash(values), **values
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
            pack_hash=pack_hash(values),
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
                    pack_key=key, sort_order=order, pack_hash=pack_hash(values), **values
                )
                report.created.append(f"question {key}")
                continue
            if question.sort_order != order:
                question.sort_order = order
                question.save(update_fields=["sort_order"])
            _sync_row(question, values, reset=reset, label=f"question {key}", report=report)


def _load_kpis(*, reset: bool, report: PackReport) -> None:
    for number, title in enumerate(plan_text.KPIS, start=1):
        key = f"kpi-{number}"
        values = {"title": title}
        kpi = Kpi.objects.filter(pack_key=key).first()
        if kpi is None:
            Kpi.objects.create(
                pack_key=key, sort_order=number * 10, pack_hash=pack_hash(values), **values
            )
            report.created.append(f"KPI {number}")
        else:
            _sync_row(kpi, values, reset=reset, label=f"KPI {number}", report=report)


def _load_intro(*, reset: bool, report: PackReport) -> None:
    values = {"title": plan_text.INTRO_TITLE, "body": plan_text.INTRO_BODY}
    intro = CampaignIntro.objects.filter(pack_key=INTRO_KEY).first()
    if intro is None:
        # A draft: its [insert …] placeholders must be filled in before it can be published.
        intro = CampaignIntro(pack_key=INTRO_KEY, live=False, pack_hash=pack_hash(values), **values)
        intro.save()
        intro.save_revision(log_action=False)
        report.created.append("campaign intro text")
        return
    latest = intro.latest_revision.as_object() if intro.latest_revision else intro

    def write() -> None:
        for name, value in values.items():
            setattr(intro, name, value)
        if intro.live:
            # Restored as a draft: the live text stays until an editor fills it and publishes.
            CampaignIntro.objects.filter(pk=intro.pk).update(pack_hash=intro.pack_hash)
        else:
            intro.save()
        intro.save_revision(log_action=False)

    pack_sync(
        intro,
        values,
        current={name: getattr(latest, name) for name in values},
        label="campaign intro text",
        reset=reset,
        report=report,
        write=write,
    )


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

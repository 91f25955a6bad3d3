"""Demo content for `make run`: what an office would have after a month of using the portal.

On top of the comms pack (``load_comms_pack``) and the demo accounts (``create_demo_users``):
the institution's settings, three months of "Trusted Research in numbers", a post written from
the pack's Blog 1 template, the campaign intro text filled in and published, a demo mailing
list, one issue approved through the real workflow (assembled by ``commslead``, approved by
``senior``) and one draft issue to play with. Every step goes through the services and the
workflow editors use, and is skipped when its content is already there, so running it again
changes nothing. For the demo only: never run it on a real portal.
"""

import io
import logging
import re
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from wagtail.models import Site

from blogs.models import BlogIndexPage, BlogPostPage, BlogTemplatePage
from blogs.services import blog_post_create_from_template
from campaign.models import CampaignIntro
from comms.models import PortalSettings
from comms.placeholders import Kind, fill_html, fill_stream, fill_text, prefill_values, scan_fields
from newsletter.models import MailingList, NewsletterIssuePage
from newsletter.services.assembly import newsletter_issue_assemble
from newsletter.services.subscribers import subscribers_import
from stats import periods
from stats.models import Metric, MetricValue
from stats.services.metrics import PeriodEntry, metric_values_save_period

logger = logging.getLogger(__name__)

DEMO_LIST = "All staff (demo)"
DEMO_USERS = ("editor", "senior", "commslead")
DEMO_INSTITUTION = "University of Exampleshire"
APPROVED_TITLE = "Trusted Research newsletter – demo issue"
DRAFT_TITLE = "Trusted Research newsletter – next issue (draft)"
FIGURES = {  # three months of plausible figures, oldest first
    "nsi-act-notifications": (1, 0, 2),
    "export-control-licences": (4, 6, 5),
    "end-user-checks": (11, 14, 17),
    "due-diligence-checks": (23, 19, 27),
    "training-events": (2, 3, 5),
    "comms-engagement": (310, 356, 402),
    "international-collaborations": (3, 2, 4),
}


ISSUE_TEXT = {  # the sections people write, by the start of the pack's prompt
    "introduction from the senior": (
        "Welcome to our Trusted Research newsletter. International collaboration is at the "
        "heart of our research, and keeping it secure is part of doing it well. In this issue: "
        "a partnership done right, this term's training and the figures behind our work."
    ),
    "a case study": (
        "When an overseas partner approached our School of Engineering, the team used the due "
        "diligence checklist early, asked the research office for an export control check and "
        "signed within six weeks, with clear terms on data and equipment."
    ),
    "a suggested training material": (
        "Take the NPSA Trusted Research e-learning (about 30 minutes), then join one of our "
        "lunchtime sessions."
    ),
    "changes in institutional policies": (
        "Every new international agreement now records an end-user check before signature."
    ),
}


def _demo_values(placeholders, prefill: dict) -> dict:
    """A value for every placeholder: the portal settings' answer where there is one, the
    template's own default or first choice, else demo wording that says what belongs there."""
    values = {}
    for placeholder in placeholders:
        if placeholder.kind is Kind.OPTIONAL:
            values[placeholder.key] = True
        elif placeholder.kind is Kind.OR:
            values[placeholder.key] = ""
        elif placeholder.kind is Kind.CHOICE and placeholder.choices:
            values[placeholder.key] = placeholder.choices[0]
        else:
            prompt = re.sub(r"^(insert|add)\s+", "", placeholder.prompt.strip(), flags=re.I)
            written = next(
                (text for start, text in ISSUE_TEXT.items() if prompt.startswith(start)), None
            )
            values[placeholder.key] = (
                prefill.get(placeholder.key) or placeholder.default or written or f"(demo) {prompt}"
            )
    return values


def _portal_settings() -> PortalSettings:
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    if not settings.institution_name:
        settings.institution_name = DEMO_INSTITUTION
        settings.contact_name = settings.contact_name or "Dr Sam Patel"
        settings.contact_role = settings.contact_role or "Research Security Manager"
        settings.contact_email = settings.contact_email or "research-security@example.ac.uk"
        settings.save()
    return settings


def _figures(user, report: list[str]) -> None:
    if MetricValue.objects.exists():
        return
    first = timezone.localdate().replace(day=1)
    months = []
    for back in (3, 2, 1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        months.append(date(year, month + 1, 1))
    metrics = {metric.slug: metric for metric in Metric.objects.all()}
    for index, period in enumerate(months):
        entries = [
            PeriodEntry(metric=metrics[slug], value=Decimal(values[index]))
            for slug, values in FIGURES.items()
            if slug in metrics
        ]
        metric_values_save_period(
            period=period, period_kind=periods.MONTH, entries=entries, user=user
        )
    report.append(f"Figures for {len(months)} months")


def _approve(page, *, submitter, approver) -> None:
    """The real two-person approval: ``submitter`` submits, ``approver`` approves. Wagtail's
    notification emails for these demo steps are not sent: `make run` loads the demo before
    its mail catcher starts."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        state = page.get_workflow().start(page, submitter)
        state.current_task_state.approve(user=approver)


def _post(settings, user, approver, report: list[str]) -> None:
    index = BlogIndexPage.objects.first()
    template = BlogTemplatePage.objects.order_by("path").first()
    if index is None or template is None or BlogPostPage.objects.exists():
        return
    latest = template.get_latest_revision_as_object()
    scan = scan_fields(latest, ("title", "body"))
    values = _demo_values(scan.placeholders, prefill_values(scan.placeholders, settings))
    post = blog_post_create_from_template(
        template=template,
        index=index,
        values=values,
        title=fill_text(latest.title, values),
        author_name="Dr Sam Patel",
        user=user,
    )
    post.summary = "Why research security matters to us, and where to get help."
    post.save_revision(user=user)
    _approve(post, submitter=user, approver=approver)
    report.append(f"Blog post “{post.title}” (approved by senior, published)")


def _intro(settings, user, report: list[str]) -> None:
    intro = CampaignIntro.objects.order_by("pk").first()
    if intro is None or intro.live:
        return
    scan = scan_fields(intro, ("title", "body"))
    values = _demo_values(scan.placeholders, prefill_values(scan.placeholders, settings))
    intro.title = fill_text(intro.title, values)
    intro.body = fill_html(intro.body, values)
    intro.save_revision(user=user).publish()
    report.append("Campaign intro text (published)")


def _mailing_list(report: list[str]) -> None:
    if MailingList.objects.filter(name=DEMO_LIST).exists():
        return
    rows = ["email,name", "reader@example.ac.uk,Demo Reader"]
    rows += [f"staff{n:02d}@example.ac.uk,Staff Member {n:02d}" for n in range(1, 25)]
    data = io.BytesIO("\n".join(rows).encode("utf-8"))
    imported = subscribers_import(mailing_list_name=DEMO_LIST, csv_file=data)
    report.append(f"Mailing list “{DEMO_LIST}” ({imported.created} subscribers)")


def _fill_issue(issue: NewsletterIssuePage, settings, user) -> NewsletterIssuePage:
    draft = issue.get_latest_revision_as_object()
    scan = scan_fields(draft, ("title", "preheader", "body"))
    values = _demo_values(scan.placeholders, prefill_values(scan.placeholders, settings))
    draft.body = fill_stream(draft.body.stream_block, list(draft.body.get_prep_value()), values)
    draft.preheader = f"Research security news from {settings.institution_name}"
    draft.save_revision(user=user)
    return draft


def _issues(settings, lead, senior, report: list[str]) -> None:
    if not NewsletterIssuePage.objects.filter(title=APPROVED_TITLE).exists():
        issue = _fill_issue(
            newsletter_issue_assemble(title=APPROVED_TITLE, user=lead), settings, lead
        )
        _approve(issue, submitter=lead, approver=senior)
        report.append(f"Issue “{APPROVED_TITLE}” (approved by senior, published)")
    if not NewsletterIssuePage.objects.filter(title=DRAFT_TITLE).exists():
        newsletter_issue_assemble(title=DRAFT_TITLE, user=lead)
        report.append(f"Issue “{DRAFT_TITLE}” (draft with the pack's prompts)")


@transaction.atomic
def demo_content_load() -> list[str]:
    """Add the demo content that is missing; one line per thing added. One transaction: a
    failure adds nothing. Idempotent. Needs the comms pack and the demo accounts."""
    report: list[str] = []
    settings = _portal_settings()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERS)}
    if len(users) < len(DEMO_USERS):
        raise ValueError("the demo accounts are missing")
    editor, senior, lead = users["editor"], users["senior"], users["commslead"]
    _figures(editor, report)
    _post(settings, editor, senior, report)
    _intro(settings, editor, report)
    _mailing_list(report)
    _issues(settings, lead, senior, report)
    logger.info("Demo content: %s", "; ".join(report) or "nothing to add")
    return report

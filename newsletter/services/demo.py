"""Demo content for `make run`: what an office would have after a month of using the portal.

On top of the comms pack (``load_comms_pack``) and the demo accounts (``create_demo_users``), for
the fictional University of Exampleshire (its words are in ``demo_data``): the portal settings
(guidance page, named contact), three months of "Trusted Research in numbers", the plan's
questions answered, endorsers, KPI baselines, activities over the coming months, two posts
written from the pack's templates, the campaign intro text, a mailing list, three issues (one
sent to the list, one approved and ready to send, one draft). Posts and issues go through the
real two-person workflow (submitted by one account, approved by another) and the sent issue
through the real sending engine. Every step is skipped when its content is already there, and
nothing an editor has changed is overwritten, so running it again changes nothing. For the demo
only: never run it on a real portal.
"""

import io
import logging
import socket
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.models import Site

from blogs.models import BlogIndexPage, BlogPostPage, BlogTemplatePage
from blogs.services import blog_post_create_from_template
from campaign.models import CampaignIntro
from comms.models import PortalSettings
from comms.placeholders import Kind, fill_html, fill_stream, fill_text, prefill_values, scan_fields
from newsletter.models import MailingList, NewsletterIssuePage, Send
from newsletter.services import demo_data
from newsletter.services.assembly import newsletter_issue_assemble
from newsletter.services.batches import batch_send
from newsletter.services.demo_campaign import demo_campaign_load
from newsletter.services.engagement import ENGAGEMENT_METRIC_SLUG, engagement_note
from newsletter.services.engine import sends_dispatch
from newsletter.services.sends import send_schedule
from newsletter.services.subscribers import subscribers_import
from stats import periods
from stats.models import Metric, MetricValue
from stats.services.metrics import PeriodEntry, metric_values_save_period

logger = logging.getLogger(__name__)

DEMO_LIST = "All staff"
DEMO_USERS = ("editor", "senior", "commslead")
DEMO_INSTITUTION = demo_data.INSTITUTION
SENT_TITLE = "Trusted Research newsletter – issue 1"
APPROVED_TITLE = "Trusted Research newsletter – issue 2"
DRAFT_TITLE = "Trusted Research newsletter – issue 3 (draft)"
FIGURES = {  # three months of plausible figures entered by an editor, oldest first
    "nsi-act-notifications": (1, 0, 2),
    "export-control-licences": (4, 6, 5),
    "end-user-checks": (11, 14, 17),
    "due-diligence-checks": (23, 19, 27),
    "training-events": (2, 3, 5),
    "international-collaborations": (3, 2, 4),
}
# What the portal recorded for staff engagement in those months (reader-days, people who
# clicked, sends, delivered): written as the portal writes them, not as an editor's figures.
ENGAGEMENT = ((268, 42, 1, 1180), (301, 55, 1, 1184), (344, 58, 1, 1191))
POST_SUMMARIES = (
    "Why research security matters in quantum sensing, and where to get help.",
    "What due diligence on a new partner involves here, and who to ask.",
)


def _training_months() -> str:
    """The months of the coming training sessions, for the intro's "[insert date]"."""
    today = timezone.localdate()
    offsets = [a[4] for a in demo_data.ACTIVITIES if "training" in a[3].lower() and a[4] > 0]
    first, last = today + timedelta(days=min(offsets)), today + timedelta(days=max(offsets))
    if (first.year, first.month) == (last.year, last.month):
        return date_format(first, "F Y")
    return f"{date_format(first, 'F Y')} and {date_format(last, 'F Y')}"


def _demo_values(placeholders, prefill: dict, texts: dict | None = None) -> dict:
    """A value for every placeholder: the portal settings' answer where there is one, the
    office's own words (``demo_data``), the template's default or first choice. A prompt the
    demo has no words for is an error naming it, never filler text."""
    written = {**demo_data.PROMPT_VALUES, **(texts or {}), "insert date": _training_months()}
    values = {}
    for placeholder in placeholders:
        if placeholder.kind is Kind.OPTIONAL:
            values[placeholder.key] = True
        elif placeholder.kind is Kind.OR:
            values[placeholder.key] = prefill.get(placeholder.key, "")
        elif placeholder.kind is Kind.CHOICE and placeholder.choices:
            values[placeholder.key] = placeholder.choices[0]
        else:
            prompt = placeholder.prompt.strip().lower()
            value = prefill.get(placeholder.key) or next(
                (text for phrase, text in written.items() if phrase in prompt), None
            )
            value = value or placeholder.default
            if prompt == "insert link" and value.startswith("http"):
                value = f"at {value}"  # "guidance is available at https://…"
            if not value:
                raise ValueError(
                    f"the demo has no words for the prompt “{placeholder.prompt}”: add them to "
                    "newsletter/services/demo_data.py"
                )
            values[placeholder.key] = value
    return values


def _portal_settings() -> PortalSettings:
    """The demo university's settings; a field an editor already filled is kept."""
    settings = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    wanted = {
        "institution_name": demo_data.INSTITUTION,
        "contact_name": demo_data.CONTACT_NAME,
        "contact_role": demo_data.CONTACT_ROLE,
        "contact_email": demo_data.CONTACT_EMAIL,
        "guidance_url": demo_data.GUIDANCE_URL,
    }
    missing = [field for field in wanted if not getattr(settings, field)]
    for field in missing:
        setattr(settings, field, wanted[field])
    if settings.research_office_name in ("", "research office"):
        settings.research_office_name = demo_data.RESEARCH_OFFICE
        missing.append("research_office_name")
    if missing:
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
        if ENGAGEMENT_METRIC_SLUG in metrics:
            readers, clickers, sends, delivered = ENGAGEMENT[index]
            figures = {
                "readers": readers,
                "clickers": clickers,
                "sends": sends,
                "newsletters_sent": delivered,
                "newsletter_failures": 0,
                "unsubscribes": index + 1,
            }
            MetricValue.objects.create(
                metric=metrics[ENGAGEMENT_METRIC_SLUG],
                period=period,
                period_kind=periods.MONTH,
                value=readers + clickers,
                note=engagement_note(figures),
            )
    report.append(f"Figures for {len(months)} months")


def _approve(page, *, submitter, approver) -> None:
    """The real two-person approval: ``submitter`` submits, ``approver`` approves. Wagtail's
    notification emails for these demo steps are not sent: `make run` loads the demo before
    its mail catcher starts."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        state = page.get_workflow().start(page, submitter)
        state.current_task_state.approve(user=approver)


def _posts(settings, user, approver, report: list[str]) -> None:
    """A post from each of the pack's blog templates, unless a post of that title exists."""
    index = BlogIndexPage.objects.first()
    if index is None:
        return
    templates = BlogTemplatePage.objects.order_by("path")
    for template, author, summary in zip(
        templates, demo_data.POST_AUTHORS, POST_SUMMARIES, strict=False
    ):
        latest = template.get_latest_revision_as_object()
        title = fill_text(latest.title, {})
        if BlogPostPage.objects.filter(title=title).exists():
            continue
        scan = scan_fields(latest, ("title", "body"))
        values = _demo_values(scan.placeholders, prefill_values(scan.placeholders, settings))
        post = blog_post_create_from_template(
            template=template,
            index=index,
            values=values,
            title=fill_text(latest.title, values),
            author_name=author,
            user=user,
        )
        post.summary = summary
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


FIRST_NAMES = ("Aisha", "Ben", "Chloe", "Daniel", "Elena", "Farid", "Grace", "Hamza")
LAST_NAMES = ("Ahmed", "Brown", "Chen")


def _mailing_list(report: list[str]) -> None:
    if MailingList.objects.filter(name=DEMO_LIST).exists():
        return
    rows = ["email,name", "reader@example.ac.uk,Alex Morgan"]
    rows += [
        f"{first.lower()}.{last.lower()}@example.ac.uk,{first} {last}"
        for last in LAST_NAMES
        for first in FIRST_NAMES
    ]
    data = io.BytesIO("\n".join(rows).encode("utf-8"))
    imported = subscribers_import(mailing_list_name=DEMO_LIST, csv_file=data)
    MailingList.objects.filter(name=DEMO_LIST).update(
        description=f"Everyone who works at the {demo_data.INSTITUTION}.",
        from_name=f"Research Security, {demo_data.INSTITUTION}",
        reply_to=demo_data.CONTACT_EMAIL,
    )
    report.append(f"Mailing list “{DEMO_LIST}” ({imported.created} subscribers)")


def _fill_issue(issue: NewsletterIssuePage, settings, user, texts: dict) -> NewsletterIssuePage:
    """The issue's prompts filled with the office's words; the senior owner signs the intro."""
    draft = issue.get_latest_revision_as_object()
    scan = scan_fields(draft, ("title", "preheader", "body"))
    values = _demo_values(scan.placeholders, prefill_values(scan.placeholders, settings), texts)
    body = fill_stream(draft.body.stream_block, list(draft.body.get_prep_value()), values)
    for block in body:
        if block["type"] == "introduction" and not block["value"].get("author"):
            block["value"]["author"] = demo_data.INTRO_AUTHOR
    draft.body = body
    draft.preheader = f"Research security news from the {settings.institution_name}"
    draft.save_revision(user=user)
    return draft


def _issues(settings, lead, senior, report: list[str]) -> None:
    """The sent issue and the one ready to send (approved by ``senior``), and a draft."""
    for title, texts in zip((SENT_TITLE, APPROVED_TITLE), demo_data.ISSUE_TEXTS, strict=True):
        if NewsletterIssuePage.objects.filter(title=title).exists():
            continue
        issue = _fill_issue(
            newsletter_issue_assemble(title=title, user=lead), settings, lead, texts
        )
        _approve(issue, submitter=lead, approver=senior)
        report.append(f"Issue “{title}” (approved by senior, published)")
    if not NewsletterIssuePage.objects.filter(title=DRAFT_TITLE).exists():
        newsletter_issue_assemble(title=DRAFT_TITLE, user=lead)
        report.append(f"Issue “{DRAFT_TITLE}” (draft with the pack's prompts)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _mail_catcher(mail_dir: Path):
    """An SMTP server for the length of the send that keeps each message as a file in
    ``mail_dir`` (a Maildir), as `make run`'s catcher does; the EMAIL settings point at it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Mailbox

    for folder in ("tmp", "new", "cur"):  # a Maildir; `make demo-setup` makes the same
        (mail_dir / folder).mkdir(parents=True, exist_ok=True)
    controller = Controller(Mailbox(str(mail_dir)), hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            NEWSLETTER_RATE_LIMIT=0,
        ):
            yield
    finally:
        controller.stop()


def _send_first_issue(*, lead, mail_dir: Path, report: list[str]) -> None:
    """Send the first issue to the demo list through the real engine, in this process.

    ``load_demo_content`` runs before `make run` starts its worker and mail catcher, so the
    dispatcher and the batches run here, over SMTP to a catcher of our own that writes where
    `make run`'s does: the send is finished, with its report, before the portal opens, and no
    demo message can reach a real relay. Skipped once the issue has a finished send.
    """
    issue = NewsletterIssuePage.objects.filter(title=SENT_TITLE, live=True).first()
    mailing_list = MailingList.objects.filter(name=DEMO_LIST).first()
    if issue is None or mailing_list is None:
        return
    send = issue.sends.order_by("pk").first()
    if send is None:
        send = send_schedule(issue=issue, lists=[mailing_list], at=None, user=lead)
    if send.state != Send.State.SCHEDULED and send.state != Send.State.RUNNING:
        return
    with _mail_catcher(mail_dir):
        for _ in range(50):  # a few rounds: start, batches, finish
            dispatched = sends_dispatch(enqueue=lambda send_id, key: None)
            for send_id, key in dispatched.batches:
                # Only the demo's own send goes to the demo catcher. Another send's batch
                # waits, queued, until the engine's pickup hands it to a worker.
                if send_id == send.pk:
                    batch_send(send_id=send_id, batch_key=key)
            send.refresh_from_db()
            if send.state not in (Send.State.SCHEDULED, Send.State.RUNNING):
                break
    delivered = send.deliveries.filter(status="sent").count()
    outcome = "sent" if send.state == Send.State.FINISHED else f"send {send.get_state_display()}"
    report.append(f"Issue “{SENT_TITLE}” {outcome} to “{DEMO_LIST}” ({delivered} delivered)")


def demo_content_load(*, mail_dir: Path) -> list[str]:
    """Add the demo content that is missing; one line per thing added. The content is one
    transaction (a failure adds nothing); the first issue is then sent through the engine,
    its messages kept in ``mail_dir``. Idempotent. Needs the comms pack and the demo accounts.
    """
    with transaction.atomic():
        report: list[str] = []
        settings = _portal_settings()
        users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERS)}
        if len(users) < len(DEMO_USERS):
            raise ValueError("the demo accounts are missing")
        editor, senior, lead = users["editor"], users["senior"], users["commslead"]
        _figures(editor, report)
        demo_campaign_load(user=editor, report=report)
        _posts(settings, editor, senior, report)
        _intro(settings, editor, report)
        _mailing_list(report)
        _issues(settings, lead, senior, report)
    _send_first_issue(lead=lead, mail_dir=mail_dir, report=report)
    logger.info("Demo content: %s", "; ".join(report) or "nothing to add")
    return report

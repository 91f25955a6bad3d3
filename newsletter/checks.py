"""The pre-send checks on an issue: what the checklist panel shows, what stops a submission,
an approval or a send. Rules, not reads: the issue model and the services call them, and
they render the issue as it would be mailed (``newsletter.rendering``)."""

from dataclasses import dataclass, field

from django.core.mail import EmailMessage

from comms.approval import revision_approved
from comms.guard import placeholder_guard_messages
from comms.placeholders import scan_fields
from newsletter.messages import issue_message
from newsletter.models import NewsletterIssuePage
from newsletter.rendering import RenderedIssue, base_url, render_email_html, render_text
from newsletter.sections import issue_sections

EMAIL_SIZE_LIMIT = 100 * 1024  # Gmail clips messages larger than about 102 KB


@dataclass
class IssueCheck:
    """One line of the pre-send checklist: what is checked and, if it fails, why."""

    title: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def issue_check_list(issue: NewsletterIssuePage) -> list[IssueCheck]:
    """The content checks, on this version of the issue (a page or a revision's object).

    Every check is always listed (passed or failed), in the order the comms lead reads them.
    """
    sections = issue_sections(issue)
    placeholders = IssueCheck("No unfilled placeholders, including in the campaign intro text")
    scan = scan_fields(issue, getattr(issue, "placeholder_fields", ("title", "preheader", "body")))
    placeholders.problems += placeholder_guard_messages(scan)
    stale = IssueCheck("Statistics are within their review-by date")
    references = IssueCheck("Referenced posts are published and referenced content exists")
    images = IssueCheck("Every image has alt text")
    by_name = {
        "placeholders": placeholders,
        "stale": stale,
        "references": references,
        "images": images,
    }
    for section in sections:
        # What the block found resolving its references, then its own further checks.
        for check, message in section.problems + section.definition.presend_checks(section):
            by_name[check].problems.append(message)
    rendered = RenderedIssue(
        subject=issue.title,
        html=render_email_html(issue, sections),
        text=render_text(issue, sections),
    )
    message = issue_message(
        rendered, to="recipient@example.invalid", unsubscribe_url=f"{base_url()}/u/"
    )
    size, plain = email_message_checks(message)
    return [placeholders, stale, references, images, size, plain]


def email_message_checks(message: EmailMessage) -> tuple[IssueCheck, IssueCheck]:
    """The checks on the email as it would be sent: its HTML part is under Gmail's clipping
    size, and it has a plain-text alternative (for text-only clients and spam filters)."""
    html_bytes, text = b"", ""
    for part in message.message().walk():
        if part.get_content_type() == "text/html":
            html_bytes = part.get_payload(decode=True) or b""
        elif part.get_content_type() == "text/plain" and not part.is_multipart():
            text = (part.get_payload(decode=True) or b"").decode("utf-8", "replace")
    size = IssueCheck("The email is under 100 KB (Gmail clips larger emails)")
    if len(html_bytes) >= EMAIL_SIZE_LIMIT:
        size.problems.append(
            f"The email is {len(html_bytes) / 1024:.0f} KB. Shorten the issue: Gmail clips "
            "emails over 100 KB."
        )
    plain = IssueCheck("The email has a plain-text part")
    if not text.strip():
        plain.problems.append(
            "The email has no plain-text part. Add text to the issue's sections so mail "
            "clients that show only text can read it."
        )
    return size, plain


def issue_content_problems(issue: NewsletterIssuePage) -> list[str]:
    """Every failed check's reasons for this version of the issue; empty when it passes."""
    return [problem for check in issue_check_list(issue) for problem in check.problems]


def issue_presend_problems(issue: NewsletterIssuePage) -> list[str]:
    """What stops this issue being scheduled, in words for the comms lead; empty when ready.

    Checks the approved (live) revision, which is what a send would use.
    """
    problems = []
    if not issue.live or issue.live_revision_id is None:
        return [
            "The issue is not approved and published yet. Submit it for approval; a senior "
            "owner publishes it."
        ]
    if not revision_approved(issue.live_revision):
        return [
            "The live version of this issue was not approved through the approval workflow. "
            "Submit it for approval; a senior owner other than its authors approves it."
        ]
    if issue.workflow_in_progress:
        problems.append(
            "A newer version of the issue is awaiting approval. Wait for the senior owner's "
            "decision, or send the version that is live."
        )
    return problems + issue_content_problems(issue.live_revision.as_object())

"""Send one test copy of an issue to a person, through the configured SMTP server."""

import logging

from django.core.mail import get_connection

from newsletter.messages import issue_message
from newsletter.models import NewsletterIssuePage
from newsletter.rendering import base_url, render_issue

logger = logging.getLogger(__name__)

TEST_PREFIX = "[TEST] "


def newsletter_issue_send_test(*, issue: NewsletterIssuePage, to: str, user=None) -> None:
    """Email the latest saved version of ``issue`` to ``to`` as multipart/alternative (text,
    then HTML), subject prefixed "[TEST]", the unsubscribe slot pointing at the archive.

    Sends nothing to any mailing list and records nothing. SMTP errors (``smtplib`` errors,
    ``OSError`` such as a refused connection) are raised for the caller to report."""
    latest = issue.get_latest_revision_as_object() if issue.pk else issue
    message = issue_message(
        render_issue(latest),
        to=to,
        unsubscribe_url=f"{base_url()}/newsletters/",
        subject_prefix=TEST_PREFIX,
        connection=get_connection(fail_silently=False, timeout=15),
    )
    message.send()
    logger.info("Test of newsletter issue %s sent to %s by user %s", issue.pk, to, user and user.pk)

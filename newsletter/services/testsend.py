"""Send one test copy of an issue to a person, through the configured SMTP server.

The rule (docs/reference/newsletter-issues.md): a test goes only to the sender's own address
or to an address in a domain of ``NEWSLETTER_TEST_SEND_DOMAINS``; each person may send at most
``NEWSLETTER_TEST_SEND_LIMIT`` tests an hour (over every issue); each test is an entry
"newsletter.test.send" in the issue's history (Wagtail's audit log), with who and to which
address. The audit log is also the count, so the limit holds across processes and restarts.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_text_list

from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from newsletter.messages import issue_message, test_from_name
from newsletter.models import NewsletterIssuePage
from newsletter.rendering import base_url, render_issue

logger = logging.getLogger(__name__)

TEST_PREFIX = "[TEST] "
TEST_SEND_ACTION = "newsletter.test.send"
TEST_SEND_WINDOW = datetime.timedelta(hours=1)


def _allowed_domains() -> list[str]:
    return [domain.strip().lstrip("@").lower() for domain in settings.NEWSLETTER_TEST_SEND_DOMAINS]


def newsletter_test_send_rule(*, user) -> str:
    """The rule in one sentence, for the form's help text and the refusal."""
    own = f"your own address ({user.email})" if user.email else "your own address (none is set)"
    rule = f"Tests go only to {own}"
    domains = _allowed_domains()
    if domains:
        rule += f", or to an address at {get_text_list(domains, 'or')}"
    return rule + "."


def newsletter_test_send_address_allowed(*, user, to: str) -> bool:
    """``to`` is the user's own address (any letter case) or in an allowed domain (exactly)."""
    address = to.strip().lower()
    if user.email and address == user.email.strip().lower():
        return True
    return address.rpartition("@")[2] in _allowed_domains()


def newsletter_issue_send_test(*, issue: NewsletterIssuePage, to: str, user) -> None:
    """Email the latest saved version of ``issue`` to ``to`` as multipart/alternative (text,
    then HTML), subject prefixed "[TEST]", the unsubscribe slot pointing at the archive, From
    the first mailing list's sender name (``test_from_name``), as a real send shows it.

    Sends nothing to any mailing list. Raises ``ValidationError`` (a message saying what to
    do) and sends nothing when ``to`` breaks the address rule or the user has sent
    ``NEWSLETTER_TEST_SEND_LIMIT`` tests in the last hour. Otherwise sends, then records the
    test in the issue's history, in one transaction that holds the user's row: two requests
    of the same person are counted one after the other, so the limit is never exceeded.
    SMTP errors (``smtplib`` errors, ``OSError`` such as a refused connection) are raised for
    the caller to report, and a test that was not sent is neither recorded nor counted."""
    if not newsletter_test_send_address_allowed(user=user, to=to):
        what_to_do = "Use your own address" + (
            " or one in those domains." if _allowed_domains() else "."
        )
        raise ValidationError(f"{newsletter_test_send_rule(user=user)} {what_to_do}")
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        since = timezone.now() - TEST_SEND_WINDOW
        recent = PageLogEntry.objects.filter(
            action=TEST_SEND_ACTION, user=user, timestamp__gt=since
        ).order_by("timestamp")
        limit = settings.NEWSLETTER_TEST_SEND_LIMIT
        if limit <= 0:
            raise ValidationError(
                "Test sends are turned off on this portal (NEWSLETTER_TEST_SEND_LIMIT is 0). "
                "Ask the portal's administrator, or preview the issue instead."
            )
        count = recent.count()
        if count >= limit:
            oldest = recent.first()
            again = timezone.localtime((oldest.timestamp if oldest else since) + TEST_SEND_WINDOW)
            raise ValidationError(
                f"You have sent {count} tests in the last hour (the limit is {limit}). "
                f"Try again after {again:%H:%M}."
            )
        latest = issue.get_latest_revision_as_object() if issue.pk else issue
        message = issue_message(
            render_issue(latest),
            to=to,
            unsubscribe_url=f"{base_url()}/newsletters/",
            subject_prefix=TEST_PREFIX,
            from_name=test_from_name(),
            connection=get_connection(fail_silently=False, timeout=15),
        )
        message.send()
        log(
            instance=issue,
            action=TEST_SEND_ACTION,
            user=user,
            revision=issue.latest_revision,
            data={"to": to},
        )
    logger.info("Test of newsletter issue %s sent to %s by user %s", issue.pk, to, user.pk)

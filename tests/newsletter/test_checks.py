"""Pre-send checks (newsletter.checks): each one failing and passing, and on the editor's panel."""

import datetime

from django.core.mail import EmailMessage

import pytest

from comms.guard import PublishBlockedError
from newsletter.checks import (
    email_message_checks,
    issue_check_list,
    issue_content_problems,
    issue_presend_problems,
)
from newsletter.messages import issue_message
from newsletter.rendering import render_issue
from stats.models import Statistic
from tests.factories import (
    newsletter_image,
    newsletter_issue,
    page_approve,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def good_issue(passing_issue_body):
    return newsletter_issue("Good issue", body=passing_issue_body)


def _failed(issue) -> dict[str, list[str]]:
    return {check.title: check.problems for check in issue_check_list(issue) if not check.ok}


def test_a_good_issue_passes_every_check(good_issue):
    checks = issue_check_list(good_issue)
    assert len(checks) == 6 and all(check.ok for check in checks)
    assert issue_presend_problems(good_issue) == []


def test_unfilled_placeholder_in_a_referenced_campaign_intro(good_issue):
    from campaign.models import CampaignIntro

    # An intro whose live text still has a prompt (e.g. saved before the guard existed).
    CampaignIntro.objects.update(body="<p>At [insert institution name] we care.</p>")
    problems = issue_presend_problems(good_issue)
    assert any("insert institution name" in p and "campaign intro" in p for p in problems)


def test_unfilled_placeholder_in_the_issue(good_issue):
    draft = good_issue.get_latest_revision_as_object()
    draft.preheader = "[insert the month]"
    failed = _failed(draft)
    assert any("insert the month" in p for p in failed[next(iter(failed))])


def test_stale_statistic(good_issue):
    Statistic.objects.update(review_by=datetime.date(2000, 1, 1), as_of=datetime.date(1999, 1, 1))
    problems = issue_presend_problems(good_issue)
    assert any("due for review on 01 January 2000" in p for p in problems)


def test_referenced_post_unpublished_or_deleted(good_issue):
    from blogs.models import BlogPostPage

    post = BlogPostPage.objects.get(title="A published post")
    post.unpublish()
    assert any(
        "“A published post” is not published" in p for p in issue_presend_problems(good_issue)
    )
    post.delete()
    assert any(
        "1 chosen blog post(s) no longer exist" in p for p in issue_presend_problems(good_issue)
    )


def test_deleted_statistic_is_named(good_issue):
    pk = Statistic.objects.get().pk
    Statistic.objects.all().delete()
    assert any(
        f"statistic (id {pk}) no longer exists" in p for p in issue_presend_problems(good_issue)
    )


def test_image_without_alt_text():
    issue = newsletter_issue(
        body=[("image", {"image": newsletter_image(), "alt_text": " ", "caption": ""})],
        publish=False,
    )
    assert any("has no alt text" in p for p in issue_content_problems(issue))
    # A failing check stops the approval that would publish it.
    with pytest.raises(PublishBlockedError, match="has no alt text"):
        page_approve(issue)
    issue.refresh_from_db()
    assert not issue.live


def test_email_over_100_kb():
    paragraph = "<p>" + "Research security matters. " * 200 + "</p>"
    issue = newsletter_issue(body=[("rich_text", paragraph)] * 25, publish=False)
    assert any("Gmail clips" in check.title for check in issue_check_list(issue) if not check.ok)
    assert any("KB. Shorten the issue" in p for p in issue_content_problems(issue))


def test_plain_text_part_present_and_missing(good_issue):
    rendered = render_issue(good_issue)
    both = issue_message(rendered, to="a@example.ac.uk", unsubscribe_url="https://x.test/u/")
    size, plain = email_message_checks(both)
    assert size.ok and plain.ok
    # The same email as HTML only (what a hand-rolled sender might produce) fails the check.
    html_only = EmailMessage(subject=rendered.subject, body=rendered.html, to=["a@example.ac.uk"])
    html_only.content_subtype = "html"
    size, plain = email_message_checks(html_only)
    assert size.ok
    assert plain.problems == [
        "The email has no plain-text part. Add text to the issue's sections so mail clients "
        "that show only text can read it."
    ]


def test_failing_issue_cannot_be_scheduled(good_issue, comms_lead):
    from django.core.exceptions import ValidationError

    from newsletter.services.sends import send_schedule
    from tests.factories import MailingListFactory

    Statistic.objects.update(review_by=datetime.date(2000, 1, 1), as_of=datetime.date(1999, 1, 1))
    with pytest.raises(ValidationError):
        send_schedule(issue=good_issue, lists=[MailingListFactory()], at=None, user=comms_lead)


def test_checklist_panel_on_the_edit_view(good_issue, client_as, comms_lead):
    Statistic.objects.update(review_by=datetime.date(2000, 1, 1), as_of=datetime.date(1999, 1, 1))
    content = client_as(comms_lead).get(f"/admin/pages/{good_issue.pk}/edit/").content.decode()
    assert "Pre-send checks" in content
    assert "✗ Failed" in content and "Statistics are within their review-by date" in content
    assert "✓ Passed" in content and "Every image has alt text" in content

"""`make run`'s demo content: loaded through the real services and workflow, idempotent."""

from django.core.management import call_command

from wagtail.models import TaskState

import pytest

from blogs.models import BlogPostPage
from campaign.models import CampaignIntro
from newsletter.models import MailingList, NewsletterIssuePage
from newsletter.selectors import issue_presend_problems
from newsletter.services.demo import APPROVED_TITLE, DEMO_LIST, DRAFT_TITLE
from stats.models import MetricValue

pytestmark = pytest.mark.django_db


def test_demo_content_is_complete_approved_and_loaded_once(capsys):
    call_command("load_comms_pack")
    call_command("create_demo_users")
    capsys.readouterr()

    call_command("load_demo_content")
    first = capsys.readouterr().out
    assert "Mailing list “All staff (demo)” (25 subscribers)" in first

    issue = NewsletterIssuePage.objects.get(title=APPROVED_TITLE)
    assert issue.live
    approval = TaskState.objects.get(revision=issue.live_revision)
    assert approval.finished_by.username == "senior"
    assert approval.workflow_state.requested_by.username == "commslead"
    # The demo issue is ready to send: every pre-send check passes.
    assert issue_presend_problems(issue) == []
    draft = NewsletterIssuePage.objects.get(title=DRAFT_TITLE)
    assert not draft.live
    assert BlogPostPage.objects.live().count() == 1
    assert CampaignIntro.objects.filter(live=True).exists()
    assert MailingList.objects.get(name=DEMO_LIST).memberships.count() == 25

    counts = (MetricValue.objects.count(), NewsletterIssuePage.objects.count())
    call_command("load_demo_content")
    assert capsys.readouterr().out.strip() == "Demo content already loaded: nothing to add."
    assert counts == (MetricValue.objects.count(), NewsletterIssuePage.objects.count())

"""`make run`'s demo content: a fictional university's month of real use, loaded through the
real services, workflow and sending engine; idempotent, and it keeps an editor's own edits."""

import mailbox
import re
from datetime import timedelta
from email.header import decode_header, make_header
from email.utils import parseaddr

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from wagtail.models import Site, TaskState

import pytest

from blogs.models import BlogPostPage
from campaign.models import Activity, CampaignIntro, Endorser, Kpi, Phase, PlanQuestion
from campaign.services import question_answer
from comms.models import PortalSettings
from newsletter.checks import issue_presend_problems
from newsletter.models import Delivery, MailingList, NewsletterIssuePage, Send, Subscriber
from newsletter.services.demo import APPROVED_TITLE, DEMO_LIST, DRAFT_TITLE, SENT_TITLE
from newsletter.services.sends import send_schedule
from stats.models import MetricValue

pytestmark = pytest.mark.django_db


def _approved_by_senior(page, submitter: str) -> None:
    approval = TaskState.objects.get(revision=page.live_revision)
    assert approval.finished_by.username == "senior"
    assert approval.workflow_state.requested_by.username == submitter


@pytest.fixture
def mail_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path / "mail"


def test_demo_content_is_complete_approved_sent_and_loaded_once(capsys, mail_dir):
    call_command("load_comms_pack")
    call_command("create_demo_users")
    capsys.readouterr()

    call_command("load_demo_content")
    first = capsys.readouterr().out
    assert f"Mailing list “{DEMO_LIST}” (25 subscribers)" in first
    assert f"Issue “{SENT_TITLE}” sent to “{DEMO_LIST}” (25 delivered)" in first

    # The university: a guidance page and a named contact on example.ac.uk.
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    assert portal.guidance_url.startswith("https://www.example.ac.uk/")
    assert portal.contact_name and portal.contact_email.endswith("@example.ac.uk")
    assert all(
        e.endswith("@example.ac.uk") for e in Subscriber.objects.values_list("email", flat=True)
    )

    # The campaign: every question answered, endorsers, KPI baselines, the coming months.
    assert not [q.pack_key for q in PlanQuestion.objects.all() if not q.is_answered]
    # Every phase has its voice.
    assert set(Endorser.objects.values_list("phase", flat=True)) == set(Phase.values)
    assert Kpi.objects.exclude(baseline_period="").filter(metric__isnull=False).count() >= 2
    upcoming = Activity.objects.filter(start_date__gt=timezone.localdate())
    titles = " ".join(upcoming.values_list("title", flat=True)).lower()
    assert upcoming.count() >= 5 and "launch" in titles and "clinic" in titles
    assert upcoming.filter(channel__icontains="training").count() >= 2
    # Something in the next few days, so the calendar's month is never empty on first look.
    assert upcoming.filter(start_date__lte=timezone.localdate() + timedelta(days=3)).exists()

    # Two posts, each submitted by the editor and approved by the senior owner.
    posts = BlogPostPage.objects.live()
    assert posts.count() == 2
    for post in posts:
        _approved_by_senior(post, "editor")
    intro = CampaignIntro.objects.get(live=True)
    assert "guidance is available at https://www.example.ac.uk/" in intro.body
    assert "[" not in intro.body

    # The first issue was sent through the engine: its report, and the email in the catcher.
    sent = NewsletterIssuePage.objects.get(title=SENT_TITLE)
    _approved_by_senior(sent, "commslead")
    send = Send.objects.get(issue=sent)
    assert send.state == Send.State.FINISHED
    assert send.deliveries.filter(status=Delivery.Status.SENT).count() == 25
    messages = list(mailbox.Maildir(mail_dir, create=False))
    assert len(messages) == 25
    assert {str(make_header(decode_header(m["Subject"]))) for m in messages} == {SENT_TITLE}
    assert "reader@example.ac.uk" in {parseaddr(m["To"])[1] for m in messages}
    assert {parseaddr(re.sub(r"\r?\n", "", m["From"]))[0] for m in messages} == {
        "Research Security, University of Exampleshire"
    }
    assert {m["Reply-To"] for m in messages} == {"research-security@example.ac.uk"}

    # The second is approved and ready to send; the third is a draft.
    ready = NewsletterIssuePage.objects.get(title=APPROVED_TITLE)
    _approved_by_senior(ready, "commslead")
    assert issue_presend_problems(ready) == []
    assert not ready.sends.exists()
    assert not NewsletterIssuePage.objects.get(title=DRAFT_TITLE).live
    assert MailingList.objects.get(name=DEMO_LIST).memberships.count() == 25

    def counts():
        return (
            MetricValue.objects.count(),
            NewsletterIssuePage.objects.count(),
            BlogPostPage.objects.count(),
            Activity.objects.count(),
            Endorser.objects.count(),
            Kpi.objects.count(),
            Delivery.objects.count(),
            len(list(mailbox.Maildir(mail_dir, create=False))),
        )

    before = counts()
    call_command("load_demo_content")
    assert capsys.readouterr().out.strip() == "Demo content already loaded: nothing to add."
    assert counts() == before


def test_demo_content_keeps_what_an_editor_wrote(capsys, mail_dir):
    call_command("load_comms_pack")
    call_command("create_demo_users")
    own_answer = "<p>Our own answer, agreed by the research committee.</p>"
    question = PlanQuestion.objects.get(pack_key="scoping-1")
    question_answer(question=question, answer=own_answer, user=None)
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    portal.guidance_url = "https://intranet.example.org/trusted-research"
    portal.save()

    call_command("load_demo_content")

    assert PlanQuestion.objects.get(pack_key="scoping-1").answer == own_answer
    portal = PortalSettings.for_site(Site.objects.get(is_default_site=True))
    assert portal.guidance_url == "https://intranet.example.org/trusted-research"


def test_demo_send_leaves_other_sends_to_the_workers(capsys, mail_dir):
    """The in-process send delivers the demo's issue only: a comms lead's send that is due at
    the same moment is left for the real worker, never delivered to the demo's catcher."""
    call_command("load_comms_pack")
    call_command("create_demo_users")
    call_command("load_demo_content")
    Send.objects.filter(issue__title=SENT_TITLE).delete()  # as if the demo send had not run
    lead = get_user_model().objects.get(username="commslead")
    other = send_schedule(
        issue=NewsletterIssuePage.objects.get(title=APPROVED_TITLE),
        lists=[MailingList.objects.get(name=DEMO_LIST)],
        at=None,
        user=lead,
    )
    before = len(list(mailbox.Maildir(mail_dir, create=False)))

    call_command("load_demo_content")

    assert not other.deliveries.filter(status=Delivery.Status.SENT).exists()
    subjects = [
        str(make_header(decode_header(m["Subject"])))
        for m in mailbox.Maildir(mail_dir, create=False)
    ]
    assert len(subjects) == before + 25 and APPROVED_TITLE not in subjects


def test_demo_issues_list_the_coming_training_sessions(mail_dir):
    """The demo's training activities are marked as training, so each demo issue's learning
    zone lists the coming sessions, and its Highlights are filled in."""
    from newsletter.rendering import render_issue

    call_command("load_comms_pack")
    call_command("create_demo_users")
    call_command("load_demo_content")
    coming = Activity.objects.filter(training=True, start_date__gte=timezone.localdate())
    assert coming.exists()
    issue = NewsletterIssuePage.objects.get(title=APPROVED_TITLE)
    text = render_issue(issue.live_revision.as_object()).text
    assert coming.order_by("start_date").first().title in text
    assert "RCAT" in text

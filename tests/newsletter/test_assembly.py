"""Assembling a draft issue from the pack's outline: service, command and admin action."""

import datetime
import io

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from comms.guard import PublishBlockedError
from comms.placeholders.stream import scan_value
from newsletter.blocks import NewsletterBodyBlock
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from newsletter.services.assembly import INTRO_PROMPT, newsletter_issue_assemble
from stats.models import Statistic
from tests.factories import (
    MetricValueFactory,
    StatisticFactory,
    blog_post,
    campaign_intro,
    newsletter_issue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive():
    newsletter_issue("Earlier issue", body=[("heading", "Old news")]).delete()
    return NewsletterIndexPage.objects.get()


def _types(issue):
    return [block.block_type for block in issue.get_latest_revision_as_object().body]


def test_draft_has_every_section_of_the_outline(archive, comms_lead):
    posts = [
        blog_post(f"Post {n}", date=datetime.date(2024, 1, n)) for n in range(1, 5)
    ]  # the newest three are wanted
    blog_post("Unpublished post", publish=False, date=datetime.date(2024, 2, 1))
    MetricValueFactory(period=datetime.date(2024, 1, 1))
    MetricValueFactory(period=datetime.date(2024, 4, 1), period_kind="quarter")
    statistic = StatisticFactory()
    intro = campaign_intro()

    issue = newsletter_issue_assemble(title="Trusted Research – May", user=comms_lead)

    assert issue.get_parent().specific == archive and not issue.live
    assert issue.slug == "trusted-research-may" and issue.owner == comms_lead
    assert _types(issue) == [
        "introduction",
        "spotlight",
        "highlights",
        "learning_zone",
        "policy_zone",
        "numbers",
        "statistic",
        "campaign_intro",
    ]
    body = {block.block_type: block.value for block in issue.body}
    assert INTRO_PROMPT in body["introduction"]["text"].source
    assert "[insert a case study" in body["spotlight"]["text"].source
    assert [post.pk for post in body["highlights"]["posts"]] == [p.pk for p in posts[:0:-1]]
    assert body["numbers"]["period"] == "2024-Q2"
    assert body["statistic"]["statistic"] == statistic
    assert body["campaign_intro"]["intro"] == intro
    # The prompts are placeholders: the publish guard refuses the draft.
    with pytest.raises(PublishBlockedError, match="senior Trusted Research owner"):
        issue.get_latest_revision().publish()


def test_statistic_not_used_in_the_last_three_issues(archive):
    first, second, third, fourth = StatisticFactory.create_batch(4)
    Statistic.objects.filter(pk=first.pk).update(review_by=datetime.date(2000, 1, 1))  # stale
    picked = [newsletter_issue_assemble(title=f"Issue {n}") for n in range(4)]
    chosen = [
        next(b.value["statistic"] for b in p.body if b.block_type == "statistic") for p in picked
    ]
    assert chosen[:3] == [second, third, fourth]
    assert chosen[3] == second  # all current ones used recently: the first current one again


def test_without_a_campaign_intro_or_statistics_the_draft_still_assembles(archive):
    issue = newsletter_issue_assemble(title="Quiet month")
    assert "campaign_intro" not in _types(issue) and "statistic" not in _types(issue)
    assert "numbers" in _types(issue)


def test_command_prints_the_slug_last(archive):
    out = io.StringIO()
    call_command("newsletter_assemble", "Trusted Research – June", stdout=out)
    last = out.getvalue().strip().splitlines()[-1]
    assert last == "trusted-research-june"
    assert NewsletterIssuePage.objects.get(slug=last).title == "Trusted Research – June"
    call_command("newsletter_assemble", "Trusted Research – June", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "trusted-research-june-2"


def test_command_explains_a_missing_archive():
    with pytest.raises(CommandError, match="load_comms_pack"):
        call_command("newsletter_assemble", "Lost issue", stdout=io.StringIO())


def test_admin_action_assembles_and_opens_the_editor(archive, client_as, comms_lead):
    client = client_as(comms_lead)
    index = client.get(f"/admin/pages/{archive.pk}/")
    assert "New issue from the pack outline" in index.content.decode()
    empty = client.post("/admin/newsletter/assemble/", {"title": ""})
    assert "This field is required." in empty.content.decode()
    response = client.post("/admin/newsletter/assemble/", {"title": "From the admin"})
    issue = NewsletterIssuePage.objects.get(title="From the admin")
    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{issue.pk}/edit/"
    edit = client.get(response["Location"])
    assert edit.status_code == 200 and "Pre-send checks" in edit.content.decode()


def test_staff_cannot_assemble(archive, client_as, staff_user):
    response = client_as(staff_user).post("/admin/newsletter/assemble/", {"title": "No"})
    assert response.status_code in (302, 403)
    assert not NewsletterIssuePage.objects.filter(title="No").exists()


def test_pack_loader_creates_the_archive_once():
    from newsletter import pack

    newsletter_issue("Make the home page", body=[("heading", "x")]).delete()
    NewsletterIndexPage.objects.all().delete()
    assert pack.load().created == ["newsletter archive"]
    assert pack.load().kept == ["newsletter archive"]
    assert NewsletterIndexPage.objects.get().live


def test_highlights_prompt_offers_the_packs_suggestions(archive):
    """The pack's Highlights outline: the draft prompts with its three kinds of highlight."""
    issue = newsletter_issue_assemble(title="Highlights month")
    field = NewsletterIssuePage._meta.get_field("body")
    scan = scan_value(field, issue.get_latest_revision_as_object().body, "Body")
    highlights = [o for o in scan.occurrences if "(Highlights)" in o.location]
    assert len(highlights) == 1, [o.describe() for o in scan.occurrences]
    placeholder = highlights[0].placeholder
    assert placeholder.prompt.lower().startswith("insert highlights")
    assert placeholder.suggestions == (
        "successful engagements with RCAT",
        "positive take-aways from Trusted Research events such as HEECA or the NPSA STEM "
        "Universities Trusted Research Forum",
        "interesting cases resolved by institutional review boards",
    )
    # The editor is told the same in the block's help text.
    help_text = str(NewsletterBodyBlock().child_blocks["highlights"].meta.help_text)
    assert "RCAT" in help_text and "HEECA" in help_text and "review boards" in help_text

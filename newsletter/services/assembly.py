"""Assemble a draft newsletter issue from the pack's outline.

The draft has every section of the pack's newsletter template, in the pack's order. Where a
person must write (the senior owner's introduction, the spotlight, the highlights with the
pack's suggestions, the learning and policy zones) it holds an ``[insert …]`` prompt, which
the publish guard (``comms.guard``) keeps from being published or approved until filled.
Where the portal already has the content, the section references it: the latest published
blog posts, the latest "Trusted Research in numbers" period, a current statistic not used in
the last three issues, and the live campaign intro text.
"""

import logging

from django.db import transaction
from django.utils import timezone

from blogs.models import BlogPostPage
from campaign.selectors import campaign_intro_live
from comms.slugs import child_slug_unique
from newsletter.models import NewsletterIndexPage, NewsletterIssuePage
from stats import periods
from stats.models import MetricValue, Statistic

logger = logging.getLogger(__name__)

INTRO_PROMPT = "[insert introduction from the senior Trusted Research owner]"
SPOTLIGHT_PROMPT = (
    "[insert a case study from the institution: a ‘good news’ story or a learning angle]"
)
# The pack's three kinds of highlight, offered as suggestions (the engine reads the examples
# after "e.g.", split on commas).
HIGHLIGHTS_PROMPT = (
    "[insert highlights, e.g. successful engagements with RCAT, positive take-aways from "
    "Trusted Research events such as HEECA or the NPSA STEM Universities Trusted Research "
    "Forum, interesting cases resolved by institutional review boards]"
)
LEARNING_PROMPT = "[insert a suggested training material or course]"
POLICY_PROMPT = (
    "[insert changes in institutional policies relevant to research security risk, or the "
    "policies and processes to raise awareness of]"
)
HIGHLIGHTS_COUNT = 3
RECENT_ISSUES = 3


class NoArchiveError(Exception):
    """There is no /newsletters/ page to put the issue under."""


def statistics_used_recently(*, count: int = RECENT_ISSUES) -> set[int]:
    """Ids of statistics in the latest version of the ``count`` most recent issues."""
    used = set()
    for issue in NewsletterIssuePage.objects.order_by("-pk")[:count]:
        latest = issue.get_latest_revision_as_object()
        for block in latest.body.raw_data:
            if block.get("type") == "statistic":
                used.add((block.get("value") or {}).get("statistic"))
    return used


def _statistic_of_the_month() -> Statistic | None:
    current = Statistic.objects.current().order_by("pk")
    used = statistics_used_recently()
    return current.exclude(pk__in=used).first() or current.first()


def _latest_period() -> str:
    latest = MetricValue.objects.order_by("-period").first()
    if latest is None:
        today = timezone.localdate()
        return periods.period_label(today.replace(day=1), periods.MONTH)
    return latest.label


def _rich(prompt: str) -> str:
    return f"<p>{prompt}</p>"


def newsletter_issue_outline() -> list[tuple[str, dict]]:
    """The body of a new issue: the pack's sections, filled from the portal where it can be."""
    posts = BlogPostPage.objects.live().order_by("-date", "-first_published_at")[:HIGHLIGHTS_COUNT]
    body = [
        ("introduction", {"heading": "Introduction", "author": "", "text": _rich(INTRO_PROMPT)}),
        ("spotlight", {"heading": "Spotlight", "text": _rich(SPOTLIGHT_PROMPT), "link": None}),
        (
            "highlights",
            {"heading": "Highlights", "text": _rich(HIGHLIGHTS_PROMPT), "posts": list(posts)},
        ),
        (
            "learning_zone",
            {
                "heading": "Learning zone",
                "text": _rich(LEARNING_PROMPT),
                "upcoming_training": 3,
                "training_dates": [],
            },
        ),
        ("policy_zone", {"heading": "Policy zone", "text": _rich(POLICY_PROMPT), "links": []}),
        (
            "numbers",
            {"heading": "Trusted Research in numbers", "period": _latest_period(), "text": ""},
        ),
    ]
    if statistic := _statistic_of_the_month():
        body.append(("statistic", {"statistic": statistic, "show_footnote": True}))
    if intro := campaign_intro_live():
        body.append(("campaign_intro", {"intro": intro}))
    return body


@transaction.atomic
def newsletter_issue_assemble(*, title: str, user=None) -> NewsletterIssuePage:
    """Create a draft issue titled ``title`` under /newsletters/ with every section of the
    pack's outline (see the module docstring). Never publishes. One transaction: on error
    nothing is created. Raises ``NoArchiveError`` if /newsletters/ does not exist and
    ``ValueError`` for an empty title."""
    title = (title or "").strip()
    if not title:
        raise ValueError("Give the issue a title.")
    archive = NewsletterIndexPage.objects.first()
    if archive is None:
        raise NoArchiveError(
            "There is no newsletter archive (/newsletters/). Run manage.py load_comms_pack."
        )
    issue = NewsletterIssuePage(
        title=title,
        slug=child_slug_unique(archive, title, fallback="issue", max_length=200),
        preheader="",
        body=newsletter_issue_outline(),
        live=False,
        owner=user,
    )
    archive.add_child(instance=issue)
    issue.save_revision(user=user, log_action=True)
    logger.info("Assembled newsletter issue %s (%s)", issue.pk, issue.slug)
    return issue

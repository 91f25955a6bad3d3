"""Content the journeys start from, made the way the portal makes it (pages saved by their
author, submitted to "Senior owner approval", approved by someone else)."""

import datetime

from newsletter.models import NewsletterIssuePage
from stats.models import Metric, MetricValue, Statistic
from tests.factories import (
    blog_post,
    campaign_intro,
    newsletter_image,
    newsletter_issue,
    page_approve,
    realistic_issue_body,
)


def page_submit(page, *, by):
    """Save ``page`` as ``by``'s latest version and submit it to its approval workflow."""
    page.owner = by
    page.save(update_fields=["owner"])
    page.save_revision(user=by)
    page.get_workflow().start(page, by)
    page.refresh_from_db()
    return page


def issue_passing_checks(title: str, *, publish: bool) -> NewsletterIssuePage:
    """An issue with every section of the pack's outline filled in, referencing published
    posts, a current pack statistic, a campaign intro with no placeholder and an image with alt
    text: nothing for the pre-send checks to stop. ``publish``: approved by the workflow."""
    today = datetime.date.today()
    posts = [
        blog_post("Due diligence in practice", date=today - datetime.timedelta(days=7)),
        blog_post("Export controls and your research", date=today - datetime.timedelta(days=3)),
    ]
    statistic = Statistic.objects.get(pack_number=2)
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    for number, metric in enumerate(Metric.objects.order_by("pk")[:3]):
        for period, value in ((last_month, 10 + number), (this_month, 14 + number)):
            MetricValue.objects.create(
                metric=metric, period=period, period_kind="month", value=value
            )
    body = realistic_issue_body(
        posts=posts,
        statistic=statistic,
        intro=campaign_intro("Pride and Joy (our version)"),
        image=newsletter_image("Researchers in the lab"),
        period=f"{today:%Y-%m}",
    )
    issue = newsletter_issue(title, publish=False, body=body)
    if publish:
        page_approve(issue)
    return issue

"""The portal with content in it, for the suites that visit every page (security, a11y).

``portal_content()`` runs every loader ``load_comms_pack`` runs, then adds a published blog
post, a published newsletter issue, a mailing list with a subscriber and a scheduled send, and
returns the URLs and ids a visitor needs.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from comms import roles
from tests.factories import (
    MailingListFactory,
    MetricValueFactory,
    UserFactory,
    blog_post,
    campaign_intro,
    newsletter_image,
    newsletter_issue,
    realistic_issue_body,
    subscribe_many,
)


@dataclass
class Portal:
    post_url: str
    statistic_id: int
    phase_url: str
    issue_url: str
    issue_id: int
    template_id: int
    send_id: int
    list_id: int
    subscriber_id: int
    unsubscribe_token: str


def pack_load() -> None:
    """What ``manage.py load_comms_pack`` does: every loader in COMMS_PACK_LOADERS."""
    for dotted in settings.COMMS_PACK_LOADERS:
        import_string(dotted)(reset=False)


def portal_content() -> Portal:
    from blogs.models import BlogTemplatePage
    from campaign.models import CampaignPhasePage
    from comms.services.health import heartbeat_record
    from newsletter.services.sends import send_schedule
    from newsletter.tokens import unsubscribe_token
    from stats.models import Statistic

    pack_load()
    post = blog_post("Protecting our research")
    issue = newsletter_issue("Trusted Research newsletter – March")
    mailing_list = MailingListFactory(name="All staff")
    (subscriber,) = subscribe_many(mailing_list, ["reader@example.ac.uk"])
    lead = UserFactory(username="matrix-lead", role=roles.COMMS_LEADS)
    send = send_schedule(issue=issue, lists=[mailing_list], at=None, user=lead)
    heartbeat_record()  # a running portal: a worker has just processed beat's heartbeat
    return Portal(
        post_url=post.url,
        statistic_id=Statistic.objects.order_by("pk").first().pk,
        phase_url=CampaignPhasePage.objects.live().order_by("path").first().url,
        issue_url=issue.url,
        issue_id=issue.pk,
        template_id=BlogTemplatePage.objects.order_by("pk").first().pk,
        send_id=send.pk,
        list_id=mailing_list.pk,
        subscriber_id=subscriber.pk,
        unsubscribe_token=unsubscribe_token(subscriber_id=subscriber.pk, list_id=mailing_list.pk),
    )


def realistic_newsletter_issue(title: str = "Trusted Research newsletter – April"):
    """A published issue with every section of the pack's outline filled in, referencing the
    loaded pack's content (posts, a statistic, figures for 2024-03, the campaign intro, an
    image): what the validity and accessibility suites check the email and issue page on.
    Needs ``portal_content()`` (or the pack) loaded first."""
    import datetime

    from blogs.models import BlogPostPage
    from stats.models import Metric, Statistic

    blog_post("Due diligence in practice")
    for metric in Metric.objects.order_by("pk")[:3]:
        MetricValueFactory(metric=metric, period=datetime.date(2024, 2, 1), value=12)
        MetricValueFactory(metric=metric, period=datetime.date(2024, 3, 1), value=15)
    body = realistic_issue_body(
        posts=list(BlogPostPage.objects.live().order_by("-pk")[:2]),
        statistic=Statistic.objects.order_by("pk").first(),
        intro=campaign_intro(),
        image=newsletter_image(),
    )
    return newsletter_issue(title, body=body)


def reader_urls(portal: Portal) -> list[str]:
    """Every kind of reader page, on ``portal_content()``: what the axe and vnu checks visit."""
    return [
        "/",
        "/blog/",
        portal.post_url,
        "/statistics/",
        f"/statistics/{portal.statistic_id}/",
        "/statistics/numbers/",
        "/campaign/",
        portal.phase_url,
        "/newsletters/",
        portal.issue_url,
    ]

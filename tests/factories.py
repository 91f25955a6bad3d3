"""Every test factory, in one place."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

import factory

from comms import roles

TEST_PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.ac.uk")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """``UserFactory(role=roles.EDITORS)`` puts the user in that group."""
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        if create:
            self.save()


def user_with_role(role: str, **kwargs):
    return UserFactory(role=role, **kwargs)


ROLE_NAMES = roles.ALL_GROUPS


# --- stats -------------------------------------------------------------------------------


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stats.Source"

    publisher = factory.Sequence(lambda n: f"Publisher {n}")
    title = factory.Sequence(lambda n: f"Report {n}")
    year = 2024
    url = factory.Sequence(lambda n: f"https://example.org/report-{n}")


class StatisticFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stats.Statistic"

    figure = factory.Sequence(lambda n: f"{n}%")
    claim = factory.Sequence(lambda n: f"{n}% of example researchers agree with claim {n}.")
    source = factory.SubFactory(SourceFactory)
    as_of = factory.LazyFunction(lambda: datetime.date(2024, 1, 1))
    review_by = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=90))


class MetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stats.Metric"
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Metric {n}")
    slug = factory.Sequence(lambda n: f"metric-{n}")
    unit = "checks"


class MetricValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "stats.MetricValue"

    metric = factory.SubFactory(MetricFactory)
    period = factory.LazyFunction(lambda: datetime.date(2024, 1, 1))
    period_kind = "month"
    value = 10


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaign.Activity"

    title = factory.Sequence(lambda n: f"Campaign activity {n}")
    phase = "educate"
    audience = "academic"
    channel = "Departmental meeting"
    owner = "Head of Research Security"
    start_date = factory.LazyFunction(lambda: datetime.date(2025, 3, 10))
    end_date = factory.LazyAttribute(lambda a: a.start_date)
    status = "planned"
    training = False


class EndorserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaign.Endorser"

    name = factory.Sequence(lambda n: f"Professor Endorser {n}")
    role = "Pro Vice-Chancellor for Research"
    phase = "educate"
    audience = "academic"


# --- Newsletter: lists, subscribers, issues (issue 8) ---------------------------------------


class MailingListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "newsletter.MailingList"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"List {n}")
    from_name = "Research Office – Trusted Research"
    reply_to = "research-office@example.ac.uk"


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "newsletter.Subscriber"

    email = factory.Sequence(lambda n: f"person{n}@example.ac.uk")
    name = factory.Sequence(lambda n: f"Person {n}")


def subscribe_many(mailing_list, emails):
    """Put these addresses on the list in bulk (creating subscribers as needed)."""
    from newsletter.models import Membership, Subscriber

    Subscriber.objects.bulk_create(
        [Subscriber(email=e.lower(), name=e.split("@")[0]) for e in emails],
        ignore_conflicts=True,
    )
    subscribers = Subscriber.objects.filter(email__in=[e.lower() for e in emails])
    Membership.objects.bulk_create(
        [Membership(subscriber=s, mailing_list=mailing_list) for s in subscribers],
        ignore_conflicts=True,
    )
    return list(subscribers)


_ISSUE_NUMBERS = itertools.count(1)


def newsletter_issue(title="Trusted Research newsletter – March", *, publish=True, body=None):
    """A newsletter issue page under /newsletters/, published (approved) unless told not to.

    Builds the page tree it needs (root, home, archive) if a transactional test flushed it.
    """
    from django.conf import settings

    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page, Site

    from comms.models import HomePage
    from newsletter.models import NewsletterIndexPage, NewsletterIssuePage

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Home", slug="home"))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
    archive = NewsletterIndexPage.objects.first()
    if archive is None:
        archive = home.add_child(
            instance=NewsletterIndexPage(title="Newsletters", slug="newsletters")
        )
    body = body or [
        ("heading", "Spotlight"),
        (
            "rich_text",
            '<p>Read <a href="/blog/">the blog</a> for this month&#x27;s case study.</p>',
        ),
    ]
    issue = archive.add_child(
        instance=NewsletterIssuePage(
            title=title,
            slug=f"issue-{next(_ISSUE_NUMBERS)}",
            preheader="News from the research office",
            body=body,
            live=False,
        )
    )
    issue.save_revision()
    if publish:
        page_approve(issue)
    issue.refresh_from_db()
    return issue


def approval_workflow():
    """The "Senior owner approval" workflow on the root page, rebuilt by the service the
    migrations call (and the roles' permissions re-applied) if a transactional test flushed
    them."""
    from wagtail.models import Page, Workflow

    from comms.services.roles import roles_sync
    from comms.services.workflows import approval_workflow_ensure

    if not Workflow.objects.filter(name="Senior owner approval", active=True).exists():
        roles_sync()  # the groups' page permissions went with the flush too
    workflow = approval_workflow_ensure()
    assert Page.get_first_root_node().get_workflow() == workflow
    return workflow


def page_approve(page, *, submitter=None, approver=None):
    """Publish ``page``'s latest revision the way the portal does: ``submitter`` (a comms lead
    by default) submits it to its workflow ("Senior owner approval") and ``approver`` (a senior
    owner by default) approves it. Raises what the guard raises if a check fails."""
    from comms import roles

    submitter = submitter or UserFactory(
        username="factory-submitter", email="", role=roles.COMMS_LEADS
    )
    approver = approver or UserFactory(
        username="factory-approver", email="", role=roles.SENIOR_OWNERS
    )
    workflow = page.get_workflow() or approval_workflow()
    state = workflow.start(page, submitter)
    state.current_task_state.approve(user=approver)
    page.refresh_from_db()
    return page


def blog_post(
    title="Protecting our research",
    *,
    body_html="<p>Trusted Research helps us collaborate with confidence.</p>",
    publish=True,
    date=None,
    topics=(),
    author_name="Dr A. Researcher",
    summary="Why research security matters to us.",
):
    """A blog post under /blog/ (the blog loader's index, created if missing), approved and
    published unless told not to."""
    from blogs.models import BlogIndexPage, BlogPostPage
    from comms.models import HomePage

    index = BlogIndexPage.objects.first()
    if index is None:
        index = HomePage.objects.get().add_child(instance=BlogIndexPage(title="Blog", slug="blog"))
    post = BlogPostPage(
        title=title,
        author_name=author_name,
        summary=summary,
        body=[("rich_text", body_html)],
        date=date or datetime.date.today(),
        live=False,
    )
    index.add_child(instance=post)
    for topic in topics:
        post.topics.add(topic)
    post.save_revision()
    if publish:
        page_approve(post)
    post.refresh_from_db()
    return post


# --- Newsletter issues: sections (issue 7) -------------------------------------------------


def campaign_intro(title="Pride and Joy", *, body="<p>Our research is our pride and joy.</p>"):
    """A published campaign intro text (the snippet newsletters reference)."""
    from campaign.models import CampaignIntro

    intro = CampaignIntro.objects.create(title=title, body=body, live=False)
    intro.save_revision().publish()
    intro.refresh_from_db()
    return intro


def newsletter_image(title="Lab at night"):
    """A real (tiny) image in the Wagtail image library."""
    import wagtail_factories

    return wagtail_factories.ImageFactory(title=title)


def realistic_issue_body(*, posts, statistic, intro=None, image=None, period="2024-03"):
    """Every section of the pack's outline, filled in, referencing portal content."""
    body = [
        (
            "introduction",
            {
                "heading": "Introduction",
                "author": "Professor Jane Smith, Pro Vice-Chancellor for Research",
                "text": '<p>Welcome to our <a href="https://www.npsa.gov.uk/trusted-research">'
                "Trusted Research</a> newsletter.</p>",
            },
        ),
        ("spotlight", {"heading": "Spotlight", "text": "<p>A partnership done right.</p>"}),
        ("highlights", {"heading": "Highlights", "text": "", "posts": posts}),
        (
            "learning_zone",
            {
                "heading": "Learning zone",
                "text": "<p>Try the NPSA e-learning.</p>",
                "training_dates": [
                    {
                        "date": datetime.date(2099, 5, 14),
                        "title": "Trusted Research induction",
                        "url": "https://example.ac.uk/book",
                    }
                ],
            },
        ),
        (
            "policy_zone",
            {
                "heading": "Policy zone",
                "text": "<p>Our export control policy changed.</p>",
                "links": [
                    {
                        "title": "Export control policy",
                        "url": "https://example.ac.uk/export",
                        "description": "",
                    }
                ],
            },
        ),
        ("numbers", {"heading": "Trusted Research in numbers", "period": period, "text": ""}),
        ("statistic", {"statistic": statistic, "show_footnote": True}),
    ]
    if intro is not None:
        body.append(("campaign_intro", {"intro": intro}))
    if image is not None:
        body.append(("image", {"image": image, "alt_text": "Researchers in a lab", "caption": ""}))
    body.append(
        (
            "call_to_action",
            {
                "heading": "Read the blog",
                "text": "",
                "button_text": "Go to the blog",
                "url": "https://example.ac.uk/blog",
            },
        )
    )
    return body

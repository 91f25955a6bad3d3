"""Every test factory, in one place."""

import datetime

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
            self.groups.add(Group.objects.get(name=extracted))
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


class EndorserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "campaign.Endorser"

    name = factory.Sequence(lambda n: f"Professor Endorser {n}")
    role = "Pro Vice-Chancellor for Research"
    phase = "educate"
    audience = "academic"


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
    """A blog post under /blog/ (the blog loader's index, created if missing), published unless
    told not to."""
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
    revision = post.save_revision()
    if publish:
        revision.publish()
    post.refresh_from_db()
    return post

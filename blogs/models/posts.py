import math
from datetime import date

from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager, PageQuerySet, PageViewRestriction
from wagtail.search import index

from comms.approval import ApprovalRequiredPageMixin
from comms.blocks import BaseStreamBlock, stream_plain_text
from comms.guard import PlaceholderGuardMixin, PlaceholderGuardPageForm
from comms.models import CachedViewRestrictionsMixin, ReadsCountedMixin
from stats.blocks import StatisticBlock

WORDS_PER_MINUTE = 200


class BlogBodyBlock(BaseStreamBlock):
    """The shared block library, plus a statistic embedded from the statistics library."""

    statistic = StatisticBlock()


class BlogPostTopic(TaggedItemBase):
    content_object = ParentalKey(
        "blogs.BlogPostPage", related_name="topic_items", on_delete=models.CASCADE
    )


class BlogPostQuerySet(PageQuerySet):
    """What readers see of the blog (``BlogIndexPage.get_posts`` and the feed use it)."""

    def public_by_subquery(self) -> "BlogPostQuerySet":
        """Wagtail's ``.public()`` (no view restriction on the page or an ancestor) as a
        subquery: ``public()`` reads every restriction first, one more query each time a list
        is built."""
        restricted = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
        return self.filter(~Exists(restricted))

    def for_readers(self, *, index=None, query: str = "", topic: str = "") -> "BlogPostQuerySet":
        """Live posts under ``index``, newest first, optionally by topic slug and search words."""
        posts = self.live()
        if index is not None:
            posts = posts.child_of(index)
        if topic:
            posts = posts.filter(topics__slug=topic)
        if query:
            found = [post.pk for post in posts.search(query)]
            posts = posts.filter(pk__in=found)
        # Last: the search backend cannot filter on a subquery.
        return posts.public_by_subquery().order_by("-date", "-first_published_at").distinct()

    def topics(self, *, index=None):
        """Topics used by at least one post readers see under ``index``."""
        post_ids = self.for_readers(index=index).values_list("pk", flat=True)
        return (
            Tag.objects.filter(blogs_blogposttopic_items__content_object_id__in=post_ids)
            .distinct()
            .order_by("name")
        )


class BlogPostPage(
    ReadsCountedMixin,
    CachedViewRestrictionsMixin,
    ApprovalRequiredPageMixin,
    PlaceholderGuardMixin,
    Page,
):
    """A post on the blog. Cannot be published while a placeholder remains (see comms.guard)."""

    date = models.DateField("post date", default=date.today)
    author_name = models.CharField(
        "author", max_length=200, blank=True, help_text="The name shown as the post's author."
    )
    summary = models.TextField(
        blank=True, max_length=400, help_text="One or two sentences for the blog index and feed."
    )
    body = StreamField(BlogBodyBlock(), blank=True)
    topics = ClusterTaggableManager(through=BlogPostTopic, blank=True)
    source_template = models.ForeignKey(
        "blogs.BlogTemplatePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The pack template this post was written from (shown with its attribution).",
    )

    placeholder_fields = ("title", "summary", "body")
    # Readers see a post only after someone other than its author approved it (comms.guard).
    base_form_class = PlaceholderGuardPageForm

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("author_name"), FieldPanel("date"), FieldPanel("topics")],
            heading="About the post",
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("source_template", read_only=True),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("author_name"),
        index.RelatedFields("topics", [index.SearchField("name")]),
        index.FilterField("date"),
    ]

    parent_page_types = ["blogs.BlogIndexPage"]

    objects = PageManager.from_queryset(BlogPostQuerySet)()
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "blog post"

    @property
    def reading_minutes(self) -> int:
        words = len(f"{self.summary} {stream_plain_text(self.body)}".split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from comms.models import CachedViewRestrictionsMixin, PersonalPageMixin
from comms.services.feeds import feed_token_get_or_create

from .posts import BlogPostPage

POSTS_PER_PAGE = 10


class BlogIndexPage(PersonalPageMixin, CachedViewRestrictionsMixin, Page):
    """/blog/: live posts, newest first, with topics, search and pagination."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["comms.HomePage"]
    subpage_types = ["blogs.BlogPostPage"]
    max_count = 1

    class Meta:
        verbose_name = "blog index"

    def get_posts(self, *, query: str = "", topic: str = ""):
        """Live posts under this index that readers see, newest first (``BlogPostQuerySet``)."""
        return BlogPostPage.objects.for_readers(index=self, query=query, topic=topic)

    def get_topics(self):
        """Topics used by at least one of ``get_posts()``."""
        return BlogPostPage.objects.topics(index=self)

    @staticmethod
    def feed_url_for(*, user, request) -> str:
        """The reader's private feed address (with their token), or "" if not signed in."""
        if not user.is_authenticated:
            return ""
        token = feed_token_get_or_create(user=user)
        return request.build_absolute_uri(reverse("blog_feed") + f"?token={token.token}")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()
        topic = request.GET.get("topic", "").strip()
        # Lazy: a page whose lists come from the fragment cache (readercache) does not query
        # them (even building the queryset reads the view restrictions).
        page = SimpleLazyObject(
            lambda: Paginator(self.get_posts(query=query, topic=topic), POSTS_PER_PAGE).get_page(
                request.GET.get("page")
            )
        )
        context.update(
            posts=page,
            query=query,
            topic=topic,
            topics=SimpleLazyObject(self.get_topics),
            feed_url=self.feed_url_for(user=request.user, request=request),
        )
        return context

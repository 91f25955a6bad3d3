from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from comms.models import CachedViewRestrictionsMixin, PersonalPageMixin

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

    def get_context(self, request, *args, **kwargs):
        from blogs import selectors

        context = super().get_context(request, *args, **kwargs)
        query = request.GET.get("q", "").strip()
        topic = request.GET.get("topic", "").strip()
        # Lazy: a page whose lists come from the fragment cache (readercache) does not query
        # them (even building the queryset reads the view restrictions).
        page = SimpleLazyObject(
            lambda: Paginator(
                selectors.blog_posts(index=self, query=query, topic=topic), POSTS_PER_PAGE
            ).get_page(request.GET.get("page"))
        )
        context.update(
            posts=page,
            query=query,
            topic=topic,
            topics=SimpleLazyObject(lambda: selectors.blog_topics(index=self)),
            feed_url=selectors.feed_url_for(user=request.user, request=request),
        )
        return context

"""The blog's Atom feed, built with Django's syndication framework."""

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.functional import cached_property

from wagtail.models import Site

from blogs import selectors
from comms.blocks import stream_plain_text
from comms.models import PortalSettings

FEED_ITEMS = 20
FALLBACK_AUTHOR = "Trusted Research portal"


class BlogFeed(Feed):
    """RFC 4287 as feed readers check it: the feed and every entry name an author (a post
    without one is credited to the institution, from Settings › Portal settings), and the
    rel="self" link is the address the reader subscribed to, private token included. One
    instance serves one request (the view makes a new one each time)."""

    feed_type = Atom1Feed
    title = "Trusted Research blog"
    subtitle = "New posts on the Trusted Research blog."

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    @cached_property
    def institution(self) -> str:
        site = (
            Site.find_for_request(self.request) or Site.objects.filter(is_default_site=True).first()
        )
        name = PortalSettings.for_site(site).institution_name if site else ""
        return name or (site.site_name if site else "") or FALLBACK_AUTHOR

    def author_name(self):
        return self.institution

    def feed_url(self):
        token = self.request.GET.get("token")
        return self.request.path + (f"?{urlencode({'token': token})}" if token else "")

    def link(self):
        index = selectors.blog_index()
        return index.url if index else "/blog/"

    def items(self):
        return selectors.blog_posts(index=selectors.blog_index())[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or stream_plain_text(item.body)[:400]

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.author_name or self.institution

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

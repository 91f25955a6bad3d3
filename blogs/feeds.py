"""The blog's Atom feed, built with Django's syndication framework."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from blogs import selectors
from comms.blocks import stream_plain_text

FEED_ITEMS = 20


class BlogFeed(Feed):
    feed_type = Atom1Feed
    title = "Trusted Research blog"
    subtitle = "New posts on the Trusted Research blog."

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
        return item.author_name or None

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

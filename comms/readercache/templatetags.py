"""``{% readercache "name" vary… %}…{% endreadercache %}``: a cached fragment of a reader page.

Wagtail's ``{% wagtailcache %}`` (``WagtailCacheNode``: Django's ``{% cache %}`` that renders
afresh when there is no request or the request is a preview) with the reader cache's scope
added to what the fragment varies on: the content generation (read once per request), today's
date and the query string (``caching.fragment_scope``), so an edit shows at once. A request
with a very long query string renders without the cache. Never put personal parts inside (the
user's name, a CSRF token, a personal feed address).

Registered as the template library ``readercache`` by ``TEMPLATES[…]["OPTIONS"]["libraries"]``.
"""

from django import template
from django.template import Variable

from wagtail.templatetags.wagtail_cache import WagtailCacheNode

from comms.readercache import caching

register = template.Library()

SCOPE_VAR = "readercache_scope"
TIMEOUT_VAR = "readercache_timeout"


class ReaderCacheNode(WagtailCacheNode):
    def __init__(self, nodelist, name: str, vary_on: list):
        super().__init__(
            nodelist,
            expire_time_var=Variable(TIMEOUT_VAR),
            fragment_name=f"portal.{name}",
            vary_on=[Variable(SCOPE_VAR), *vary_on],
            cache_name=None,
        )

    def render(self, context):
        scope = caching.fragment_scope(context.get("request"))
        if scope is None:
            return self.nodelist.render(context)
        with context.update({SCOPE_VAR: scope, TIMEOUT_VAR: caching.reader_cache_timeout()}):
            return super().render(context)


@register.tag
def readercache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name.")
    name = bits[1].strip("\"'")
    nodelist = parser.parse(("endreadercache",))
    parser.delete_first_token()
    return ReaderCacheNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])

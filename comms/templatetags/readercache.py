"""``{% readercache "name" vary… %}…{% endreadercache %}``: a cached fragment of a reader page.

The fragment is cached per content generation, day and query string (``comms.caching``), and
per the extra values given (e.g. ``page.pk``), so an edit shows at once. Never put personal
parts inside (the user's name, a CSRF token, a personal feed address); drafts being previewed
are always rendered afresh.
"""

from django import template

from comms import caching

register = template.Library()


class ReaderCacheNode(template.Node):
    def __init__(self, nodelist, name: str, vary_on: list):
        self.nodelist = nodelist
        self.name = name
        self.vary_on = vary_on

    def render(self, context):
        vary = [value.resolve(context) for value in self.vary_on]
        key = caching.fragment_key(context.get("request"), self.name, vary)
        if key is None:
            return self.nodelist.render(context)
        html = caching.fragment_get(key)
        if html is None:
            html = self.nodelist.render(context)
            caching.fragment_set(key, html)
        return html


@register.tag
def readercache(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a fragment name.")
    name = bits[1].strip("\"'")
    nodelist = parser.parse(("endreadercache",))
    parser.delete_first_token()
    return ReaderCacheNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])

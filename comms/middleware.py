"""Counting reads of reader pages (``comms.services.engagement_reads``)."""

from functools import partial

from comms.services.engagement_reads import read_record


class ReadCountMiddleware:
    """Count a signed-in reader's successful GET of a page that counts its reads.

    Runs after the response is built, so whatever parts of it came from the reader cache
    (``comms.readercache``) the read is counted; the mark is written once the response is
    sent. Deciding what to count needs no query: the route Wagtail (or the cached route)
    found is on the request, and the page names the item it showed
    (``comms.models.ReadsCountedMixin.read_item``). Anonymous requests, HEAD, redirects and
    errors are not counted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 200 and request.method == "GET":
            route = getattr(request, "_wagtail_route_for_request", None)
            if route is not None:
                self.count(request, response, route)
        return response

    def count(self, request, response, route) -> None:
        page, args, kwargs = route
        read_item = getattr(page, "read_item", None)
        user = getattr(request, "user", None)
        if read_item is None or user is None or not user.is_authenticated:
            return
        item = read_item(args, kwargs)
        if item is None:
            return
        record = partial(read_record, user_id=user.pk, content_type_id=item[0], object_id=item[1])
        # Recorded once the response is sent (the WSGI server closes it then): the reader never
        # waits for the mark, which on the embedded default's SQLite is a committed INSERT the
        # first time a day. Django's own list of what to run on close; inline if it ever goes.
        closers = getattr(response, "_resource_closers", None)
        if closers is None:
            record()
        else:
            closers.append(record)

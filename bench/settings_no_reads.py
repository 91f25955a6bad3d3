"""pages_bench's comparison server: the production settings without read counting
(``comms.middleware.ReadCountMiddleware``), to measure what counting adds to a page."""

from trustedresearch.settings.production import *  # noqa: F403

MIDDLEWARE = [m for m in MIDDLEWARE if m != "comms.middleware.ReadCountMiddleware"]  # noqa: F405

"""Settings of the Celery worker and beat the journeys start: the test settings, with the links
in the emails they send pointing at the live server the browser uses (a reader clicks them)."""

import os

from trustedresearch.settings.test import *  # noqa: F403

WAGTAILADMIN_BASE_URL = os.environ["JOURNEYS_BASE_URL"]

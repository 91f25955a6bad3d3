"""End-to-end journeys, one per role: the portal as loaded by ``load_comms_pack``, in Chromium.

Journeys that send email use the newsletter suite's real services (an aiosmtpd server on
loopback, a ``celery`` worker and beat against Redis and the test database). A failing journey
leaves a screenshot and the HTML of every open page in TEST_ARTIFACTS_DIR (tests/conftest.py).

Screenshots for the guides in docs/: see tests/journeys/shots.py.
"""

from io import StringIO

from django.core.management import call_command

from wagtail.models import Site

import pytest
from playwright.sync_api import expect

from comms.models import PortalSettings
from tests.newsletter import conftest as newsletter_services

# The newsletter suite's real services, shared (its conftest is not in our folder's path).
smtp_server = newsletter_services.smtp_server
smtp = newsletter_services.smtp
celery_worker = newsletter_services.celery_worker
celery_beat = newsletter_services.celery_beat

VIEWPORT = {"width": 1280, "height": 800}
# Generous: two cores shared by Chromium, the live server, the worker, beat and Postgres.
SLOW = 30_000


@pytest.fixture(scope="session")
def engine_env(django_db_setup, django_db_blocker, smtp_server, live_server, tmp_path_factory):
    """The newsletter suite's worker and beat environment, with tests/journeys/worker_settings.py
    so that the links in the emails they send open on the live server."""
    env = newsletter_services.engine_environment(
        smtp_server,
        settings_module="tests.journeys.worker_settings",
        JOURNEYS_BASE_URL=live_server.url,
    )
    return {"env": env, "dir": tmp_path_factory.mktemp("journeys-celery")}


@pytest.fixture
def engine(transactional_db, smtp, celery_worker, celery_beat):
    """A running worker and beat for this journey only, sending to ``smtp`` (yielded). They
    stop afterwards: other browser tests in this process set sends up by hand and must not find
    a worker sending them."""
    for process in (celery_worker, celery_beat):
        if process.process is None:
            process.start()
    yield smtp
    celery_beat.stop()
    celery_worker.stop()


@pytest.fixture
def browser_context_args():
    return {"viewport": VIEWPORT}


@pytest.fixture
def portal(browser_context):
    """The portal as ``make run`` sets it up: what migrations create (the site tree, the roles,
    the "Senior owner approval" workflow; the harness restores them for each test) and the
    whole comms pack (statistics, blog templates, campaign plan, newsletter archive), and the
    institution's name in the portal settings."""
    call_command("load_comms_pack", stdout=StringIO())
    PortalSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={
            "institution_name": "University of Exampleshire",
            "contact_name": "Dr Rachel Okafor",
            "contact_role": "Research Security Manager",
            "contact_email": "research.security@exampleshire.ac.uk",
        },
    )
    browser_context.set_default_timeout(SLOW)
    expect.set_options(timeout=SLOW)
    yield
    expect.set_options(timeout=5_000)  # Playwright's default, for the other suites

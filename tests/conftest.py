"""Shared fixtures: users per role, and the browser harness every browser test uses.

Browser tests: ``def test_x(page_as): page = page_as(roles.STAFF); page.goto(...)``. The page
belongs to a signed-in user of that role on pytest-django's live server, in Debian's headless
Chromium. A failing browser test leaves a screenshot and the page's HTML in test-artifacts/.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.test import Client

import pytest

from comms import roles
from tests.factories import UserFactory
from tests.services import service_unavailable

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside one unless told that this is a test process.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS_DIR = Path(
    os.environ.get("TEST_ARTIFACTS_DIR", Path(__file__).parent.parent / "test-artifacts")
)
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: Wagtail caches site root paths and page URLs by
    id, and transactional tests recreate pages."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """pytest-django's test databases, with what migrations created serialized where every
    connection of the session can find it.

    Django keeps that copy on the connection object that created the test database
    (``_test_serialized_contents``), and a transactional test with ``serialized_rollback``
    reloads it from ``connections[alias]``. But ``connections`` is thread-critical asgiref
    storage: once Playwright's sync API runs an event loop in the test thread (the first
    browser test), ``connections[alias]`` is another connection object, without the copy. A
    browser test after a database test then reloaded nothing, and its closing flush ran
    ``post_migrate``, which recreates content types (new ids) and groups but not Wagtail's
    root, the home page or the approval workflow: the next test found no page tree
    (``HomePage.DoesNotExist``). That is why ``make test`` once ran the browser tests in a
    pytest run of their own. Kept on the connection class instead, the copy is found from
    any thread or event loop."""
    from django.db import connections

    for alias in connections:
        contents = connections[alias].__dict__.get("_test_serialized_contents")
        if contents is not None:
            assert len(connections.settings) == 1, "one database: the class holds one copy"
            type(connections[alias])._test_serialized_contents = contents
    return django_db_setup


@pytest.fixture
def transactional_db(django_db_serialized_rollback, _django_db_helper):
    """pytest-django's ``transactional_db``, always with a serialized rollback: a
    transactional test (live server, real worker) ends with a flush of every table, and the
    next one reloads what migrations created (Wagtail's root and home page, the groups, the
    approval workflow) instead of finding them gone (see ``django_db_setup``)."""


def _loses_migration_data(item) -> bool:
    """A transactional test without a serialized rollback (see ``transactional_db``)."""
    marker = item.get_closest_marker("django_db")
    transaction = bool(marker and marker.kwargs.get("transaction"))
    serialized = bool(marker and marker.kwargs.get("serialized_rollback"))
    fixtures = getattr(item, "fixturenames", ())
    transactional = transaction or "transactional_db" in fixtures or "live_server" in fixtures
    serialized = serialized or "django_db_serialized_rollback" in fixtures
    return transactional and not serialized


def pytest_collection_modifyitems(config, items):
    offenders = [item.nodeid for item in items if _loses_migration_data(item)]
    if offenders:
        raise pytest.UsageError(
            "Transactional tests must restore what migrations created: use the "
            "transactional_db fixture or @pytest.mark.django_db(transaction=True, "
            "serialized_rollback=True) (tests/conftest.py, transactional_db): "
            + ", ".join(offenders)
        )


@pytest.fixture
def user_factory(db):
    return UserFactory


@pytest.fixture
def editor(db):
    return UserFactory(username="editor1", role=roles.EDITORS)


@pytest.fixture
def senior_owner(db):
    return UserFactory(username="senior1", role=roles.SENIOR_OWNERS)


@pytest.fixture
def comms_lead(db):
    return UserFactory(username="commslead1", role=roles.COMMS_LEADS)


@pytest.fixture
def staff_user(db):
    return UserFactory(username="reader1", role=roles.STAFF)


@pytest.fixture
def demo_portal(capsys, settings, tmp_path):
    """The comms pack and the demo content loaded, as `make run` loads them (the demo's sent
    issue is kept in the mail/ folder of a temporary DATA_DIR)."""
    from django.core.management import call_command

    settings.DATA_DIR = tmp_path
    call_command("load_comms_pack")
    call_command("create_demo_users")
    call_command("load_demo_content")
    capsys.readouterr()


@pytest.fixture
def client_as(db):
    """``client_as(user)``: a Django test client signed in as ``user``."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM_PATH).exists():
        service_unavailable("Chromium", f"{CHROMIUM_PATH} not found; apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context_args():
    """Extra options for Playwright's ``browser.new_context``; a suite may override this
    fixture (tests/a11y sets ``bypass_csp`` so that axe-core can be injected)."""
    return {}


@pytest.fixture
def browser_context(
    browser,
    live_server,
    request,
    transactional_db,
    django_db_serialized_rollback,
    browser_context_args,
):
    # Live-server tests run in transactions that end with a flush; the serialized rollback
    # brings back what migrations created (home page, groups, workflow) for each test.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", **browser_context_args)
    context.set_default_timeout(10_000)
    yield context
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(context.pages):
            stem = ARTIFACTS_DIR / f"{request.node.name}-{number}"
            page.screenshot(path=f"{stem}.png", full_page=True)
            Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
    context.close()


@pytest.fixture
def page(browser_context):
    """A page of a browser nobody has signed in to."""
    return browser_context.new_page()


@pytest.fixture
def page_as(browser_context, live_server):
    """``page_as(roles.EDITORS)`` or ``page_as(user)``: a page signed in as that user.

    The session cookie comes from Django's test client, so only the login test pays for the
    login form.
    """

    def make(role_or_user, username: str | None = None):
        if isinstance(role_or_user, str):
            name = username or role_or_user.lower().replace(" ", "-")
            user = UserFactory(username=name, role=role_or_user)
        else:
            user = role_or_user
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        browser_context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        return browser_context.new_page()

    return make

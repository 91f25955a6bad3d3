"""The permission matrix: every URL of the portal and every admin view of ours, for every role.

Each role is one test that visits every URL and reports every cell that differs, so a failure
shows the whole picture. Expected outcomes:

- ``ok``: 200.
- ``login``: 302 to the login page, which brings the visitor back afterwards.
- ``denied``: refused. Our views answer 403; Wagtail's admin turns a refusal into a redirect
  away from the page (to the admin home, or to the login page for users without admin access).
- ``bad``: 400 (a bad unsubscribe token or newsletter link key; nothing is revealed).
- ``not found``: 404 (an unknown or revoked public issue address; nothing is revealed).
- ``post only``: 405 to a GET (the action is a POST; ``test_post_actions`` covers who may).
- ``unauthorised``: 401 (SCIM provisioning: a bearer token is the only key, a session is
  none; never a redirect to the sign-in page).

``test_every_url_of_ours_is_in_the_matrix`` walks Django's URL resolver: a new URL of ours (a view
in one of our apps, a URL in ``trustedresearch/urls.py``, or an admin view set of one of our
models) without a row here fails it.
"""

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

import pytest

from comms import roles
from tests.factories import ActivityFactory, EndorserFactory, UserFactory

pytestmark = pytest.mark.django_db

ANON = "anonymous"
ROLES = (ANON, roles.STAFF, roles.EDITORS, roles.SENIOR_OWNERS, roles.COMMS_LEADS)
EVERYONE = dict.fromkeys(ROLES, "ok")
SIGNED_IN = {**EVERYONE, ANON: "login"}
ADMIN_USERS = {roles.EDITORS, roles.SENIOR_OWNERS, roles.COMMS_LEADS}


def only(*allowed: str) -> dict[str, str]:
    """Admin views: anonymous to the login page, the ``allowed`` roles in, the others refused."""
    return {role: "ok" if role in allowed else "denied" for role in ROLES} | {ANON: "login"}


POST_ONLY = dict.fromkeys(ROLES, "post only") | {ANON: "login"}
# An admin POST action: Wagtail refuses users without admin access before the method is seen.
ADMIN_POST_ONLY = POST_ONLY | {roles.STAFF: "denied"}
# Wagtail's admin API action URLs: like our admin POST actions.
ADMIN_API_POST_ONLY = ADMIN_POST_ONLY
CONTENT = (roles.EDITORS, roles.SENIOR_OWNERS)
LEADS = (roles.COMMS_LEADS,)

# Our models' admin view sets (comms/roles.py): who may view, add, change, delete and publish.
# Viewing a listing needs any of add/change/delete. Snippet choosers are open to every admin
# user (Wagtail's rule): comms leads pick statistics and the campaign intro into issues.
MODEL_ACCESS: dict[str, dict[str, tuple[str, ...]]] = {
    "stats.statistic": dict.fromkeys(("view", "add", "change", "delete"), CONTENT),
    "stats.source": dict.fromkeys(("view", "add", "change", "delete"), CONTENT),
    "stats.metric": {**dict.fromkeys(("view", "add", "change"), CONTENT), "delete": ()},
    "campaign.planquestion": {"view": CONTENT, "add": (), "change": CONTENT, "delete": ()},
    "campaign.activity": dict.fromkeys(("view", "add", "change", "delete"), CONTENT),
    "campaign.endorser": dict.fromkeys(("view", "add", "change", "delete"), CONTENT),
    "campaign.kpi": dict.fromkeys(("view", "add", "change", "delete"), CONTENT),
    "campaign.campaignintro": {
        **dict.fromkeys(("view", "add", "change"), CONTENT),
        "delete": (),
        "publish": (roles.SENIOR_OWNERS,),
    },
    "newsletter.mailinglist": {**dict.fromkeys(("view", "add", "change"), LEADS), "delete": ()},
    "newsletter.subscriber": dict.fromkeys(("view", "add", "change", "delete"), LEADS),
    # Returned messages (bounces): read and marked reviewed, never added or deleted by hand.
    "newsletter.inboundmessage": {
        **dict.fromkeys(("view", "change"), LEADS),
        **dict.fromkeys(("add", "delete"), ()),
    },
}
# Each view of a view set, by URL name, and the permission it needs.
VIEWSET_ACTIONS = {
    "list": "view",
    "list_results": "view",
    "index": "view",
    "index_results": "view",
    "usage": "view",
    "history": "view",
    "history_results": "view",
    "choose": "choose",
    "choose_results": "choose",
    "chosen": "choose",
    "chosen_multiple": "choose",
    "add": "add",
    "create": "add",
    "copy": "add",
    "edit": "change",
    "revisions_revert": "change",
    "revisions_compare": "change",
    "revisions_unschedule": "publish",
    "unpublish": "publish",
    "delete": "delete",
    "inspect": "view",
}
# The URL namespaces of our models' view sets (snippets, choosers, model view sets).
VIEWSET_NAMESPACES = {
    **{f"wagtailsnippets_{label.replace('.', '_')}": label for label in MODEL_ACCESS},
    **{f"wagtailsnippetchoosers_{label.replace('.', '_')}": label for label in MODEL_ACCESS},
    "newsletter_mailinglist": "newsletter.mailinglist",
    "newsletter_subscriber": "newsletter.subscriber",
    "newsletter_bounces": "newsletter.inboundmessage",
}
OUR_APPS = ("comms", "stats", "blogs", "campaign", "newsletter", "directory", "trustedresearch")
# SCIM provisioning (directory.scim): without the identity provider's bearer token, 401 for
# everyone, signed in or not (tests/directory/scim covers the token).
UNAUTHORISED = dict.fromkeys(ROLES, "unauthorised")
SCIM_ID = "00000000-0000-4000-8000-000000000000"
SCIM_URLS = (
    "/scim/v2/",
    "/scim/v2/.search",
    "/scim/v2/Users",
    "/scim/v2/Users/.search",
    f"/scim/v2/Users/{SCIM_ID}",
    "/scim/v2/Groups",
    "/scim/v2/Groups/.search",
    f"/scim/v2/Groups/{SCIM_ID}",
    "/scim/v2/ServiceProviderConfig",
    "/scim/v2/ResourceTypes",
    "/scim/v2/ResourceTypes/User",
    "/scim/v2/Schemas",
    "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
    "/scim/v2/Unknown",
)


def url_patterns(patterns=None, namespace=""):
    """Every URL pattern of the portal: (full name or None, pattern, the view's module)."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from url_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "view_class", entry.callback)
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield name, entry, view.__module__


def viewset_rows(portal) -> list[tuple[str, dict[str, str]]]:
    """One row per view of our models' view sets, with an object of the model for its pk."""
    rows = []
    for name, _, _ in url_patterns():
        namespace, _, action = (name or "").rpartition(":")
        if namespace not in VIEWSET_NAMESPACES:
            continue
        label = VIEWSET_NAMESPACES[namespace]
        kind = VIEWSET_ACTIONS.get(action, f"unknown view {action}")
        allowed = ADMIN_USERS if kind == "choose" else MODEL_ACCESS[label][kind]
        rows.append((viewset_url(name, label, action), only(*allowed)))
    return rows


def viewset_url(name: str, label: str, action: str) -> str:
    model = apps.get_model(label)
    instance = model.objects.order_by("pk").first()
    kwargs = {}
    with_pk = (
        "chosen",
        "edit",
        "delete",
        "usage",
        "history",
        "history_results",
        "copy",
        "inspect",
    )
    if action in with_pk or action == "unpublish":
        kwargs = {"pk": instance.pk}
    elif action in ("revisions_revert", "revisions_unschedule"):
        kwargs = {"pk": instance.pk, "revision_id": instance.latest_revision.pk}
    elif action == "revisions_compare":
        kwargs = {"pk": instance.pk, "revision_id_a": "earliest", "revision_id_b": "latest"}
    url = reverse(name, kwargs=kwargs)
    return f"{url}?id={instance.pk}" if action == "chosen_multiple" else url


def matrix(portal) -> list[tuple[str, dict[str, str]]]:
    stat = portal.statistic_id
    content = CONTENT
    return [
        ("/", SIGNED_IN),
        ("/blog/", SIGNED_IN),
        (portal.post_url, SIGNED_IN),
        ("/blog/feed/", SIGNED_IN),
        ("/statistics/", SIGNED_IN),
        (f"/statistics/{stat}/", SIGNED_IN),
        (f"/statistics/{stat}/card/", SIGNED_IN),
        ("/statistics/numbers/", SIGNED_IN),
        ("/campaign/", SIGNED_IN),
        (portal.phase_url, SIGNED_IN),
        # Both feeds: no token and no session goes to the login page; a forged token is
        # refused even beside a session (the token is checked first).
        ("/campaign/calendar.ics", SIGNED_IN),
        ("/campaign/calendar.ics?token=forged", dict.fromkeys(ROLES, "denied")),
        ("/blog/feed/?token=forged", dict.fromkeys(ROLES, "denied")),
        ("/newsletters/", SIGNED_IN),
        (portal.issue_url, SIGNED_IN),
        ("/healthz", EVERYONE),
        ("/favicon.ico", EVERYONE),
        ("/accounts/login/", EVERYONE),
        # Signing in with the identity provider: the break-glass password page is public like
        # the login page; with no provider configured (as here) its two views say so, 404
        # (tests/oidc/test_signin.py drives them against a real provider).
        ("/accounts/login/break-glass/", EVERYONE),
        ("/accounts/oidc/login/", dict.fromkeys(ROLES, "not found")),
        ("/accounts/oidc/callback/", dict.fromkeys(ROLES, "not found")),
        # Wagtail's own login and logout are the portal's (one sign-in page, and signing out
        # of the provider too): everyone is sent to the sign-in page, which the matrix counts
        # as a refusal for the signed in.
        ("/admin/login/", only()),
        ("/admin/logout/", POST_ONLY),
        (f"/unsubscribe/{portal.unsubscribe_token}/", EVERYONE),
        ("/unsubscribe/not-a-token/", dict.fromkeys(ROLES, "bad")),
        # An issue a comms lead shared: anyone with the address; a wrong token finds nothing.
        (f"/newsletters/public/{public_token()}/", EVERYONE),
        ("/newsletters/public/not-a-token/", dict.fromkeys(ROLES, "not found")),
        # A link in a mailed issue: no sign-in; a forged key is refused with a 400 for everyone
        # (a valid one redirects to the link's address: tests/newsletter/test_clicks.py).
        ("/newsletters/c/not-a-key/1/", dict.fromkeys(ROLES, "bad")),
        ("/admin/", only(*ADMIN_USERS)),
        (reverse("stats_numbers:enter"), only(*content)),
        (reverse("stats_numbers:import"), only(*content)),
        (reverse("stats_numbers:export"), only(*content)),
        (reverse("blogs_write_from_template", args=[portal.template_id]), only(*ADMIN_USERS)),
        (reverse("newsletter_issues:schedule", args=[portal.issue_id]), only(roles.COMMS_LEADS)),
        (reverse("newsletter_sends:index"), only(roles.COMMS_LEADS)),
        (reverse("newsletter_sends:detail", args=[portal.send_id]), only(roles.COMMS_LEADS)),
        (reverse("newsletter_sends:progress", args=[portal.send_id]), only(roles.COMMS_LEADS)),
        (
            reverse("newsletter_sends:deliveries_csv", args=[portal.send_id]),
            only(roles.COMMS_LEADS),
        ),
        (reverse("newsletter_subscriber_data:import"), only(roles.COMMS_LEADS)),
        (
            reverse("newsletter_subscriber_data:list_csv", args=[portal.list_id]),
            only(roles.COMMS_LEADS),
        ),
        (
            reverse("newsletter_subscriber_data:erase", args=[portal.subscriber_id]),
            only(roles.COMMS_LEADS),
        ),
        (
            reverse("newsletter_subscriber_data:personal_data", args=[portal.subscriber_id]),
            only(roles.COMMS_LEADS),
        ),
        (reverse("newsletter_sends:action", args=[portal.send_id]), ADMIN_POST_ONLY),
        # Issues are pages: whoever may add or edit pages assembles and test-sends them.
        (reverse("newsletter_issues:assemble"), only(*ADMIN_USERS)),
        (reverse("newsletter_issues:test", args=[portal.issue_id]), only(*ADMIN_USERS)),
        # Sharing an issue publicly decides who may read it: comms leads, as for sending.
        (reverse("newsletter_issues:share", args=[portal.issue_id]), only(roles.COMMS_LEADS)),
        # An issue's engagement report and its CSVs: whoever may read its sends' reports.
        (reverse("newsletter_issues:report", args=[portal.issue_id]), only(roles.COMMS_LEADS)),
        (
            reverse("newsletter_issues:report_days_csv", args=[portal.issue_id]),
            only(roles.COMMS_LEADS),
        ),
        (
            reverse("newsletter_issues:report_links_csv", args=[portal.issue_id]),
            only(roles.COMMS_LEADS),
        ),
        (reverse("logout"), POST_ONLY),
        # Each signed-in person replaces their own feed address (test_post_actions).
        (reverse("feed_token_replace"), POST_ONLY),
        *((url, UNAUTHORISED) for url in SCIM_URLS),
        *viewset_rows(portal),
        *admin_api_action_rows(portal),
    ]


def public_token() -> str:
    """The token of the shared issue ``matrix_portal`` makes."""
    from newsletter.models import PublicLink

    return PublicLink.objects.get().token


def admin_api_action_rows(portal) -> list[tuple[str, dict[str, str]]]:
    """Wagtail's admin API actions on a newsletter issue, one row per action the API offers (a
    new action in a Wagtail upgrade gets a row, and tests/comms/test_approval_paths.py
    fails until what it may do to a page that needs approval is decided and tested)."""
    from wagtail.admin.api.views import PagesAdminAPIViewSet

    return [
        (f"/admin/api/main/pages/{portal.issue_id}/action/{name}/", ADMIN_API_POST_ONLY)
        for name in sorted(PagesAdminAPIViewSet.actions)
    ]


def outcome(response, url: str) -> str:
    """What a visitor experiences, in the matrix's words (or the raw status if unexpected)."""
    location = response.get("Location", "")
    if response.status_code == 200:
        return "ok"
    if response.status_code == 400:
        return "bad"
    if response.status_code == 401:
        return "unauthorised"
    if response.status_code == 403:
        return "denied"
    if response.status_code == 404:
        return "not found"
    if response.status_code == 405:
        return "post only"
    if response.status_code == 302 and location.startswith(reverse("login")):
        return "login" if "next=" in location and "?" in location else "denied"
    if response.status_code == 302 and location and not location.startswith(url):
        return "denied"
    return f"{response.status_code} {location}".strip()


@pytest.fixture
def matrix_portal(portal):
    """The portal, plus one object of each model whose admin views the matrix visits."""
    import secrets

    from campaign.models import CampaignIntro
    from newsletter.models import InboundMessage, PublicLink
    from stats.models import Source, Statistic

    PublicLink.objects.create(issue_id=portal.issue_id, token=secrets.token_urlsafe(32))
    InboundMessage.objects.create(
        source="pipe", kind="unknown", status="review", subject="Question", raw=b"Subject: ?"
    )
    ActivityFactory()
    EndorserFactory()
    for model in (Statistic, Source, CampaignIntro):
        model.objects.order_by("pk").first().save_revision()
    return portal


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, matrix_portal, client):
    portal = matrix_portal
    if role != ANON:
        client.force_login(UserFactory(username=f"matrix-{role[:8].lower()}", role=role))
    wrong = []
    for url, expected in matrix(portal):
        response = client.get(url)
        got = outcome(response, url)
        if role != ANON and got == "login":
            # A signed-in user sent to the login page is being refused, not asked to sign in.
            got = "denied"
        if got != expected[role]:
            wrong.append(f"{url}: expected {expected[role]}, got {got}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


def test_anonymous_visitor_comes_back_to_the_page_asked_for(client, portal):
    response = client.get("/statistics/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/statistics/"


@pytest.mark.parametrize("role", ROLES)
def test_post_actions(role, portal, client):
    """Our admin actions that change something, POSTed by each role: done only for the roles
    allowed, and nothing changes for the others."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wagtail.models import ModelLogEntry

    from newsletter.models import MailingList, NewsletterIssuePage, PublicLink, Send, Subscriber

    if role != ANON:
        client.force_login(UserFactory(username=f"post-{role[:8].lower()}", role=role))
    issues_before = NewsletterIssuePage.objects.count()
    client.post(reverse("newsletter_sends:action", args=[portal.send_id]), {"action": "cancel"})
    client.post(
        reverse("newsletter_subscriber_data:erase", args=[portal.subscriber_id]),
        {"confirm": "reader@example.ac.uk"},
    )
    client.post(
        reverse("newsletter_subscriber_data:import"),
        {
            "mailing_list_name": "Imported",
            "csv_file": SimpleUploadedFile("people.csv", b"email\nnew@example.ac.uk\n"),
        },
    )
    client.post(reverse("newsletter_issues:assemble"), {"title": "Posted by a matrix role"})
    client.post(reverse("feed_token_replace"), {"next": "/blog/"})
    client.post(reverse("newsletter_issues:share", args=[portal.issue_id]), {"action": "share"})

    done = {
        "cancel a send": Send.objects.get(pk=portal.send_id).state == Send.State.CANCELLED,
        "erase a subscriber": not Subscriber.objects.filter(email="reader@example.ac.uk").exists(),
        "import subscribers": MailingList.objects.filter(name="Imported").exists(),
        "assemble an issue": NewsletterIssuePage.objects.count() > issues_before,
        "replace your feed address": ModelLogEntry.objects.filter(
            action="comms.feed_token.replace"
        ).exists(),
        "share an issue publicly": PublicLink.objects.filter(issue_id=portal.issue_id).exists(),
    }
    lead_only = role == roles.COMMS_LEADS
    expected = {
        "cancel a send": lead_only,
        "erase a subscriber": lead_only,
        "import subscribers": lead_only,
        "assemble an issue": role in ADMIN_USERS,
        "replace your feed address": role != ANON,
        "share an issue publicly": lead_only,
    }
    assert done == expected


def test_every_url_of_ours_is_in_the_matrix(matrix_portal):
    """A URL of ours with no row in the matrix fails here: add its row, with who may open it."""
    covered = {resolve(url.split("?")[0]).view_name for url, _ in matrix(matrix_portal)}
    ours = set()
    for name, pattern, module in url_patterns():
        namespace = (name or "").rpartition(":")[0]
        top_level = pattern in get_resolver().url_patterns
        if module.split(".")[0] in OUR_APPS or namespace in VIEWSET_NAMESPACES or top_level:
            ours.add(name or f"{module} {pattern.pattern}")
    missing = sorted(ours - covered)
    assert not missing, "URLs of ours with no row in the permission matrix:\n" + "\n".join(missing)

"""The permission matrix: every URL of the portal and every admin view of ours, for every role.

Each role is one test that visits every URL and reports every cell that differs, so a failure
shows the whole picture. Expected outcomes:

- ``ok``: 200.
- ``login``: 302 to the login page, which brings the visitor back afterwards.
- ``denied``: refused. Our views answer 403; Wagtail's admin turns a refusal into a redirect
  away from the page (to the admin home, or to the login page for users without admin access).
- ``bad``: 400 (a bad unsubscribe token; nothing is revealed).
"""

from django.urls import reverse

import pytest

from comms import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ANON = "anonymous"
ROLES = (ANON, roles.STAFF, roles.EDITORS, roles.SENIOR_OWNERS, roles.COMMS_LEADS)
EVERYONE = dict.fromkeys(ROLES, "ok")
SIGNED_IN = {**EVERYONE, ANON: "login"}
ADMIN_USERS = {roles.EDITORS, roles.SENIOR_OWNERS, roles.COMMS_LEADS}


def only(*allowed: str) -> dict[str, str]:
    """Admin views: anonymous to the login page, the ``allowed`` roles in, the others refused."""
    return {role: "ok" if role in allowed else "denied" for role in ROLES} | {ANON: "login"}


def matrix(portal) -> list[tuple[str, dict[str, str]]]:
    stat = portal.statistic_id
    content = (roles.EDITORS, roles.SENIOR_OWNERS)
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
        # Calendar clients cannot follow a login page: no session and no token is refused.
        ("/campaign/calendar.ics", {**EVERYONE, ANON: "denied"}),
        ("/campaign/calendar.ics?token=forged", {**EVERYONE, ANON: "denied"}),
        # A forged blog feed token is refused even beside a session (the token is checked first).
        ("/blog/feed/?token=forged", dict.fromkeys(ROLES, "denied")),
        ("/newsletters/", SIGNED_IN),
        (portal.issue_url, SIGNED_IN),
        ("/healthz", EVERYONE),
        ("/accounts/login/", EVERYONE),
        (f"/unsubscribe/{portal.unsubscribe_token}/", EVERYONE),
        ("/unsubscribe/not-a-token/", dict.fromkeys(ROLES, "bad")),
        ("/admin/", only(*ADMIN_USERS)),
        (reverse("stats_numbers:enter"), only(*content)),
        (reverse("stats_numbers:import"), only(*content)),
        (reverse("stats_numbers:export"), only(*content)),
        (reverse("blogs_write_from_template", args=[portal.template_id]), only(*ADMIN_USERS)),
        (reverse("newsletter_schedule", args=[portal.issue_id]), only(roles.COMMS_LEADS)),
        (reverse("newsletter_send_list"), only(roles.COMMS_LEADS)),
        (reverse("newsletter_send_detail", args=[portal.send_id]), only(roles.COMMS_LEADS)),
        (reverse("newsletter_send_progress", args=[portal.send_id]), only(roles.COMMS_LEADS)),
        (reverse("newsletter_send_csv", args=[portal.send_id]), only(roles.COMMS_LEADS)),
        (reverse("newsletter_import"), only(roles.COMMS_LEADS)),
        (reverse("newsletter_list_export", args=[portal.list_id]), only(roles.COMMS_LEADS)),
        (
            reverse("newsletter_subscriber_privacy", args=[portal.subscriber_id]),
            only(roles.COMMS_LEADS),
        ),
        (
            reverse("newsletter_subscriber_data", args=[portal.subscriber_id]),
            only(roles.COMMS_LEADS),
        ),
    ]


def outcome(response, url: str) -> str:
    """What a visitor experiences, in the matrix's words (or the raw status if unexpected)."""
    location = response.get("Location", "")
    if response.status_code == 200:
        return "ok"
    if response.status_code == 400:
        return "bad"
    if response.status_code == 403:
        return "denied"
    if response.status_code == 302 and location.startswith(reverse("login")):
        return "login" if "next=" in location and "?" in location else "denied"
    if response.status_code == 302 and location and not location.startswith(url):
        return "denied"
    return f"{response.status_code} {location}".strip()


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, portal, client):
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


def test_staff_cannot_post_to_admin_actions(client, portal):
    client.force_login(UserFactory(username="matrix-staff-post", role=roles.STAFF))
    action = reverse("newsletter_send_action", args=[portal.send_id])
    response = client.post(action, {"action": "cancel"})
    assert response.status_code in (302, 403)
    from newsletter.models import Send

    assert Send.objects.get(pk=portal.send_id).state != "cancelled"


def test_editor_cannot_cancel_a_send(client, portal):
    from newsletter.models import Send

    client.force_login(UserFactory(username="matrix-editor-post", role=roles.EDITORS))
    response = client.post(
        reverse("newsletter_send_action", args=[portal.send_id]), {"action": "cancel"}
    )
    assert response.status_code in (302, 403)
    assert Send.objects.get(pk=portal.send_id).state != "cancelled"

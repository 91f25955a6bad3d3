"""The comms lead's dashboard panel: latest sends, approved issues not sent yet, drafts."""

import json

import pytest

from newsletter.services.sends import send_schedule
from tests.factories import MailingListFactory, newsletter_issue, subscribe_many

pytestmark = pytest.mark.django_db


def test_comms_lead_sees_sends_unsent_issues_and_drafts(client_as, comms_lead):
    sent = newsletter_issue("March issue")
    audience = MailingListFactory()
    subscribe_many(audience, ["a@example.ac.uk"])
    send_schedule(issue=sent, lists=[audience], at=None, user=comms_lead)
    newsletter_issue("April issue")
    newsletter_issue("May issue", publish=False)

    html = client_as(comms_lead).get("/admin/").content.decode()
    panel = html[html.index('id="newsletter-content"') :]
    latest = panel[panel.index("Latest sends") : panel.index("Approved, not sent yet")]
    unsent = panel[panel.index("Approved, not sent yet") : panel.index("Drafts")]
    drafts = panel[panel.index("Drafts") :]
    assert "March issue" in latest and "Scheduled" in latest
    assert "April issue" in unsent and "March issue" not in unsent and "Schedule send" in unsent
    assert "May issue" in drafts


def test_editors_do_not_get_the_newsletter_panel(client_as, editor):
    html = client_as(editor).get("/admin/").content.decode()
    assert "Latest sends" not in html


def _sidebar_labels(html: str) -> list[str]:
    """Every menu label in the admin sidebar, as the sidebar script receives them."""
    start = html.index('id="wagtail-sidebar-props"')
    props = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    labels = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("label"), str):
                labels.append(node["label"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(props)
    return labels


def test_newsletter_menu_lists_each_item_once(client_as, comms_lead):
    labels = _sidebar_labels(client_as(comms_lead).get("/admin/").content.decode())
    for label in ("Mailing lists", "Subscribers", "Sends", "Import subscribers"):
        assert labels.count(label) == 1, (label, labels)

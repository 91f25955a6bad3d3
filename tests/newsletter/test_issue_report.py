"""The comms lead's engagement report for an issue: its sends' delivered, failed, bounced and
unsubscribed figures beside the clicks, distinct clickers and click-through rate, the issue's
readers on the portal day by day (a chart and a table), its links ranked by clicks, and the
same as CSV. Built from the mail the real SMTP server received and the pages a reader opened."""

import csv
import io
import re
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest

from comms.services.engagement_reads import reads_fold
from newsletter.models import Subscriber
from newsletter.selectors import issue_engagement
from newsletter.services.bounces import bounce_process
from tests.factories import newsletter_issue
from tests.newsletter.test_clicks import NPSA, lead, link_to, path_of, sent  # noqa: F401

pytestmark = pytest.mark.django_db

BLOG = "http://testserver/blog/"


@pytest.fixture
def engaged(sent, staff_user):  # noqa: F811
    """Ann clicks the NPSA link twice and the blog once, Bob the NPSA link once; Cat unsubscribes
    with her link; a signed-in member of staff opens the issue on the portal (twice, one day)."""
    send, received = sent
    ann, bob, cat = (received[f"{name}@example.ac.uk"] for name in ("ann", "bob", "cat"))
    for url in (link_to(ann, NPSA), link_to(ann, NPSA), link_to(ann, BLOG), link_to(bob, NPSA)):
        assert Client().get(path_of(url)).status_code == 302
    unsubscribe = re.search(r"/unsubscribe/[^/\s\"<>]+/", cat.get_body(("plain",)).get_content())
    assert Client().post(unsubscribe.group(0)).status_code == 200
    reader = Client()
    reader.force_login(staff_user)
    for _ in range(2):
        assert reader.get(send.issue.url).status_code == 200
    reads_fold()
    return send


def figure(page: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', page).group(1)


def test_the_report_shows_readers_clicks_click_through_and_unsubscribes(
    engaged, client_as, comms_lead
):
    page = client_as(comms_lead).get(reverse("newsletter_issues:report", args=[engaged.issue_id]))
    assert page.status_code == 200
    text = page.text
    assert (figure(text, "readers"), figure(text, "sent"), figure(text, "clicks")) == (
        "1",
        "3",
        "4",
    )
    assert figure(text, "clickers") == "2"
    assert figure(text, "click-through") == "66.7%"  # 2 people of 3 delivered
    assert figure(text, "unsubscribed") == "1"
    sends = re.search(r'id="issue-report-sends".*?</table>', text, re.S).group(0)
    assert f"Send {engaged.pk}" in sends and "All staff" in sends
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in text and "Readers on the portal" in text


def test_links_are_ranked_by_clicks(engaged, client_as, comms_lead):
    page = client_as(comms_lead).get(reverse("newsletter_issues:report", args=[engaged.issue_id]))
    links = re.search(r'id="issue-report-links".*?</table>', page.text, re.S).group(0)
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", links)
    assert rows[:2] == [(NPSA.replace("&", "&amp;"), "3"), (BLOG, "1")]
    assert all(int(clicks) == 0 for _, clicks in rows[2:])
    assert [int(clicks) for _, clicks in rows] == sorted((int(c) for _, c in rows), reverse=True)


def test_the_csv_exports_give_each_day_and_each_link(engaged, client_as, comms_lead):
    client = client_as(comms_lead)
    days = client.get(reverse("newsletter_issues:report_days_csv", args=[engaged.issue_id]))
    assert days["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(days.content.decode())))
    assert rows[0] == ["date", "portal_readers", "email_clicks"]
    assert rows[-1] == [timezone.localdate().isoformat(), "1", "4"]
    links = client.get(reverse("newsletter_issues:report_links_csv", args=[engaged.issue_id]))
    rows = list(csv.reader(io.StringIO(links.content.decode())))
    assert rows[0] == ["link", "clicks"]
    assert rows[1:3] == [[NPSA, "3"], [BLOG, "1"]]
    assert 'filename="issue-' in links["Content-Disposition"]


def test_a_hard_bounce_of_the_send_shows_in_the_report(engaged, sent, client_as, comms_lead):  # noqa: F811
    """Bob's message comes back as a hard bounce (a Postfix DSN quoting its Message-ID)."""
    _, received = sent
    dsn = (Path(__file__).parent / "returned" / "postfix_dsn_5_1_1.eml").read_bytes()
    dsn = dsn.replace(b"MESSAGE_ID", received["bob@example.ac.uk"]["Message-ID"].encode())
    bounce_process(dsn.replace(b"RECIPIENT", b"bob@example.ac.uk"), source="pipe")
    assert Subscriber.objects.get(email="bob@example.ac.uk").status == Subscriber.Status.BOUNCED
    report = issue_engagement(engaged.issue)
    assert [one.send.pk for one in report.sends] == [engaged.pk]
    assert (report.total.bounced, report.total.failed) == (1, 0)
    page = client_as(comms_lead).get(reverse("newsletter_issues:report", args=[engaged.issue_id]))
    sends = re.search(r'id="issue-report-sends".*?</table>', page.text, re.S).group(0)
    assert "<td>3</td><td>0</td><td>1</td><td>1</td>" in sends  # delivered, failed, bounced, unsub


def test_an_issue_not_sent_yet_says_so(client_as, comms_lead):
    issue = newsletter_issue("Not sent yet")
    page = client_as(comms_lead).get(reverse("newsletter_issues:report", args=[issue.pk]))
    assert page.status_code == 200
    assert "This issue has not been sent yet." in page.text
    assert figure(page.text, "click-through") == "–"
    assert client_as(comms_lead).get("/admin/newsletter/report/999999/").status_code == 404


def test_the_report_is_a_button_on_the_issue_and_linked_from_the_send(
    engaged, client_as, comms_lead, editor
):
    report = reverse("newsletter_issues:report", args=[engaged.issue_id])
    edit = reverse("wagtailadmin_pages:edit", args=[engaged.issue_id])
    assert report in client_as(comms_lead).get(edit).text
    assert report not in client_as(editor).get(edit).text  # editors do not read reports
    detail = client_as(comms_lead).get(reverse("newsletter_sends:detail", args=[engaged.pk]))
    assert report in detail.text
    listing = client_as(comms_lead).get(reverse("newsletter_sends:index"))
    assert report in listing.text

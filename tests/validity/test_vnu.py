"""Valid HTML (the Nu HTML Checker, vnu): every reader page, the login page, the unsubscribe
pages and the newsletter email have no errors. Warnings and info messages are allowed."""

from django.urls import reverse

import pytest

from comms import roles
from newsletter.rendering import render_issue
from tests.factories import UserFactory
from tests.security.content import portal_content, reader_urls, realistic_newsletter_issue
from tests.validity.conftest import errors_report

pytestmark = pytest.mark.django_db


def fetch(client, url: str, status: int = 200, **post) -> str:
    response = client.post(url, post) if post else client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_pages_and_the_newsletter_email_are_valid_html(client, vnu_check):
    portal = portal_content()
    issue = realistic_newsletter_issue()
    unsubscribe = f"/unsubscribe/{portal.unsubscribe_token}/"
    login = reverse("login")
    documents = {
        "login": fetch(client, login),
        "login, wrong password": fetch(client, login, username="nobody", password="wrong"),
        "unsubscribe": fetch(client, unsubscribe),
        "unsubscribed": fetch(client, unsubscribe, action="unsubscribe"),
        "resubscribed": fetch(client, unsubscribe, action="resubscribe"),
        "unsubscribe, bad token": fetch(client, "/unsubscribe/not-a-token/", status=400),
    }
    html, _ = render_issue(issue).personalise(
        unsubscribe_url=f"https://portal.example.ac.uk{unsubscribe}"
    )
    documents["newsletter email (HTML part)"] = html
    client.force_login(UserFactory(username="vnu-reader", role=roles.STAFF))
    for url in [*reader_urls(portal), issue.url]:
        documents[url] = fetch(client, url)

    results = vnu_check(documents)

    report = errors_report(results)
    assert not report, "The Nu HTML Checker found errors:\n" + report


def test_the_checker_reports_an_error_when_there_is_one(vnu_check):
    # The harness itself: a document with an error must be caught, or the check above proves
    # nothing.
    results = vnu_check(
        {"broken": '<!DOCTYPE html><html lang="en"><title>x</title><p id="a" id="a">x</p>'}
    )
    assert "Duplicate attribute" in errors_report(results)

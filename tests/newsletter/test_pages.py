"""The newsletter archive at /newsletters/ and an issue's web page (issue 7 extends them)."""

import pytest

from tests.factories import newsletter_issue

pytestmark = pytest.mark.django_db


def test_archive_lists_published_issues(client_as, staff_user):
    published = newsletter_issue(title="March issue")
    newsletter_issue(title="Draft issue", publish=False)
    client = client_as(staff_user)
    archive = client.get("/newsletters/")
    assert archive.status_code == 200
    content = archive.content.decode()
    assert "March issue" in content and "Draft issue" not in content
    page = client.get(published.url)
    assert page.status_code == 200
    assert "Spotlight" in page.content.decode()

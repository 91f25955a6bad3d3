"""The issue's admin views: the test send refuses an address with a control character."""

from django.core import mail
from django.urls import reverse

import pytest

from tests.factories import newsletter_issue

pytestmark = pytest.mark.django_db


def test_test_send_refuses_control_characters_in_the_address(client_as, comms_lead):
    issue = newsletter_issue()
    response = client_as(comms_lead).post(
        reverse("newsletter_issues:test", args=[issue.pk]), {"email": '"a\x07b"@example.ac.uk'}
    )
    assert response.status_code == 200
    assert "contains a line break or control character; remove it." in response.content.decode()
    assert mail.outbox == []

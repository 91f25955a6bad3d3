"""Preview modes (web, HTML email, text) and "Send me a test" through a real SMTP server."""

import email
import email.policy

import pytest

from tests.factories import newsletter_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    return newsletter_issue(
        "Preview issue",
        body=[("heading", "Spotlight"), ("rich_text", '<p>See <a href="/blog/">the blog</a>.</p>')],
    )


def test_preview_modes(issue, client_as, comms_lead, rf):
    client = client_as(comms_lead)
    assert [mode for mode, _ in issue.preview_modes] == ["", "email", "text"]
    edit = client.get(f"/admin/pages/{issue.pk}/edit/")
    assert "Email (HTML)" in edit.content.decode() and "Email (text)" in edit.content.decode()
    request = rf.get("/")
    request.user = comms_lead
    web = issue.make_preview_request(request, "")
    assert "<nav" in web.content.decode() and "Spotlight" in web.content.decode()
    html = issue.make_preview_request(request, "email")
    assert 'role="presentation"' in html.content.decode()
    assert 'href="http://testserver/blog/"' in html.content.decode()
    text = issue.make_preview_request(request, "text")
    assert text["Content-Type"].startswith("text/plain")
    assert "Spotlight\n---------" in text.content.decode()


def test_send_me_a_test_arrives_as_multipart_alternative(issue, client_as, comms_lead, smtp):
    client = client_as(comms_lead)
    edit = client.get(f"/admin/pages/{issue.pk}/edit/").content.decode()
    assert "Send me a test" in edit
    form = client.get(f"/admin/newsletter/test/{issue.pk}/").content.decode()
    assert comms_lead.email in form  # prefilled with the user's own address
    response = client.post(f"/admin/newsletter/test/{issue.pk}/", {"email": comms_lead.email})
    assert response.status_code == 302
    assert smtp.recipients() == [comms_lead.email]
    message = email.message_from_bytes(smtp.messages[0][1], policy=email.policy.default)
    assert message["Subject"] == "[TEST] Preview issue"
    assert message.get_content_type() == "multipart/alternative"
    types = [part.get_content_type() for part in message.iter_parts()]
    assert types == ["text/plain", "text/html"]
    assert "Spotlight" in message.get_body(("plain",)).get_content()
    assert f"Test sent to {comms_lead.email}" in client.get(response["Location"]).content.decode()


def test_invalid_address_is_a_field_error(issue, client_as, comms_lead, smtp):
    response = client_as(comms_lead).post(f"/admin/newsletter/test/{issue.pk}/", {"email": "nope"})
    assert response.status_code == 200
    assert "Enter an email address like name@example.ac.uk." in response.content.decode()
    assert smtp.recipients() == []


def test_smtp_down_is_a_clear_message(issue, client_as, comms_lead, settings):
    from tests.services import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    response = client_as(comms_lead).post(
        f"/admin/newsletter/test/{issue.pk}/", {"email": comms_lead.email}, follow=True
    )
    assert response.status_code == 200
    assert "The test was not sent: the mail server could not be reached" in (
        response.content.decode()
    )


def test_staff_cannot_send_tests(issue, client_as, staff_user, smtp):
    response = client_as(staff_user).post(
        f"/admin/newsletter/test/{issue.pk}/", {"email": "x@example.ac.uk"}
    )
    assert response.status_code in (302, 403)
    assert smtp.recipients() == []

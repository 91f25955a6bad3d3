"""Upload limits: request bodies, Wagtail images and documents, and our own CSV imports."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest

from comms import roles
from tests.factories import MetricFactory, UserFactory

pytestmark = pytest.mark.django_db

FIVE_MB = 5 * 1024 * 1024
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + bytes(64)


def test_request_and_media_limits_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= FIVE_MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= FIVE_MB
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE <= FIVE_MB
    assert set(settings.WAGTAILIMAGES_EXTENSIONS) <= {"gif", "jpg", "jpeg", "png", "webp"}
    # No document type a browser would run as a page or a script.
    dangerous = {"html", "htm", "svg", "js", "exe", "xhtml", "php"}
    assert settings.WAGTAILDOCS_EXTENSIONS
    assert not dangerous & set(settings.WAGTAILDOCS_EXTENSIONS)


def test_a_large_form_body_is_refused(client):
    client.force_login(UserFactory(username="big-body", role=roles.EDITORS))
    response = client.post(
        reverse("stats_numbers:enter"), {"note": "x" * (FIVE_MB + 1)}, follow=False
    )
    assert response.status_code == 400


@pytest.fixture
def editor_client(client):
    MetricFactory(slug="sessions-delivered", name="Sessions delivered", unit="sessions")
    client.force_login(UserFactory(username="upload-editor", role=roles.EDITORS))
    return client


def test_figures_import_refuses_a_file_over_the_limit(editor_client):
    big = SimpleUploadedFile("figures.csv", b"period,metric,value,note\n" + b"x" * FIVE_MB)
    response = editor_client.post(reverse("stats_numbers:import"), {"file": big})
    assert response.status_code == 200
    assert "larger than 2 MB" in response.content.decode()


def test_figures_import_refuses_a_file_that_is_not_csv(editor_client):
    image = SimpleUploadedFile("figures.csv", PNG, content_type="image/png")
    response = editor_client.post(reverse("stats_numbers:import"), {"file": image})
    from stats.models import MetricValue

    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()
    assert not MetricValue.objects.exists()


@pytest.fixture
def lead_client(client):
    client.force_login(UserFactory(username="upload-lead", role=roles.COMMS_LEADS))
    return client


def test_subscriber_import_refuses_a_file_over_its_limit(lead_client):
    from newsletter.models import Subscriber

    big = SimpleUploadedFile("people.csv", b"email\n" + b"x" * (20 * 1024 * 1024 + 1))
    response = lead_client.post(
        reverse("newsletter_import"), {"mailing_list_name": "All staff", "csv_file": big}
    )
    assert response.status_code == 200
    assert "larger than 20 MB" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_subscriber_import_refuses_a_file_that_is_not_csv(lead_client):
    from newsletter.models import Subscriber

    image = SimpleUploadedFile("people.csv", PNG, content_type="image/png")
    response = lead_client.post(
        reverse("newsletter_import"), {"mailing_list_name": "All staff", "csv_file": image}
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert "UTF-8" in response.content.decode() or "email" in response.content.decode()

"""Upload limits: request bodies, Wagtail images and documents, and our own CSV imports.
Each bad case (too big, wrong type) is refused with a message naming the limit, and nothing
is saved."""

import io
import os

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
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE <= 2 * FIVE_MB
    assert not dangerous & set(settings.WAGTAILDOCS_EXTENSIONS)


def test_a_large_form_body_is_refused(client):
    client.force_login(UserFactory(username="big-body", role=roles.EDITORS))
    response = client.post(
        reverse("stats_numbers:enter"), {"note": "x" * (FIVE_MB + 1)}, follow=False
    )
    assert response.status_code == 400


def test_a_form_with_too_many_fields_is_refused(client):
    client.force_login(UserFactory(username="many-fields", role=roles.EDITORS))
    fields = {f"field{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    response = client.post(reverse("stats_numbers:enter"), fields)
    assert response.status_code == 400


TWELVE_MB = 12 * 1024 * 1024


def test_an_upload_over_the_request_limit_is_refused_before_it_is_read(client):
    # Django streams uploaded files to disk whatever their size; the form's own limit is
    # checked only once the whole file is stored. The body limit refuses it at the door.
    from wagtail.documents.models import Document

    client.force_login(UserFactory(username="huge-upload", role=roles.EDITORS))
    response = document_post(client, "report.pdf", b"%PDF-1.4\n" + bytes(TWELVE_MB))
    assert response.status_code == 413
    message = response.content.decode().replace("\u00a0", " ")
    assert "more than the 11.0 MB the portal accepts in one request" in message
    assert "make the file smaller" in message
    assert not Document.objects.exists()


def test_a_large_json_body_to_the_admin_api_is_refused(client):
    # The admin API reads JSON bodies itself, without Django's form-data bound.
    from wagtail.models import Page

    client.force_login(UserFactory(username="huge-json", is_superuser=True))
    page = Page.objects.filter(depth=2).first()
    body = b'{"destination_page_id": 1, "padding": "' + b"x" * TWELVE_MB + b'"}'
    response = client.post(
        f"/admin/api/main/pages/{page.pk}/action/copy/", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert Page.objects.count() == 2


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

    big = SimpleUploadedFile("people.csv", b"email\n" + b"a@example.ac.uk\n" * (FIVE_MB // 16))
    response = lead_client.post(
        reverse("newsletter_subscriber_data:import"),
        {"mailing_list_name": "All staff", "csv_file": big},
    )
    assert response.status_code == 200
    assert "The file is larger than 5 MB, the limit for an import here." in (
        response.content.decode()
    )
    assert not Subscriber.objects.exists()


def test_subscriber_import_refuses_a_file_that_is_not_csv(lead_client):
    from newsletter.models import Subscriber

    image = SimpleUploadedFile("people.csv", PNG, content_type="image/png")
    response = lead_client.post(
        reverse("newsletter_subscriber_data:import"),
        {"mailing_list_name": "All staff", "csv_file": image},
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert "UTF-8" in response.content.decode() or "email" in response.content.decode()


# --- Wagtail images and documents: too big or the wrong type is refused, nothing is saved ---


def png_of_size(size: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue().ljust(size, b"\0")


def image_post(client, name: str, content: bytes, *, multiple: bool = False):
    upload = SimpleUploadedFile(name, content)
    if multiple:
        return client.post(reverse("wagtailimages:add_multiple"), {"files[]": upload})
    return client.post(reverse("wagtailimages:add"), {"title": "Upload", "file": upload})


def document_post(client, name: str, content: bytes, *, multiple: bool = False):
    upload = SimpleUploadedFile(name, content)
    if multiple:
        return client.post(reverse("wagtaildocs:add_multiple"), {"files[]": upload})
    return client.post(reverse("wagtaildocs:add"), {"title": "Upload", "file": upload})


def refused(response, message: str, *, multiple: bool) -> bool:
    if multiple:
        data = response.json()
        return data["success"] is False and message in data.get("error_message", str(data))
    return response.status_code == 200 and message in response.content.decode()


@pytest.mark.parametrize("multiple", [False, True], ids=["add", "add multiple"])
def test_an_image_over_5_mb_is_refused(editor_client, multiple):
    from wagtail.images.models import Image

    response = image_post(editor_client, "poster.png", png_of_size(FIVE_MB + 1), multiple=multiple)
    assert refused(response, "This file is too big", multiple=multiple)
    assert "Maximum filesize 5.0" in response.content.decode().replace("\u00a0", " ")
    assert not Image.objects.exists()


@pytest.mark.parametrize("multiple", [False, True], ids=["add", "add multiple"])
@pytest.mark.parametrize(
    "name, content",
    [
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("page.html", b"<script>alert(1)</script>"),
        ("poster.png", b"this is not an image"),
    ],
    ids=["svg", "html", "renamed text"],
)
def test_a_file_that_is_not_an_allowed_image_is_refused(editor_client, name, content, multiple):
    from wagtail.images.models import Image

    response = image_post(editor_client, name, content, multiple=multiple)
    assert refused(response, "Not a supported image format", multiple=multiple) or refused(
        response, "Upload a valid image", multiple=multiple
    )
    assert not Image.objects.exists()


@pytest.mark.parametrize("multiple", [False, True], ids=["add", "add multiple"])
def test_a_document_over_10_mb_is_refused(editor_client, multiple):
    from wagtail.documents.models import Document

    big = b"%PDF-1.4\n" + bytes(settings.WAGTAILDOCS_MAX_UPLOAD_SIZE)
    response = document_post(editor_client, "report.pdf", big, multiple=multiple)
    assert refused(response, "This file is too big", multiple=multiple)
    assert "Maximum filesize 10.0" in response.content.decode().replace("\u00a0", " ")
    assert not Document.objects.exists()


@pytest.mark.parametrize("multiple", [False, True], ids=["add", "add multiple"])
@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "tool.exe", "script.js"])
def test_a_document_of_a_type_not_allowed_is_refused(editor_client, name, multiple):
    from wagtail.documents.models import Document

    response = document_post(editor_client, name, b"<script>alert(1)</script>", multiple=multiple)
    assert refused(response, "File extension", multiple=multiple)
    assert "Allowed extensions are: csv, docx" in response.content.decode()
    assert not Document.objects.exists()


def test_an_allowed_document_is_saved(editor_client):
    # The refusals above are the limits, not a broken upload.
    from wagtail.documents.models import Document

    response = document_post(editor_client, "report.pdf", b"%PDF-1.4\n%%EOF\n")
    assert response.status_code == 302
    assert Document.objects.get().title == "Upload"


# --- A damaged image (its bytes cut off halfway) is a form error, never a server error ---


def cut_in_half(image_format: str, size: int = 600) -> bytes:
    """An image of ``size`` px whose file stops halfway, as a failed download or copy leaves it.
    Noise, so the encoded data is large and the cut falls inside the pixels."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.frombytes("RGB", (size, size), os.urandom(size * size * 3)).save(
        buffer, format=image_format
    )
    data = buffer.getvalue()
    return data[: len(data) // 2]


DAMAGED = "The image file is damaged or incomplete"


@pytest.mark.parametrize("multiple", [False, True], ids=["add", "add multiple"])
@pytest.mark.parametrize("name, image_format", [("cut.png", "PNG"), ("cut.jpg", "JPEG")])
def test_a_truncated_image_is_a_form_error(editor_client, name, image_format, multiple):
    from wagtail.images.models import Image

    response = image_post(editor_client, name, cut_in_half(image_format), multiple=multiple)
    assert response.status_code == 200
    assert refused(response, DAMAGED, multiple=multiple)
    assert not Image.objects.exists()


@pytest.mark.parametrize("name, image_format", [("cut.png", "PNG"), ("cut.jpg", "JPEG")])
def test_a_truncated_image_in_the_chooser_upload_is_a_form_error(editor_client, name, image_format):
    from wagtail.images.models import Image

    upload = SimpleUploadedFile(name, cut_in_half(image_format))
    response = editor_client.post(
        reverse("wagtailimages_chooser:create"),
        {"image-chooser-upload-title": "Upload", "image-chooser-upload-file": upload},
    )
    assert response.status_code == 200
    assert DAMAGED in response.content.decode()
    assert not Image.objects.exists()


@pytest.mark.parametrize("name, image_format", [("cut.png", "PNG"), ("cut.jpg", "JPEG")])
def test_a_truncated_profile_picture_is_a_form_error(editor_client, name, image_format):
    from wagtail.users.models import UserProfile

    upload = SimpleUploadedFile(name, cut_in_half(image_format))
    account = {  # the other panels of the account page, as they are
        "name_email-first_name": "Upload",
        "name_email-last_name": "Editor",
        "name_email-email": "upload-editor@example.ac.uk",
        "locale-preferred_language": "en-gb",
        "locale-current_time_zone": "",
        "theme-theme": "system",
        "theme-contrast": "system",
        "theme-density": "default",
    }
    response = editor_client.post(
        reverse("wagtailadmin_account"), {**account, "avatar-avatar": upload}
    )
    assert response.status_code == 200
    # Django's image field already refuses some damaged files, in its own words.
    html = response.content.decode()
    assert DAMAGED in html or "Upload a valid image" in html
    assert not UserProfile.objects.exclude(avatar="").exists()


def test_a_whole_image_is_still_accepted(editor_client):
    from wagtail.images.models import Image

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (600, 600), "white").save(buffer, format="PNG")
    response = image_post(editor_client, "whole.png", buffer.getvalue())
    assert response.status_code == 302
    assert Image.objects.get().width == 600

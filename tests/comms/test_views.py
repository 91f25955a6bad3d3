"""Site-wide views of comms: the favicon."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.test import Client

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_served_to_anyone_and_every_page_links_the_icon(client_as, staff_user):
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # ICO header
    assert "max-age=" in response["Cache-Control"]

    html = client_as(staff_user).get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html
    svg = finders.find("favicon.svg")
    assert svg and Path(svg).read_text(encoding="utf-8").startswith("<svg")

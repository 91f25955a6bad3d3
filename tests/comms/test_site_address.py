"""The default Wagtail Site follows WAGTAILADMIN_BASE_URL after every migrate, so page links
(``full_url``, in workflow emails) carry the address the portal is served at; dev's default is
what `make run` serves. The workflow email itself: tests/newsletter/test_approval.py."""

import os
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from wagtail.models import Site

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_https_base_url_gives_an_https_site(settings):
    settings.WAGTAILADMIN_BASE_URL = "https://portal.example.ac.uk/"
    call_command("migrate", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "https://portal.example.ac.uk"


@pytest.mark.parametrize(
    ("port", "expected"), [(None, "http://127.0.0.1:8000"), ("8123", "http://127.0.0.1:8123")]
)
def test_dev_base_url_is_the_address_make_run_serves(tmp_path, port, expected):
    env = {k: v for k, v in os.environ.items() if k not in {"WAGTAILADMIN_BASE_URL", "PORTAL_PORT"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "trustedresearch.settings.dev",
        "PORTAL_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    if port:
        env["PORTAL_PORT"] = port
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.WAGTAILADMIN_BASE_URL); print(settings.CSRF_TRUSTED_ORIGINS)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    base_url, origins = result.stdout.splitlines()[-2:]
    assert base_url == expected
    assert expected in origins
    assert "8000" in (ROOT / "Procfile.dev").read_text()  # runserver's default port

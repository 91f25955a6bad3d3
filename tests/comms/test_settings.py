"""Production settings: refuse to start without the essentials, clean `check --deploy` with them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_ENV = {
    "SECRET_KEY": "x7$k2!pq9w-long-random-production-secret-value-for-tests-0123456789",
    "ALLOWED_HOSTS": "portal.example.ac.uk",
    "DATABASE_URL": "sqlite:////tmp/portal-settings-test.sqlite3",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "WAGTAILADMIN_BASE_URL": "https://portal.example.ac.uk",
    "DEFAULT_FROM_EMAIL": "Trusted Research <trusted-research@example.ac.uk>",
}


def manage(*args: str, env_overrides: dict[str, str | None]) -> subprocess.CompletedProcess:
    dropped = {*GOOD_ENV, "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["DJANGO_SETTINGS_MODULE"] = "trustedresearch.settings.production"
    for key, value in {**GOOD_ENV, **env_overrides}.items():
        if value is not None:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides={})
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SECRET_KEY", None, "SECRET_KEY is not set"),
        ("ALLOWED_HOSTS", None, "ALLOWED_HOSTS is not set"),
        ("ALLOWED_HOSTS", " , ", "ALLOWED_HOSTS is empty"),
        ("DATABASE_URL", None, "DATABASE_URL is not set"),
        ("DATABASE_URL", "not a url", "DATABASE_URL is malformed"),
        ("CELERY_BROKER_URL", None, "CELERY_BROKER_URL is not set"),
        ("CELERY_BROKER_URL", "localhost", "CELERY_BROKER_URL='localhost' is malformed"),
        ("TRUSTED_PROXY_COUNT", "one", "TRUSTED_PROXY_COUNT='one' is not a whole number"),
        ("TRUSTED_PROXY_COUNT", "-1", "TRUSTED_PROXY_COUNT=-1 is negative"),
        (
            "ENGAGEMENT_RETENTION_DAYS",
            "ninety",
            "ENGAGEMENT_RETENTION_DAYS='ninety' is not a whole number",
        ),
        (
            "ENGAGEMENT_RETENTION_DAYS",
            "0",
            "ENGAGEMENT_RETENTION_DAYS=0 is not a positive whole number",
        ),
        (
            "NEWSLETTER_CLICKS_PER_PERSON",
            "maybe",
            "NEWSLETTER_CLICKS_PER_PERSON='maybe' is not a boolean",
        ),
        # Without these every link in a mailed issue points at the dev address and
        # Message-IDs use "localhost".
        ("WAGTAILADMIN_BASE_URL", None, "WAGTAILADMIN_BASE_URL is not set"),
        (
            "WAGTAILADMIN_BASE_URL",
            "http://portal.example.ac.uk",
            "WAGTAILADMIN_BASE_URL='http://portal.example.ac.uk' is not an https:// address",
        ),
        (
            "WAGTAILADMIN_BASE_URL",
            "portal.example.ac.uk",
            "WAGTAILADMIN_BASE_URL='portal.example.ac.uk' is not an https:// address",
        ),
        ("DEFAULT_FROM_EMAIL", None, "DEFAULT_FROM_EMAIL is not set"),
        (
            "DEFAULT_FROM_EMAIL",
            "Trusted Research",
            "DEFAULT_FROM_EMAIL='Trusted Research' is not a sender address with a mail domain",
        ),
        (
            "DEFAULT_FROM_EMAIL",
            "newsletter@localhost",
            "DEFAULT_FROM_EMAIL='newsletter@localhost' is not a sender address with a mail domain",
        ),
    ],
)
def test_missing_or_malformed_variable_fails_with_one_clear_line(variable, value, expected):
    result = manage("check", env_overrides={variable: value})
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


OIDC_ENV = {
    "OIDC_ISSUER": "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0",
    "OIDC_CLIENT_ID": "11111111-2222-3333-4444-555555555555",
    "OIDC_CLIENT_SECRET": "a-client-secret",
    "OIDC_PROVIDER_NAME": "University SSO",
    "OIDC_GROUP_ROLES": '{"aaaaaaaa-0000-0000-0000-000000000001": "Comms leads"}',
}


def test_check_deploy_is_clean_with_oidc_only():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={**OIDC_ENV, "OIDC_ONLY": "true"},
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"OIDC_ONLY": "true"}, "OIDC_ONLY=true needs OIDC_ISSUER"),
        ({**OIDC_ENV, "OIDC_ONLY": "perhaps"}, "OIDC_ONLY='perhaps' is not a boolean"),
        ({**OIDC_ENV, "OIDC_CLIENT_SECRET": None}, "OIDC_CLIENT_SECRET is not set"),
        ({**OIDC_ENV, "OIDC_ISSUER": "login.example.ac.uk"}, "must start with https://"),
        ({**OIDC_ENV, "OIDC_GROUP_ROLES": "{not json"}, "OIDC_GROUP_ROLES is not valid JSON"),
        (
            {**OIDC_ENV, "OIDC_GROUP_ROLES": '["Comms leads"]'},
            "OIDC_GROUP_ROLES must be a JSON object of strings",
        ),
        (
            {**OIDC_ENV, "OIDC_GROUP_ROLES": '{"g1": "Admins"}'},
            "OIDC_GROUP_ROLES names 'Admins', not a portal group",
        ),
        ({**OIDC_ENV, "OIDC_UNMAPPED": "ignore"}, "OIDC_UNMAPPED='ignore': use staff"),
    ],
)
def test_a_broken_sign_in_configuration_fails_with_one_clear_line(overrides, expected):
    result = manage("check", env_overrides=overrides)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_signing_out_may_redirect_to_the_provider_under_the_content_security_policy():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])",
        env_overrides=OIDC_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "[\"'self'\", 'https://login.microsoftonline.com']"
    )
    without = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])",
        env_overrides={},
    )
    assert without.stdout.strip().splitlines()[-1] == "[\"'self'\"]"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"NEWSLETTER_DKIM_SELECTOR": "tr2026"}, "NEWSLETTER_DKIM_DOMAIN is not set"),
        ({"NEWSLETTER_DKIM_DOMAIN": "example.ac.uk"}, "NEWSLETTER_DKIM_SELECTOR is not set"),
        (
            {
                "NEWSLETTER_DKIM_DOMAIN": "example.ac.uk",
                "NEWSLETTER_DKIM_SELECTOR": "tr2026",
                "NEWSLETTER_DKIM_PRIVATE_KEY_FILE": "/nonexistent/dkim.pem",
            },
            "NEWSLETTER_DKIM_PRIVATE_KEY_FILE='/nonexistent/dkim.pem' is not a readable file",
        ),
        (
            {
                "NEWSLETTER_DKIM_DOMAIN": "example.ac.uk",
                "NEWSLETTER_DKIM_SELECTOR": "tr2026",
                "NEWSLETTER_DKIM_PRIVATE_KEY": "not a key",
            },
            "The DKIM private key is missing or not a PEM private key",
        ),
    ],
)
def test_a_broken_dkim_configuration_fails_with_one_clear_line(overrides, expected):
    result = manage("check", env_overrides=overrides)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

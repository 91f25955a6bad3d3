"""Bounce mailbox settings: a configuration that cannot work refuses to start, naming the
variable (in a subprocess with production settings, like tests/comms/test_settings.py), and
how BOUNCE_IMAP_URL is read."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from tests.comms.test_settings import manage
from trustedresearch.settings.env import ImapMailbox, imap_url_parse

EXCHANGE = "imaps://bounces%40example.ac.uk:s3cret%2Fpw@outlook.office365.com:993/INBOX"


OAUTH = {
    "BOUNCE_IMAP_URL": "imaps://bounces%40example.ac.uk@outlook.office365.com/INBOX",
    "BOUNCE_IMAP_OAUTH_TOKEN_URL": "https://login.microsoftonline.com/"
    "8f1c2a3b-4d5e-6f70-8192-a3b4c5d6e7f8/oauth2/v2.0/token",
    "BOUNCE_IMAP_OAUTH_CLIENT_ID": "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9",
    "BOUNCE_IMAP_OAUTH_CLIENT_SECRET": "an-app-secret",
}


def test_an_exchange_online_mailbox_with_oauth_starts_without_a_password():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.BOUNCE_IMAP_OAUTH_SCOPE)",
        env_overrides=OAUTH,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "https://outlook.office365.com/.default"


def test_an_exchange_online_mailbox_starts():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.BOUNCE_IMAP_URL == " + repr(EXCHANGE) + ", "
        "settings.BOUNCE_IMAP_INTERVAL, settings.BOUNCE_IMAP_TIMEOUT)",
        env_overrides={"BOUNCE_IMAP_URL": EXCHANGE},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "True 300 30"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"BOUNCE_IMAP_URL": "outlook.office365.com"},
            "BOUNCE_IMAP_URL='outlook.office365.com' is not an imaps:// address",
        ),
        (
            {"BOUNCE_IMAP_URL": "https://bounces:pw@outlook.office365.com/"},
            "BOUNCE_IMAP_URL='https://bounces:***@outlook.office365.com/' is not an imaps://",
        ),
        (
            {"BOUNCE_IMAP_URL": "imap://bounces:pw@mail.example.ac.uk/INBOX"},
            "would send the mailbox's password unencrypted: use imaps://",
        ),
        (
            {"BOUNCE_IMAP_URL": "imaps://outlook.office365.com/INBOX"},
            "BOUNCE_IMAP_URL='imaps://outlook.office365.com/INBOX' has no user name and password",
        ),
        (
            {"BOUNCE_IMAP_URL": "imaps://bounces:pw@outlook.office365.com:imap/INBOX"},
            "BOUNCE_IMAP_URL='imaps://bounces:***@outlook.office365.com:imap/INBOX' is malformed",
        ),
        ({"BOUNCE_IMAP_INTERVAL": "0"}, "BOUNCE_IMAP_INTERVAL=0 is not a positive whole number"),
        ({"BOUNCE_IMAP_TIMEOUT": "soon"}, "BOUNCE_IMAP_TIMEOUT='soon' is not a whole number"),
        (
            {"BOUNCE_IMAP_URL": EXCHANGE, "BOUNCE_IMAP_CA_FILE": "/nonexistent/ca.pem"},
            "BOUNCE_IMAP_CA_FILE='/nonexistent/ca.pem' is not a readable file",
        ),
        (
            {**OAUTH, "BOUNCE_IMAP_OAUTH_TOKEN_URL": "http://login.example.com/token"},
            "BOUNCE_IMAP_OAUTH_TOKEN_URL='http://login.example.com/token' must start with https://",
        ),
        (
            {**OAUTH, "BOUNCE_IMAP_OAUTH_CLIENT_SECRET": ""},
            "BOUNCE_IMAP_OAUTH_CLIENT_SECRET is not set. BOUNCE_IMAP_OAUTH_TOKEN_URL is set",
        ),
        (
            {**OAUTH, "BOUNCE_IMAP_URL": "imaps://outlook.office365.com/INBOX"},
            "has no user name and password",
        ),
    ],
)
def test_a_broken_bounce_mailbox_configuration_fails_with_one_clear_line(overrides, expected):
    result = manage("check", env_overrides=overrides)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert ":pw@" not in result.stderr  # the password is not shown


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            EXCHANGE,
            ImapMailbox(
                True, "outlook.office365.com", 993, "bounces@example.ac.uk", "s3cret/pw", "INBOX"
            ),
        ),
        (
            "imaps://bounces:pw@imap.example.ac.uk",
            ImapMailbox(True, "imap.example.ac.uk", 993, "bounces", "pw", "INBOX"),
        ),
        (
            "imaps://bounces:pw@imap.example.ac.uk/Newsletter%20bounces",
            ImapMailbox(True, "imap.example.ac.uk", 993, "bounces", "pw", "Newsletter bounces"),
        ),
        (
            "imap://bounces:pw@127.0.0.1/",
            ImapMailbox(False, "127.0.0.1", 143, "bounces", "pw", "INBOX"),
        ),
    ],
)
def test_the_url_gives_the_server_the_decoded_user_and_password_and_the_folder(url, expected):
    assert imap_url_parse(url) == expected


def test_the_url_is_checked_where_it_is_read():
    with pytest.raises(ImproperlyConfigured, match="BOUNCE_IMAP_URL='' is not an imaps://"):
        imap_url_parse("")

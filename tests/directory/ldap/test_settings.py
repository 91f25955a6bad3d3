"""LDAP settings: a configuration that cannot work refuses to start, naming the variable (in a
subprocess with production settings, like tests/comms/test_settings.py)."""

import pytest

from tests.comms.test_settings import manage

LDAP_ENV = {
    "LDAP_URL": "ldaps://ad.example.ac.uk:636",
    "LDAP_BIND_DN": "CN=svc-portal,OU=Service Accounts,DC=example,DC=ac,DC=uk",
    "LDAP_BIND_PASSWORD": "a-password",
    "LDAP_USER_BASE": "OU=Staff,DC=example,DC=ac,DC=uk",
    "LDAP_GROUP_BASE": "OU=Groups,DC=example,DC=ac,DC=uk",
}


def test_an_active_directory_configuration_starts():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; "
        "print(settings.LDAP_URL, settings.LDAP_ATTR_ID, settings.LDAP_TIMEOUT)",
        env_overrides={**LDAP_ENV, "LDAP_ATTR_ID": "objectGUID"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "ldaps://ad.example.ac.uk:636 objectGUID 30"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {**LDAP_ENV, "LDAP_URL": "ad.example.ac.uk"},
            "LDAP_URL='ad.example.ac.uk' is not an ldap:// or ldaps:// address",
        ),
        (
            {**LDAP_ENV, "LDAP_URL": "https://ad.example.ac.uk"},
            "LDAP_URL='https://ad.example.ac.uk' is not an ldap:// or ldaps:// address",
        ),
        ({**LDAP_ENV, "LDAP_USER_BASE": None}, "LDAP_USER_BASE is not set. LDAP_URL is set"),
        ({**LDAP_ENV, "LDAP_GROUP_BASE": " "}, "LDAP_GROUP_BASE is not set. LDAP_URL is set"),
        ({**LDAP_ENV, "LDAP_TIMEOUT": "soon"}, "LDAP_TIMEOUT='soon' is not a whole number"),
        ({"LDAP_SYNC_INTERVAL": "0"}, "LDAP_SYNC_INTERVAL=0 is not a positive whole number"),
    ],
)
def test_a_broken_ldap_configuration_fails_with_one_clear_line(overrides, expected):
    result = manage("check", env_overrides=overrides)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

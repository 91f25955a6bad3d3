"""ldaps:// against slapd with a certificate from a private CA: LDAP_CA_FILE trusts it, and
without it the sync refuses to connect, saying what to check."""

import pytest

from directory.models import DirectoryPerson, DirectorySyncRun
from directory.services.ldap import DirectorySyncFailed, directory_ldap_sync

pytestmark = [pytest.mark.django_db, pytest.mark.integration]  # a real slapd


def test_ldaps_with_the_private_ca_in_ldap_ca_file_syncs(ldaps_directory, settings):
    settings.LDAP_CA_FILE = str(ldaps_directory.server.ca_file)

    report = directory_ldap_sync()

    assert (report.people_added, report.groups_added) == (10, 3)


def test_ldaps_with_a_certificate_the_portal_does_not_trust_is_refused(ldaps_directory):
    with pytest.raises(DirectorySyncFailed) as failure:
        directory_ldap_sync()

    message = str(failure.value)
    url = ldaps_directory.server.ldaps_url
    assert message.startswith(
        f"Could not connect to the LDAP server at {url} (socket ssl wrapping error: [SSL: "
        "CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in "
        "certificate chain). Check LDAP_URL"
    )
    assert "its certificate (LDAP_CA_FILE)" in message
    assert not DirectoryPerson.objects.exists()
    assert DirectorySyncRun.objects.get().status == "failed"


def test_a_missing_ca_file_is_named(ldaps_directory, settings):
    settings.LDAP_CA_FILE = "/etc/ssl/no-such-ca.pem"

    with pytest.raises(DirectorySyncFailed, match="LDAP_CA_FILE='/etc/ssl/no-such-ca.pem' is not"):
        directory_ldap_sync()

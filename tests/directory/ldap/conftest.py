"""A real OpenLDAP server per test (``tests/directory/ldap/slapd.py``), loaded with a small
university: ten people under ou=people and three groups under ou=groups ("All staff",
"Research office", "Engineering"), and the portal's settings pointing at it.

``directory``: the running server with helpers to change it between syncs (``add_person``,
``delete``, ``add_member``, ``remove_member``, ``replace``, ``kill``). Without slapd the
tests fail in CI and skip elsewhere, naming "OpenLDAP (slapd)".
"""

import ldap3
import pytest

from tests.directory.ldap import slapd
from tests.services import service_unavailable

PEOPLE = [
    ("alice", "Alice", "Archer"),
    ("bob", "Bob", "Baker"),
    ("carol", "Carol", "Cooper"),
    ("dan", "Dan", "Draper"),
    ("erin", "Erin", "Evans"),
    ("frank", "Frank", "Fisher"),
    ("grace", "Grace", "Green"),
    ("heidi", "Heidi", "Hughes"),
    ("ivan", "Ivan", "Irving"),
    ("judy", "Judy", "Jones"),
]
GROUPS = {
    "All staff": [uid for uid, _, _ in PEOPLE],
    "Research office": ["alice", "bob", "carol"],
    "Engineering": ["dan", "erin", "frank", "grace"],
}


def mail(uid: str) -> str:
    return f"{uid}@example.ac.uk"


def fixture_ldif() -> str:
    ldif = slapd.base_ldif()
    ldif += "".join(
        slapd.person_ldif(uid, given, family, mail(uid)) for uid, given, family in PEOPLE
    )
    for name, uids in GROUPS.items():
        members = [slapd.person_dn(uid) for uid in uids]
        if name == "All staff":
            # A nested group: not a person, so ignored (and counted) by the sync.
            members.append(slapd.group_dn("Engineering"))
        ldif += slapd.group_ldif(name, members)
    return ldif


class Directory:
    """The test's slapd, and what a directory administrator would do between syncs."""

    def __init__(self, server: slapd.Slapd):
        self.server = server
        self.url = server.url

    def _conn(self):
        return self.server.connection()

    def add_person(self, uid: str, given: str, family: str, email: str | None = None) -> None:
        conn = self._conn()
        conn.add(
            slapd.person_dn(uid),
            ["inetOrgPerson"],
            {
                "uid": uid,
                "cn": f"{given} {family}",
                "givenName": given,
                "sn": family,
                "mail": email or mail(uid),
            },
        )
        conn.unbind()

    def add_group(self, name: str, uids: list[str]) -> None:
        conn = self._conn()
        conn.add(
            slapd.group_dn(name),
            ["groupOfNames"],
            {"cn": name, "member": [slapd.person_dn(uid) for uid in uids]},
        )
        conn.unbind()

    def delete(self, dn: str) -> None:
        conn = self._conn()
        conn.delete(dn)
        conn.unbind()

    def add_member(self, group: str, uid: str) -> None:
        self._modify(slapd.group_dn(group), "member", ldap3.MODIFY_ADD, slapd.person_dn(uid))

    def remove_member(self, group: str, uid: str) -> None:
        self._modify(slapd.group_dn(group), "member", ldap3.MODIFY_DELETE, slapd.person_dn(uid))

    def replace(self, uid: str, attribute: str, value: str) -> None:
        self._modify(slapd.person_dn(uid), attribute, ldap3.MODIFY_REPLACE, value)

    def _modify(self, dn: str, attribute: str, operation, value: str) -> None:
        conn = self._conn()
        conn.modify(dn, {attribute: [(operation, [value])]})
        conn.unbind()

    def kill(self) -> None:
        self.server.kill()


def _started_slapd(workdir, *, tls: bool = False) -> slapd.Slapd:
    if slapd.slapd_binary() is None:
        service_unavailable(
            "OpenLDAP (slapd)", "slapd or slapadd not found; make ldap-deps installs them"
        )
    server = slapd.Slapd(workdir, tls=tls)
    server.load(fixture_ldif())
    server.start()
    return server


def _point_settings_at(settings, url: str) -> None:
    settings.LDAP_URL = url
    settings.LDAP_BIND_DN = slapd.SYNC_DN
    settings.LDAP_BIND_PASSWORD = slapd.SYNC_PASSWORD
    settings.LDAP_USER_BASE = slapd.PEOPLE
    settings.LDAP_GROUP_BASE = slapd.GROUPS
    settings.LDAP_TIMEOUT = 5


@pytest.fixture
def slapd_server(tmp_path):
    server = _started_slapd(tmp_path / "slapd")
    yield server
    server.stop()


@pytest.fixture
def directory(slapd_server, settings):
    """The fixture directory, and the portal's LDAP settings pointing at it."""
    _point_settings_at(settings, slapd_server.url)
    return Directory(slapd_server)


@pytest.fixture
def ldaps_directory(tmp_path, settings):
    """The fixture directory over ldaps:// with a certificate from a private CA (its PEM file:
    ``ldaps_directory.server.ca_file``); the settings point at it without LDAP_CA_FILE."""
    server = _started_slapd(tmp_path / "slapd", tls=True)
    _point_settings_at(settings, server.ldaps_url)
    yield Directory(server)
    server.stop()

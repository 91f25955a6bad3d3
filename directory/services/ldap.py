"""The directory from LDAP / Active Directory (ldap3): read every person and group, then apply
the snapshot in one transaction (``directory.services.sync``).

Everything is read before anything is written: a connection lost half-way, a refused bind or an
unreachable server changes nothing, is recorded as a failed ``DirectorySyncRun`` and raised as
``DirectorySyncFailed`` with a message for people. The next sync tries again from scratch.
"""

import contextlib
import logging
import re
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.utils import timezone

import ldap3
from ldap3.core import exceptions as ldap_errors

from directory.models import DirectoryPerson, Source
from directory.services.sync import (
    GroupRecord,
    PersonRecord,
    SyncReport,
    directory_snapshot_apply,
    directory_sync_failure_record,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 1000  # Active Directory's MaxPageSize
PAGED_RESULTS = "1.2.840.113556.1.4.319"
# Attributes holding a binary GUID (Active Directory): stored as the canonical UUID string.
BINARY_GUID_ATTRIBUTES = {"objectguid", "msds-consistencyguid"}
LOCK_KEY = "directory:ldap-sync:lock"
LOCK_SECONDS = 60 * 60
NOTHING_CHANGED = "nothing was changed. The next sync will try again."


class DirectorySyncFailed(Exception):
    """The sync could not run; nothing was changed. ``str()`` says why and what to do."""


@dataclass(frozen=True)
class LdapConfig:
    url: str
    bind_dn: str
    bind_password: str
    user_base: str
    group_base: str
    user_filter: str
    group_filter: str
    attr_id: str
    attr_username: str
    attr_email: str
    attr_given_name: str
    attr_family_name: str
    attr_display_name: str
    group_member_attr: str
    timeout: int
    ca_file: str = ""

    @classmethod
    def from_settings(cls) -> "LdapConfig":
        return cls(
            url=settings.LDAP_URL,
            bind_dn=settings.LDAP_BIND_DN,
            bind_password=settings.LDAP_BIND_PASSWORD,
            user_base=settings.LDAP_USER_BASE,
            group_base=settings.LDAP_GROUP_BASE,
            user_filter=settings.LDAP_USER_FILTER,
            group_filter=settings.LDAP_GROUP_FILTER,
            attr_id=settings.LDAP_ATTR_ID,
            attr_username=settings.LDAP_ATTR_USERNAME,
            attr_email=settings.LDAP_ATTR_EMAIL,
            attr_given_name=settings.LDAP_ATTR_GIVEN_NAME,
            attr_family_name=settings.LDAP_ATTR_FAMILY_NAME,
            attr_display_name=settings.LDAP_ATTR_DISPLAY_NAME,
            group_member_attr=settings.LDAP_GROUP_MEMBER_ATTR,
            timeout=settings.LDAP_TIMEOUT,
            ca_file=settings.LDAP_CA_FILE,
        )


@dataclass
class LdapSnapshot:
    people: list[PersonRecord] = field(default_factory=list)
    groups: list[GroupRecord] = field(default_factory=list)
    skipped_people: int = 0  # no id or sign-in name, or a sign-in name already taken
    members_ignored: int = 0  # member values that are not a synced person (nested groups...)

    def notes(self) -> str:
        parts = []
        if self.skipped_people:
            parts.append(
                f"{self.skipped_people:,} entries matched LDAP_USER_FILTER but had no id or "
                "user name, or a user name already taken, and were left out"
            )
        if self.members_ignored:
            parts.append(
                f"{self.members_ignored:,} group members were not among the synced people "
                "(nested groups, or people outside LDAP_USER_BASE or LDAP_USER_FILTER) and "
                "were ignored"
            )
        return "; ".join(parts) + ("." if parts else "")


def _reason(exc: Exception) -> str:
    """ldap3's socket errors read as nested tuples; the words inside them."""
    text = re.sub(r"\s*\(_ssl\.c:\d+\)", "", str(exc))
    return re.sub(r"""^[\s(\[\"',]+|[\s)\]\"',]+$""", "", text) or type(exc).__name__


def _normal_dn(dn: str) -> str:
    """A DN compared as servers tend to vary it: case, and spaces after the commas."""
    return ",".join(part.strip() for part in dn.lower().split(","))


def _text(raw: dict, name: str, limit: int) -> str:
    values = raw.get(name) or ()
    if not values:
        return ""
    return values[0].decode("utf-8", errors="replace").strip()[:limit]


def _external_id(raw: dict, name: str) -> str:
    values = raw.get(name) or ()
    if not values:
        return ""
    value = values[0]
    if name.lower() in BINARY_GUID_ATTRIBUTES and len(value) == 16:
        return str(uuid.UUID(bytes_le=bytes(value)))
    return value.decode("utf-8", errors="replace").strip()


class _Reader:
    """One connection's paged searches, counting what it read (for the failure message)."""

    def __init__(self, conn, page_size: int, on_page: Callable[[str, int], None] | None):
        self.conn = conn
        self.page_size = page_size
        self.on_page = on_page
        self.reading = "users"
        self.read = 0

    def entries(self, kind: str, base: str, search_filter: str, attributes: list[str]):
        self.reading, self.read = kind, 0
        cookie = None
        while True:
            self.conn.search(
                base,
                search_filter,
                search_scope=ldap3.SUBTREE,
                attributes=attributes,
                paged_size=self.page_size,
                paged_cookie=cookie,
            )
            response, result = self.conn.response, self.conn.result
            for entry in response:
                if entry.get("type") == "searchResEntry":
                    self.read += 1
                    yield entry["dn"], entry["raw_attributes"]
            if self.on_page is not None:
                self.on_page(kind, self.read)
            control = (result.get("controls") or {}).get(PAGED_RESULTS) or {}
            cookie = (control.get("value") or {}).get("cookie")
            if not cookie:
                return


def _connect(config: LdapConfig):
    tls = None
    if config.url.lower().startswith("ldaps://"):
        if config.ca_file and not Path(config.ca_file).is_file():
            raise DirectorySyncFailed(
                f"LDAP_CA_FILE={config.ca_file!r} is not a file: give the PEM file of the CA "
                f"that signed the directory's certificate. Nothing was changed."
            )
        tls = ldap3.Tls(
            validate=ssl.CERT_REQUIRED,
            ca_certs_file=config.ca_file or None,
            sni=urlsplit(config.url).hostname,
        )
    server = ldap3.Server(config.url, get_info=ldap3.NONE, connect_timeout=config.timeout, tls=tls)
    conn = ldap3.Connection(
        server,
        user=config.bind_dn or None,
        password=config.bind_password or None,
        authentication=ldap3.SIMPLE if config.bind_dn else ldap3.ANONYMOUS,
        receive_timeout=config.timeout,
        raise_exceptions=True,
        read_only=True,
        auto_referrals=False,
        # Active Directory hands out at most 1,500 values of an attribute at a time
        # (member;range=0-1499): ldap3 asks for the rest and merges them under "member".
        auto_range=True,
    )
    conn.bind()
    return conn


def ldap_directory_read(
    *,
    config: LdapConfig,
    page_size: int = PAGE_SIZE,
    on_page: Callable[[str, int], None] | None = None,
) -> LdapSnapshot:
    """Every person and group under the bases, with their filters, in paged searches (only the
    attributes the portal keeps). Group members (DNs) become the people's external ids; members
    that are not synced people are counted and ignored. ``on_page(kind, read_so_far)`` is called
    after each page ("users", then "groups"). Raises ``DirectorySyncFailed`` with a message
    for people; writes nothing."""
    conn = reader = None
    try:
        conn = _connect(config)
        reader = _Reader(conn, page_size, on_page)
        snapshot = LdapSnapshot()
        ext_by_dn: dict[str, str] = {}
        names: set[str] = set()
        user_attrs = [
            config.attr_id,
            config.attr_username,
            config.attr_email,
            config.attr_given_name,
            config.attr_family_name,
            config.attr_display_name,
        ]
        for dn, raw in reader.entries("users", config.user_base, config.user_filter, user_attrs):
            ext = _external_id(raw, config.attr_id)
            user_name = _text(raw, config.attr_username, 255)
            if not ext or not user_name or user_name.lower() in names or len(ext) > 255:
                snapshot.skipped_people += 1
                continue
            names.add(user_name.lower())
            email = _text(raw, config.attr_email, 1000)
            snapshot.people.append(
                PersonRecord(
                    external_id=ext,
                    user_name=user_name,
                    email=email if len(email) <= 254 else "",
                    given_name=_text(raw, config.attr_given_name, 150),
                    family_name=_text(raw, config.attr_family_name, 150),
                    display_name=_text(raw, config.attr_display_name, 255),
                )
            )
            ext_by_dn[_normal_dn(dn)] = ext
        group_attrs = [config.attr_id, config.attr_display_name, config.group_member_attr]
        member_attr = config.group_member_attr
        for dn, raw in reader.entries(
            "groups", config.group_base, config.group_filter, group_attrs
        ):
            ext = _external_id(raw, config.attr_id)
            if not ext:
                continue
            members = []
            for value in raw.get(member_attr) or ():
                # groupOfUniqueNames: "uid=x,ou=people,...#'0101'B" (an optional unique id)
                member_dn = value.decode("utf-8", errors="replace").split("#", 1)[0]
                member = ext_by_dn.get(_normal_dn(member_dn))
                if member is None:
                    snapshot.members_ignored += 1
                else:
                    members.append(member)
            # LDAP_ATTR_DISPLAY_NAME names groups too; without it (an AD group with no
            # displayName), the group's RDN value: "All staff" of "CN=All staff,OU=Groups,...".
            rdn_value = dn.split(",", 1)[0].split("=", 1)[-1]
            display_name = _text(raw, config.attr_display_name, 255) or rdn_value[:255]
            snapshot.groups.append(GroupRecord(ext, display_name, members))
        return snapshot
    except DirectorySyncFailed:
        raise
    except ldap_errors.LDAPInvalidCredentialsResult:
        raise DirectorySyncFailed(
            f"The LDAP server at {config.url} refused the bind as LDAP_BIND_DN="
            f"{config.bind_dn!r}: invalid credentials. Check LDAP_BIND_DN and "
            f"LDAP_BIND_PASSWORD (has the password been changed or expired?); {NOTHING_CHANGED}"
        ) from None
    except ldap_errors.LDAPNoSuchObjectResult:
        name, base = ("LDAP_USER_BASE", config.user_base)
        if reader is not None and reader.reading == "groups":
            name, base = ("LDAP_GROUP_BASE", config.group_base)
        raise DirectorySyncFailed(
            f"{name}={base!r} does not exist on the LDAP server at "
            f"{config.url}. Check {name}; {NOTHING_CHANGED}"
        ) from None
    except ldap_errors.LDAPSizeLimitExceededResult:
        raise DirectorySyncFailed(
            f"The LDAP server stopped the search for {reader.reading} at its size limit after "
            f"{reader.read:,}. Ask for the limit of the account LDAP_BIND_DN to be raised "
            f"(OpenLDAP: limits size.prtotal=unlimited); {NOTHING_CHANGED}"
        ) from None
    except (ldap_errors.LDAPSocketOpenError, ldap_errors.LDAPStartTLSError) as exc:
        raise DirectorySyncFailed(
            f"Could not connect to the LDAP server at {config.url} ({_reason(exc)}). "
            "Check LDAP_URL, that the portal can reach it (firewall, port) and, for ldaps://, "
            f"its certificate (LDAP_CA_FILE); {NOTHING_CHANGED}"
        ) from None
    except (
        ldap_errors.LDAPCommunicationError,
        ldap_errors.LDAPResponseTimeoutError,
        ldap_errors.LDAPSessionTerminatedByServerError,
    ) as exc:
        if reader is None:
            raise DirectorySyncFailed(
                f"The LDAP server at {config.url} closed the connection before the bind "
                f"({_reason(exc)}); {NOTHING_CHANGED}"
            ) from None
        raise DirectorySyncFailed(
            f"The LDAP connection was lost after reading {reader.read:,} of the "
            f"{reader.reading} ({_reason(exc)}): {NOTHING_CHANGED}"
        ) from None
    except ldap_errors.LDAPOperationResult as exc:
        reading = reader.reading if reader is not None else "users"
        raise DirectorySyncFailed(
            f"The LDAP server at {config.url} answered {exc.description!r} "
            f"({exc.message or 'no details'}) while reading the {reading}. "
            f"Check LDAP_USER_FILTER, LDAP_GROUP_FILTER and the LDAP_ATTR_* settings; "
            f"{NOTHING_CHANGED}"
        ) from None
    except ldap_errors.LDAPException as exc:
        raise DirectorySyncFailed(
            f"LDAP error from {config.url}: {_reason(exc)}; {NOTHING_CHANGED}"
        ) from None
    finally:
        if conn is not None and conn.bound:
            with contextlib.suppress(ldap_errors.LDAPException):  # already gone
                conn.unbind()


def _refuse_an_empty_directory(config: LdapConfig, snapshot: LdapSnapshot) -> None:
    """No people at all is far likelier a changed filter, base or permission than everyone
    leaving: applied, it would deactivate everyone and empty every list that follows a group."""
    if snapshot.people:
        return
    if DirectoryPerson.objects.filter(source=Source.LDAP, active=True).exists():
        raise DirectorySyncFailed(
            f"The LDAP server returned no people under LDAP_USER_BASE={config.user_base!r} "
            f"with LDAP_USER_FILTER={config.user_filter!r}, and the portal holds people from "
            "it: the sync refuses to deactivate everyone. Check those settings and what the "
            f"account LDAP_BIND_DN may read; {NOTHING_CHANGED}"
        )


def directory_ldap_sync(
    *,
    config: LdapConfig | None = None,
    page_size: int = PAGE_SIZE,
    on_page: Callable[[str, int], None] | None = None,
) -> SyncReport:
    """Sync the directory from LDAP: read everything, then apply it in one transaction
    (``directory_snapshot_apply``: people added, updated or deactivated, groups added, renamed
    or emptied, members set exactly; ``directory_changed`` after commit). One sync at a time
    (a cache lock). On any failure nothing is changed, a failed ``DirectorySyncRun`` says why,
    and ``DirectorySyncFailed`` is raised with that message. Safe to run twice."""
    config = config or LdapConfig.from_settings()
    if not config.url:
        raise DirectorySyncFailed(
            "LDAP_URL is not set: nothing to sync. Set LDAP_URL (e.g. "
            "ldaps://ad.example.ac.uk:636), LDAP_USER_BASE and LDAP_GROUP_BASE, and "
            "LDAP_BIND_DN and LDAP_BIND_PASSWORD for the account the portal reads with."
        )
    token = uuid.uuid4().hex
    if not cache.add(LOCK_KEY, token, LOCK_SECONDS):
        raise DirectorySyncFailed("Another LDAP sync is running: nothing was changed by this one.")
    started_at = timezone.now()
    try:
        try:
            snapshot = ldap_directory_read(config=config, page_size=page_size, on_page=on_page)
            _refuse_an_empty_directory(config, snapshot)
        except DirectorySyncFailed as exc:
            directory_sync_failure_record(
                source=Source.LDAP, started_at=started_at, message=str(exc)
            )
            raise
        try:
            return directory_snapshot_apply(
                source=Source.LDAP,
                people=snapshot.people,
                groups=snapshot.groups,
                started_at=started_at,
                notes=snapshot.notes(),
            )
        except (DatabaseError, ValueError) as exc:
            message = f"Saving the directory failed ({exc}): {NOTHING_CHANGED}"
            directory_sync_failure_record(
                source=Source.LDAP, started_at=started_at, message=message
            )
            raise DirectorySyncFailed(message) from exc
    finally:
        if cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)

"""A real OpenLDAP server (Debian's ``slapd``) for the LDAP sync tests and bench: its own
temporary configuration and MDB database, on a free loopback port, stopped with its process
group. Nothing here touches a system slapd.

    server = Slapd(tmp_path)
    server.load(base_ldif())        # offline, with slapadd (fast: the bench loads 50,000 people)
    server.start()
    ...
    server.stop()
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

SUFFIX = "dc=example,dc=ac,dc=uk"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "root-secret"
SYNC_DN = f"cn=portal-sync,ou=services,{SUFFIX}"
SYNC_PASSWORD = "sync-secret"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
SCHEMA_DIR = Path("/etc/ldap/schema")
MODULE_DIR = Path("/usr/lib/ldap")


def slapd_binary() -> str | None:
    for name in ("slapd", "slapadd"):
        if not (shutil.which(name) or Path(f"/usr/sbin/{name}").exists()):
            return None
    return shutil.which("slapd") or "/usr/sbin/slapd"


def _tool(name: str) -> str:
    return shutil.which(name) or f"/usr/sbin/{name}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def person_dn(uid: str) -> str:
    return f"uid={uid},{PEOPLE}"


def group_dn(name: str) -> str:
    return f"cn={name},{GROUPS}"


def base_ldif() -> str:
    """The suffix, ou=people, ou=groups and the account the portal binds as."""
    return f"""dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
dc: example
o: Example University

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: {GROUPS}
objectClass: organizationalUnit
ou: groups

dn: ou=services,{SUFFIX}
objectClass: organizationalUnit
ou: services

dn: {SYNC_DN}
objectClass: organizationalRole
objectClass: simpleSecurityObject
cn: portal-sync
userPassword: {SYNC_PASSWORD}

"""


def person_ldif(uid: str, given: str, family: str, mail: str) -> str:
    return (
        f"dn: {person_dn(uid)}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
        f"cn: {given} {family}\ngivenName: {given}\nsn: {family}\nmail: {mail}\n\n"
    )


def group_ldif(name: str, member_dns: list[str]) -> str:
    members = "".join(f"member: {dn}\n" for dn in member_dns)
    return f"dn: {group_dn(name)}\nobjectClass: groupOfNames\ncn: {name}\n{members}\n"


class Slapd:
    def __init__(self, workdir: Path, *, tls: bool = False):
        self.workdir = Path(workdir)
        self.port = free_port()
        self.url = f"ldap://127.0.0.1:{self.port}"
        # With ``tls``: also ldaps:// on another port, with a certificate for 127.0.0.1 signed
        # by a private CA (``ca_file``), as a university's Active Directory often has.
        self.tls_port = free_port() if tls else None
        self.ldaps_url = f"ldaps://127.0.0.1:{self.tls_port}" if tls else None
        self.ca_file = self.workdir / "ca.pem"
        self.config = self.workdir / "slapd.conf"
        self.process: subprocess.Popen | None = None
        (self.workdir / "db").mkdir(parents=True, exist_ok=True)
        if tls:
            self._make_certificates()
        self.config.write_text(self._config_text(), encoding="utf-8")

    def _make_certificates(self) -> None:
        def openssl(*args: str) -> None:
            subprocess.run(["openssl", *args], cwd=self.workdir, check=True, capture_output=True)

        (self.workdir / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
        openssl(
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=Example University test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        )
        openssl(
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        )
        openssl(
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "1",
            "-extfile",
            "san.ext",
            "-out",
            "server.pem",
        )

    def _config_text(self) -> str:
        schemas = "".join(
            f"include {SCHEMA_DIR / name}.schema\n"
            for name in ("core", "cosine", "nis", "inetorgperson")
        )
        module = (
            f"modulepath {MODULE_DIR}\nmoduleload back_mdb\n"
            if (MODULE_DIR / "back_mdb.so").exists()
            else ""
        )
        tls = (
            f"TLSCACertificateFile {self.ca_file}\n"
            f"TLSCertificateFile {self.workdir / 'server.pem'}\n"
            f"TLSCertificateKeyFile {self.workdir / 'server.key'}\n"
            if self.tls_port
            else ""
        )
        return f"""{schemas}{module}{tls}
pidfile {self.workdir / "slapd.pid"}
argsfile {self.workdir / "slapd.args"}

database mdb
maxsize 4294967296
suffix "{SUFFIX}"
rootdn "{ROOT_DN}"
rootpw {ROOT_PASSWORD}
directory {self.workdir / "db"}
index objectClass eq
# The portal's account reads everything, as many entries as there are (paged), like a
# directory's service account.
limits dn.exact="{SYNC_DN}" size=unlimited time=unlimited
access to attrs=userPassword by anonymous auth by * none
access to * by dn.exact="{SYNC_DN}" read by * none
"""

    def load(self, ldif: str) -> None:
        """Add entries offline (before ``start``), with slapadd: the operational attributes
        (entryUUID...) are generated as ldapadd would."""
        path = self.workdir / f"load-{time.monotonic_ns()}.ldif"
        path.write_text(ldif, encoding="utf-8")
        subprocess.run(
            [_tool("slapadd"), "-q", "-f", str(self.config), "-l", str(path)],
            check=True,
            capture_output=True,
            text=True,
        )
        path.unlink()

    def start(self, timeout: float = 20) -> None:
        log = (self.workdir / "slapd.log").open("w")
        self.process = subprocess.Popen(
            # -d 0: stay in the foreground (a child we can stop), no debug output.
            [_tool("slapd"), "-f", str(self.config), "-h", self._listen(), "-d", "0"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"slapd exited ({self.process.returncode}): "
                    f"{(self.workdir / 'slapd.log').read_text()[-2000:]}"
                )
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"slapd did not listen on {self.url} within {timeout} s")

    def _listen(self) -> str:
        return f"{self.url}/ {self.ldaps_url}/" if self.ldaps_url else f"{self.url}/"

    def kill(self) -> None:
        """SIGKILL: the server is gone mid-conversation, as with a dropped connection."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def connection(self):
        """An ldap3 connection bound as the root DN, to change the directory between syncs."""
        import ldap3

        conn = ldap3.Connection(
            ldap3.Server(self.url, get_info=ldap3.NONE),
            user=ROOT_DN,
            password=ROOT_PASSWORD,
            raise_exceptions=True,
        )
        conn.bind()
        return conn

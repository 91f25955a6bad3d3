"""A real IMAP server (Debian's Dovecot) for the bounce mailbox tests: its own temporary
configuration, one user with Maildir mail, on a free loopback port, stopped with its process
group. Nothing here touches a system Dovecot.

    server = Dovecot(workdir)             # tls=True: imaps:// with a private CA (``ca_file``)
    server.start()
    server.append(raw)                    # put a message into INBOX, as the mailbox's user
    server.folders()                      # {"INBOX": 2, "Processed": 1, ...}
    ...
    server.stop()

As root, Dovecot refuses to give mail to uid 0: the mail belongs to the ``dovecot`` system user,
in a directory under /tmp that user can reach (pytest's root temporary directories are private).
"""

import grp
import imaplib
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from pathlib import Path

USER = "bounces@example.ac.uk"
PASSWORD = "mailbox-secret"


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_certificates(workdir: Path) -> None:
    """A private CA (ca.pem) and a certificate for 127.0.0.1 it signed (server.pem/.key)."""

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=workdir, check=True, capture_output=True)

    (workdir / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=Example University test CA", "-keyout", "ca.key", "-out", "ca.pem",
    )  # fmt: skip
    openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", "server.key", "-out", "server.csr",
    )  # fmt: skip
    openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "1", "-extfile", "san.ext", "-out", "server.pem",
    )  # fmt: skip


class Dovecot:
    def __init__(self, workdir: Path, *, tls: bool = False, move: bool = True, oauth: str = ""):
        """``tls``: IMAP over TLS only (imaps://). ``move=False``: the server does not announce
        the MOVE capability (as older servers), so clients copy, flag and expunge instead.
        ``oauth``: also SASL XOAUTH2, tokens checked at this introspection URL (RFC 7662)."""
        if os.geteuid() == 0:
            self.mail_user = pwd.getpwnam("dovecot")
            self.workdir = Path(tempfile.mkdtemp(prefix="dovecot-test-"))
            self.workdir.chmod(0o755)
            self._own_workdir = True
        else:
            self.mail_user = pwd.getpwuid(os.getuid())
            self.workdir = Path(workdir)
            self.workdir.mkdir(parents=True, exist_ok=True)
            self._own_workdir = False
        self.tls = tls
        self.port = free_port()
        scheme = "imaps" if tls else "imap"
        self.url = f"{scheme}://bounces%40example.ac.uk:{PASSWORD}@127.0.0.1:{self.port}/INBOX"
        self.ca_file = self.workdir / "ca.pem"
        self.config = self.workdir / "dovecot.conf"
        self.log = self.workdir / "dovecot.log"
        self.process: subprocess.Popen | None = None
        for name in ("run", "state", "mail"):
            (self.workdir / name).mkdir(exist_ok=True)
        os.chown(self.workdir / "mail", self.mail_user.pw_uid, self.mail_user.pw_gid)
        (self.workdir / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        if tls:
            make_certificates(self.workdir)
            # Dovecot reads the key as root at start; as a user it must be theirs (it is).
        self.oauth = oauth
        if oauth:
            (self.workdir / "oauth2.conf.ext").write_text(
                f"introspection_mode = post\nintrospection_url = {oauth}\n"
                "username_attribute = username\nactive_attribute = active\nactive_value = true\n"
            )
        self.config.write_text(self._config_text(move=move), encoding="utf-8")

    def _config_text(self, *, move: bool) -> str:
        user = self.mail_user
        root = os.geteuid() == 0
        # Not root: every Dovecot process runs as this user.
        group = grp.getgrgid(user.pw_gid).gr_name
        internal = (
            ""
            if root
            else f"default_internal_user = {user.pw_name}\ndefault_internal_group = {group}\n"
        )
        login = "" if root else f"default_login_user = {user.pw_name}\n"
        ssl_conf = (
            f"ssl = required\nssl_cert = <{self.workdir / 'server.pem'}\n"
            f"ssl_key = <{self.workdir / 'server.key'}\n"
            if self.tls
            else "ssl = no\n"
        )
        listener = (
            f"inet_listener imap {{\n    port = 0\n  }}\n"
            f"  inet_listener imaps {{\n    port = {self.port}\n    ssl = yes\n  }}"
            if self.tls
            else f"inet_listener imap {{\n    port = {self.port}\n  }}\n"
            "  inet_listener imaps {\n    port = 0\n  }"
        )
        oauth_passdb = (
            f"passdb {{\n  driver = oauth2\n  args = {self.workdir / 'oauth2.conf.ext'}\n}}\n"
            if self.oauth
            else ""
        )
        # Not root: no chroot (only root may), so every service that would chroot does not.
        no_chroot = "" if root else "\n  chroot ="
        anvil = "" if root else "service anvil {\n  chroot =\n}\n"
        # Without MOVE: the capabilities Dovecot 2.3 announces after login, less MOVE.
        capability = (
            ""
            if move
            else "imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT "
            "LITERAL+ UIDPLUS NAMESPACE CHILDREN\n"
        )
        return f"""# Test server for tests/newsletter/bounces (one user, Maildir, loopback only).
protocols = imap
listen = 127.0.0.1
base_dir = {self.workdir / "run"}
state_dir = {self.workdir / "state"}
instance_name = dovecot-test-{self.port}
log_path = {self.log}
info_log_path = {self.log}
{internal}{login}{ssl_conf}disable_plaintext_auth = no
auth_mechanisms = plain login{" xoauth2" if self.oauth else ""}
# A wrong password answered at once (not after 2 s): tests try one on purpose.
auth_failure_delay = 0
mail_location = maildir:{self.workdir / "mail"}/%u
mail_uid = {user.pw_uid}
mail_gid = {user.pw_gid}
first_valid_uid = {user.pw_uid}
last_valid_uid = 0
first_valid_gid = 0
{capability}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.workdir / "users"}
}}
{oauth_passdb}userdb {{
  driver = static
  args = uid={user.pw_uid} gid={user.pw_gid} home={self.workdir / "mail"}/%u
}}
service imap-login {{
  {listener}{no_chroot}
}}
{anvil}service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""

    def start(self, timeout: float = 20) -> None:
        log = (self.workdir / "dovecot.stdout").open("w")
        self.process = subprocess.Popen(
            # -F: stay in the foreground (a child we can stop).
            [dovecot_binary(), "-F", "-c", str(self.config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"dovecot exited ({self.process.returncode}): {self.logs()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.5):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not listen on port {self.port} within {timeout} s")

    def logs(self) -> str:
        text = ""
        for name in ("dovecot.stdout", "dovecot.log"):
            path = self.workdir / name
            if path.exists():
                text += path.read_text(errors="replace")[-2000:]
        return text

    def kill(self) -> None:
        """SIGKILL: the server is gone mid-conversation, as with a dropped connection."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)

    def cleanup(self) -> None:
        self.stop()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    # What the mailbox's owner sees, over IMAP like any mail client.

    def client(self) -> imaplib.IMAP4:
        if self.tls:
            context = ssl.create_default_context(cafile=str(self.ca_file))
            conn = imaplib.IMAP4_SSL("127.0.0.1", self.port, ssl_context=context, timeout=10)
        else:
            conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        conn.login(USER, PASSWORD)
        return conn

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        conn = self.client()
        try:
            typ, data = conn.append(folder, None, None, raw)
            assert typ == "OK", data
        finally:
            conn.logout()

    def folders(self) -> dict[str, int]:
        """Folder name -> number of messages in it (those flagged deleted included)."""
        conn = self.client()
        try:
            counts = {}
            for line in conn.list()[1]:
                name = line.decode().split(") ", 1)[1].split(" ", 1)[1].strip('"')
                typ, data = conn.status(f'"{name}"', "(MESSAGES)")
                counts[name] = int(data[0].decode().rsplit("MESSAGES ", 1)[1].rstrip(")"))
            return counts
        finally:
            conn.logout()

    def messages(self, folder: str = "INBOX") -> list[tuple[bytes, set[str]]]:
        """The messages of a folder, oldest first: (raw message, flags)."""
        conn = self.client()
        try:
            conn.select(f'"{folder}"', readonly=True)
            typ, data = conn.uid("SEARCH", None, "ALL")
            found = []
            for uid in data[0].split():
                typ, parts = conn.uid("FETCH", uid, "(FLAGS BODY.PEEK[])")
                meta, raw = parts[0]
                flags = imaplib.ParseFlags(meta) + imaplib.ParseFlags(parts[1] or b"")
                found.append((raw, {flag.decode() for flag in flags}))
            return found
        finally:
            conn.logout()

    def subscribed(self) -> set[str]:
        conn = self.client()
        try:
            return {
                line.decode().split(") ", 1)[1].split(" ", 1)[1].strip('"')
                for line in conn.lsub()[1]
                if line
            }
        finally:
            conn.logout()


class TokenServer:
    """An OAuth 2.0 authorisation server on loopback, as Microsoft Entra ID is to Exchange
    Online: ``/token`` gives an access token for the client credentials (``client_id``,
    ``client_secret``), ``/introspect`` tells Dovecot whose it is (RFC 7662)."""

    client_id = "portal-bounces"
    client_secret = "app-secret"

    def __init__(self):
        import itertools
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs

        tokens: dict[str, str] = {}
        numbers = itertools.count(1)
        server_self = self
        self.requests: list[dict[str, str]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if self.path == "/token":
                    server_self.requests.append(form)
                    if (form.get("client_id"), form.get("client_secret")) != (
                        server_self.client_id,
                        server_self.client_secret,
                    ):
                        return self._json(
                            401,
                            {
                                "error": "invalid_client",
                                "error_description": "AADSTS7000215: Invalid client secret.",
                            },
                        )
                    token = f"token-{next(numbers)}"
                    tokens[token] = USER
                    return self._json(
                        200, {"token_type": "Bearer", "expires_in": 3599, "access_token": token}
                    )
                if self.path == "/introspect":
                    user = tokens.get(form.get("token", ""))
                    return self._json(
                        200, {"active": True, "username": user} if user else {"active": False}
                    )
                return self._json(404, {})

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        port = self.server.server_address[1]
        self.token_url = f"http://127.0.0.1:{port}/token"
        self.introspection_url = f"http://127.0.0.1:{port}/introspect"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

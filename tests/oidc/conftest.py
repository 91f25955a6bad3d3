"""A real OpenID Connect provider on loopback for the sign-in tests.

``oidc_provider`` (session scope) runs tests/oidc/provider/server.mjs, which is the certified
Node library oidc-provider (pinned in package.json, installed by ``npm ci --ignore-scripts``
like axe-core), on ``http://127.0.0.1:<free port>``. Node or the package missing: the test
fails in CI (CI=true) and skips elsewhere, naming "OIDC test provider (node oidc-provider)".
``oidc`` is the same provider for one test, put back afterwards: default accounts, no pending
fault, running. Use ``oidc`` in tests that change accounts, inject faults or stop it. Being
a conftest, this serves the tests under tests/oidc/: put the portal's sign-in tests there.

What the provider does (server.mjs's header has the details): one confidential web client,
``portal`` (registered as client_secret_post, but oidc-provider 9 takes the secret in the
body or in HTTP Basic alike; PKCE S256 required; code flow only), a login page at
/interaction/<uid> ("Username", "Password", "Sign in"; "Wrong username or password"),
automatic consent, the claims of ``openid email profile`` in the ID token, ``groups``
included (released with ``openid``), RS256 keys from a JWKS file the fixture writes, and
RP-initiated logout that confirms itself.

The fixture object (``OIDCTestProvider``):

- ``issuer``, ``port``, ``client_id``, ``client_secret``, ``accounts_path``, ``keys_path``,
  ``config_path``, ``redirect_uris``, ``post_logout_redirect_uris``, ``log_path``;
- ``discovery() -> dict``, ``jwks() -> dict`` (public keys, from the provider), ``log() -> str``;
- ``ensure_client(redirect_uri, post_logout_redirect_uri=None, token_endpoint_auth_method=None)``
  registers the URIs (added to the ones already registered) and restarts the provider only if
  something changed: call it with ``live_server.url + "/oidc/callback/"`` once the live server
  is known; ``set_redirect_uris(uris, post_logout_redirect_uris=None)`` replaces them;
- ``set_groups(login, groups)``, ``set_account(login, **fields)`` (creates or updates; a new
  account gets the default password), ``remove_account(login)``, ``reset_accounts()``: they
  rewrite the accounts file, which the provider reads on every sign-in and token, no restart;
- ``fault(kind)``: the next token response's id_token is doctored: "bad-signature",
  "wrong-audience", "expired", "wrong-issuer", "wrong-nonce", or "none" to clear;
- ``rotate_keys(keep_old=False) -> str``: a new RS256 key (its kid returned) becomes the
  signing key; the old one is dropped from the JWKS unless ``keep_old``. The library fixes
  its keys at start-up, so this rewrites the keys file and restarts on the same port: the
  provider's sessions (who is signed in there) are lost, as in any restart;
- ``stop()`` (provider unreachable: connections refused), ``start()``, ``restart()``.

The accounts (password ``PASSWORD`` for all) and their groups are the constants below.
"""

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.services import free_port, service_unavailable

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(__file__).resolve().parent / "provider" / "server.mjs"
PACKAGE = REPO_ROOT / "node_modules" / "oidc-provider" / "package.json"
SERVICE_NAME = "OIDC test provider (node oidc-provider)"

CLIENT_ID = "portal"
DEFAULT_REDIRECT_URI = "http://localhost:8000/oidc/callback/"
DEFAULT_POST_LOGOUT_REDIRECT_URI = "http://localhost:8000/"
FAULT_KINDS = ("bad-signature", "wrong-audience", "expired", "wrong-issuer", "wrong-nonce")

PASSWORD = "correct horse battery staple"

GROUP_EDITORS = "tr-editors"
GROUP_SENIOR_OWNERS = "tr-senior-owners"
GROUP_COMMS_LEADS = "tr-comms-leads"
GROUP_ALL_STAFF = "all-staff"

SUB_EDITOR1 = "11111111-aaaa-4bbb-8ccc-000000000001"
SUB_SENIOR1 = "11111111-aaaa-4bbb-8ccc-000000000002"
SUB_LEAD1 = "11111111-aaaa-4bbb-8ccc-000000000003"
SUB_STAFF1 = "11111111-aaaa-4bbb-8ccc-000000000004"
SUB_NOGROUP1 = "11111111-aaaa-4bbb-8ccc-000000000005"


def _account(sub, given_name, family_name, groups):
    return {
        "sub": sub,
        "password": PASSWORD,
        "email": f"{given_name}.{family_name}@example.ac.uk".lower(),
        "email_verified": True,
        "given_name": given_name,
        "family_name": family_name,
        "name": f"{given_name} {family_name}",
        "groups": list(groups),
    }


DEFAULT_ACCOUNTS = {
    "editor1": _account(SUB_EDITOR1, "Erin", "Editor", [GROUP_EDITORS]),
    "senior1": _account(SUB_SENIOR1, "Sam", "Senior", [GROUP_SENIOR_OWNERS]),
    "lead1": _account(SUB_LEAD1, "Lee", "Lead", [GROUP_COMMS_LEADS]),
    "staff1": _account(SUB_STAFF1, "Stacy", "Staff", [GROUP_ALL_STAFF]),
    "nogroup1": _account(SUB_NOGROUP1, "Nora", "Nogroup", []),
}


def _write_json(path: Path, data) -> None:
    """Write whole, then rename: the provider never reads a half-written file."""
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(data, indent=2), encoding="utf-8")
    partial.replace(path)


class ProviderStartFailed(RuntimeError):
    pass


class OIDCTestProvider:
    def __init__(self, node: str, workdir: Path, port: int):
        self.node = node
        self.workdir = workdir
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.client_id = CLIENT_ID
        self.client_secret = secrets.token_urlsafe(24)
        self.token_endpoint_auth_method = "client_secret_post"
        self.redirect_uris = [DEFAULT_REDIRECT_URI]
        self.post_logout_redirect_uris = [DEFAULT_POST_LOGOUT_REDIRECT_URI]
        self.accounts_path = workdir / "accounts.json"
        self.keys_path = workdir / "keys.json"
        self.config_path = workdir / "config.json"
        self.log_path = workdir / "provider.log"
        self.process: subprocess.Popen | None = None
        self.reset_accounts()
        _write_json(self.keys_path, self._new_jwks())
        self._write_config()

    # -- files -------------------------------------------------------------------------------

    def _new_jwks(self) -> dict:
        kid = f"test-{secrets.token_hex(6)}"
        completed = subprocess.run(
            [self.node, str(SERVER), "--new-key", kid],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return json.loads(completed.stdout)

    def _write_config(self) -> None:
        _write_json(
            self.config_path,
            {
                "port": self.port,
                "issuer": self.issuer,
                "accounts_file": str(self.accounts_path),
                "keys_file": str(self.keys_path),
                "clients": [
                    {
                        "client_id": self.client_id,
                        "client_secret": self.client_secret,
                        "client_name": "Trusted Research portal (tests)",
                        "redirect_uris": self.redirect_uris,
                        "post_logout_redirect_uris": self.post_logout_redirect_uris,
                        "grant_types": ["authorization_code"],
                        "response_types": ["code"],
                        "token_endpoint_auth_method": self.token_endpoint_auth_method,
                    }
                ],
            },
        )

    def _accounts(self) -> dict:
        return json.loads(self.accounts_path.read_text(encoding="utf-8"))

    # -- process -----------------------------------------------------------------------------

    def start(self, timeout: float = 20) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [self.node, str(SERVER), str(self.config_path)],
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ProviderStartFailed(
                    f"the OIDC test provider exited with {self.process.returncode}:\n"
                    + self.log()[-3000:]
                )
            try:
                if requests.get(self.discovery_url, timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise ProviderStartFailed(
            f"the OIDC test provider did not answer in {timeout} s:\n" + self.log()[-3000:]
        )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    # -- what the provider publishes ---------------------------------------------------------

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def discovery(self) -> dict:
        response = requests.get(self.discovery_url, timeout=5)
        response.raise_for_status()
        return response.json()

    def jwks(self) -> dict:
        response = requests.get(self.discovery()["jwks_uri"], timeout=5)
        response.raise_for_status()
        return response.json()

    # -- the client --------------------------------------------------------------------------

    def ensure_client(
        self,
        redirect_uri: str,
        post_logout_redirect_uri: str | None = None,
        token_endpoint_auth_method: str | None = None,
    ) -> None:
        redirect_uris = list(dict.fromkeys([*self.redirect_uris, redirect_uri]))
        post_logout = list(self.post_logout_redirect_uris)
        if post_logout_redirect_uri:
            post_logout = list(dict.fromkeys([*post_logout, post_logout_redirect_uri]))
        method = token_endpoint_auth_method or self.token_endpoint_auth_method
        if (redirect_uris, post_logout, method) == (
            self.redirect_uris,
            self.post_logout_redirect_uris,
            self.token_endpoint_auth_method,
        ):
            return
        self.redirect_uris, self.post_logout_redirect_uris = redirect_uris, post_logout
        self.token_endpoint_auth_method = method
        self._write_config()
        self.restart()

    def set_redirect_uris(
        self, redirect_uris: list[str], post_logout_redirect_uris: list[str] | None = None
    ) -> None:
        self.redirect_uris = list(redirect_uris)
        if post_logout_redirect_uris is not None:
            self.post_logout_redirect_uris = list(post_logout_redirect_uris)
        self._write_config()
        self.restart()

    # -- accounts (read by the provider on every use) ----------------------------------------

    def reset_accounts(self) -> None:
        _write_json(self.accounts_path, DEFAULT_ACCOUNTS)

    def set_account(self, login: str, **fields) -> None:
        accounts = self._accounts()
        account = accounts.get(login) or {"sub": secrets.token_hex(16), "password": PASSWORD}
        account.update(fields)
        accounts[login] = account
        _write_json(self.accounts_path, accounts)

    def set_groups(self, login: str, groups: list[str]) -> None:
        accounts = self._accounts()
        accounts[login]["groups"] = list(groups)
        _write_json(self.accounts_path, accounts)

    def remove_account(self, login: str) -> None:
        accounts = self._accounts()
        accounts.pop(login, None)
        _write_json(self.accounts_path, accounts)

    # -- faults and keys ---------------------------------------------------------------------

    def fault(self, kind: str) -> None:
        response = requests.post(f"{self.issuer}/__test__/fault", json={"kind": kind}, timeout=5)
        response.raise_for_status()

    def rotate_keys(self, keep_old: bool = False) -> str:
        new = self._new_jwks()
        old = json.loads(self.keys_path.read_text(encoding="utf-8"))
        keys = new["keys"] + (old["keys"] if keep_old else [])
        _write_json(self.keys_path, {"keys": keys})
        self.restart()
        return new["keys"][0]["kid"]


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    node = shutil.which("node")
    if node is None:
        service_unavailable(SERVICE_NAME, "`node` not on PATH; install Node.js")
    if not PACKAGE.exists():
        service_unavailable(
            SERVICE_NAME, f"{PACKAGE.parent} not found; run `npm ci --ignore-scripts`"
        )
    port = free_port()
    provider = OIDCTestProvider(node, tmp_path_factory.mktemp("oidc-provider"), port)
    try:
        provider.start()
    except ProviderStartFailed as error:
        pytest.fail(str(error), pytrace=False)
    yield provider
    provider.stop()


@pytest.fixture
def oidc(oidc_provider):
    """The session's provider for one test; afterwards running again, default accounts, no
    pending fault (the keys and registered URIs stay as the test left them)."""
    yield oidc_provider
    oidc_provider.reset_accounts()
    if not oidc_provider.running:
        oidc_provider.start()
    oidc_provider.fault("none")

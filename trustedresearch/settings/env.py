"""Reading configuration from the environment, with errors that name the variable."""

import os
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

import dj_database_url

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = os.environ.get(name)
    if value is None or (required and not value.strip()):
        if required:
            raise ImproperlyConfigured(
                f"{name} is not set. Set the {name} environment variable "
                "(see docs/configuration.md)."
            )
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in TRUE_VALUES:
        return True
    if lowered in FALSE_VALUES:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean. Use true or false.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None


def env_list(name: str, default: list[str] | None = None, *, required: bool = False) -> list[str]:
    value = env_str(name, None, required=required)
    if value is None:
        return list(default or [])
    items = [item.strip() for item in value.split(",") if item.strip()]
    if required and not items:
        raise ImproperlyConfigured(f"{name} is empty. List the values separated by commas.")
    return items


def env_database(name: str = "DATABASE_URL", default: str | None = None) -> dict:
    """Parse DATABASE_URL into Django's DATABASES['default'], naming the variable on error."""
    url = env_str(name, default, required=default is None)
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several kinds for a bad URL
        raise ImproperlyConfigured(
            f"{name} is malformed ({exc}). Expected e.g. postgres://user:pass@host:5432/dbname "
            "or sqlite:///path/to/db.sqlite3."
        ) from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            f"{name}={url!r} names no database. Expected e.g. postgres://user@host:5432/dbname."
        )
    return config


def env_broker(name: str = "CELERY_BROKER_URL", default: str | None = None) -> str:
    """The Celery broker URL: CELERY_BROKER_URL, else REDIS_URL, else the default."""
    url = os.environ.get(name) or os.environ.get("REDIS_URL") or default
    if not url:
        raise ImproperlyConfigured(
            f"{name} is not set. Set it (or REDIS_URL) to e.g. redis://127.0.0.1:6379/0."
        )
    if "://" not in url:
        raise ImproperlyConfigured(
            f"{name}={url!r} is malformed. Expected e.g. redis://127.0.0.1:6379/0 "
            "or amqp://guest:guest@127.0.0.1:5672//."
        )
    return url


def env_cache(name: str = "CACHE_URL", *, default: str, redis_url_fallback: bool = True) -> dict:
    """Django's CACHES['default'] from a URL: ``redis://host:6379/1`` (or ``rediss://``),
    ``file:///absolute/dir``, ``locmem://`` or ``dummy://``. Without ``name`` set, REDIS_URL
    (when ``redis_url_fallback``), else ``default``."""
    url = os.environ.get(name) or (redis_url_fallback and os.environ.get("REDIS_URL")) or default
    scheme, _, rest = url.partition("://")
    if scheme in ("redis", "rediss"):
        # Django's RedisCache, reusing one client per connection pool
        # (comms.readercache.cache_backends).
        config = {
            "BACKEND": "comms.readercache.cache_backends.ReusedClientRedisCache",
            "LOCATION": url,
        }
    elif scheme == "file" and rest.startswith("/"):
        config = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": rest,
        }
    elif scheme == "locmem":
        config = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    elif scheme == "dummy":
        config = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    else:
        raise ImproperlyConfigured(
            f"{name}={url!r} is malformed. Expected e.g. redis://127.0.0.1:6379/1, "
            "file:///var/cache/portal or locmem://."
        )
    # Keys are prefixed so the portal can share a Redis database with other programs.
    config["KEY_PREFIX"] = "tr"
    return config


def env_https_url(name: str) -> str:
    """A required https:// address (the portal's public address), without a trailing slash."""
    from urllib.parse import urlsplit

    value = env_str(name, required=True).strip()
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not an https:// address. Set it to the portal's public "
            "address, e.g. https://trusted-research.example.ac.uk"
        )
    return value.rstrip("/")


def env_sender(name: str) -> str:
    """A required sender, "Name <address@domain>" or "address@domain", with a real domain."""
    from email.utils import parseaddr

    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    value = env_str(name, required=True).strip()
    address = parseaddr(value)[1]
    try:
        validate_email(address)
        if "." not in address.rsplit("@", 1)[-1]:
            raise ValidationError("no dot in the domain")
    except ValidationError:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a sender address with a mail domain. Set it to e.g. "
            '"Trusted Research <trusted-research@example.ac.uk>"'
        ) from None
    return value


def env_json_object(name: str) -> dict[str, str]:
    """A JSON object of strings to strings (e.g. OIDC_GROUP_ROLES), {} when unset or empty."""
    import json

    value = (env_str(name) or "").strip()
    if not value:
        return {}
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ImproperlyConfigured(
            f"{name} is not valid JSON ({exc.msg} at character {exc.pos}). Give a JSON object, "
            'for example {"<group id>": "Comms leads"}.'
        ) from None
    if not isinstance(parsed, dict) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in parsed.items()
    ):
        raise ImproperlyConfigured(
            f'{name} must be a JSON object of strings, for example {{"<group id>": "Comms leads"}}.'
        )
    return parsed


def oidc_settings_check(
    *, issuer: str, client_id: str, client_secret: str, group_roles: dict, unmapped: str, only: bool
) -> None:
    """Refuse to start with an OpenID Connect configuration that cannot work, naming what to fix."""
    from comms.roles import ALL_GROUPS

    if not issuer:
        if only:
            raise ImproperlyConfigured(
                "OIDC_ONLY=true needs OIDC_ISSUER (and OIDC_CLIENT_ID, OIDC_CLIENT_SECRET): "
                "without an identity provider nobody but a superuser could sign in."
            )
        return
    if not issuer.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ImproperlyConfigured(
            f"OIDC_ISSUER={issuer!r} must start with https:// (the provider's issuer, whose "
            "/.well-known/openid-configuration the portal reads)."
        )
    for name, value in (("OIDC_CLIENT_ID", client_id), ("OIDC_CLIENT_SECRET", client_secret)):
        if not value:
            raise ImproperlyConfigured(
                f"{name} is not set. OIDC_ISSUER is set, so the portal signs in through the "
                "identity provider: give the client id and secret it registered for the portal."
            )
    unknown = sorted({role for role in group_roles.values() if role not in ALL_GROUPS})
    if unknown:
        raise ImproperlyConfigured(
            f"OIDC_GROUP_ROLES names {', '.join(map(repr, unknown))}, not a portal group. Map "
            f"each provider group to one of: {', '.join(ALL_GROUPS)}."
        )
    if unmapped not in ("staff", "refuse"):
        raise ImproperlyConfigured(
            f"OIDC_UNMAPPED={unmapped!r}: use staff (sign in as Staff) or refuse."
        )


def ldap_settings_check(
    *, url: str, user_base: str, group_base: str, timeout: int, interval: int
) -> None:
    """Refuse to start with an LDAP directory sync that cannot work, naming what to fix. An
    empty LDAP_URL turns the sync off and needs nothing else."""
    from urllib.parse import urlsplit

    for name, value in (("LDAP_TIMEOUT", timeout), ("LDAP_SYNC_INTERVAL", interval)):
        if value < 1:
            raise ImproperlyConfigured(f"{name}={value} is not a positive whole number of seconds.")
    if not url:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("ldap", "ldaps") or not parts.hostname:
        raise ImproperlyConfigured(
            f"LDAP_URL={url!r} is not an ldap:// or ldaps:// address. Set it to e.g. "
            "ldaps://ad.example.ac.uk:636, or leave it empty to turn the directory sync off."
        )
    for name, value in (("LDAP_USER_BASE", user_base), ("LDAP_GROUP_BASE", group_base)):
        if not value:
            raise ImproperlyConfigured(
                f"{name} is not set. LDAP_URL is set, so the portal reads the directory: give "
                "the DN under which to search, e.g. ou=people,dc=example,dc=ac,dc=uk."
            )


def oidc_form_action(issuer: str) -> list[str]:
    """CSP ``form-action`` sources: this site, and the identity provider's origin when there is
    one (signing out is a form POST whose answer redirects to the provider's end-session
    endpoint, and browsers hold redirects after a form to the same rule)."""
    from urllib.parse import urlsplit

    if not issuer:
        return ["'self'"]
    parts = urlsplit(issuer)
    return ["'self'", f"{parts.scheme}://{parts.netloc}"]


def dkim_settings_check(*, domain: str, selector: str, key_file: str, key: str) -> None:
    """Refuse to start with a DKIM configuration that would not sign, naming what to fix."""
    from pathlib import Path

    if not (domain or selector or key_file or key):
        return
    if not domain:
        raise ImproperlyConfigured(
            "NEWSLETTER_DKIM_DOMAIN is not set: give the domain the signature is for (the "
            "sender's, e.g. example.ac.uk), or unset the other NEWSLETTER_DKIM_ settings."
        )
    if not selector:
        raise ImproperlyConfigured(
            "NEWSLETTER_DKIM_SELECTOR is not set: give the selector whose public key is published "
            f"at <selector>._domainkey.{domain}."
        )
    if key_file:
        path = Path(key_file)
        if not path.is_file():
            raise ImproperlyConfigured(
                f"NEWSLETTER_DKIM_PRIVATE_KEY_FILE={key_file!r} is not a readable file."
            )
        key = path.read_text(errors="replace")
    if "PRIVATE KEY-----" not in key:
        raise ImproperlyConfigured(
            "The DKIM private key is missing or not a PEM private key: set "
            "NEWSLETTER_DKIM_PRIVATE_KEY_FILE to the key file (BEGIN RSA PRIVATE KEY or BEGIN "
            "PRIVATE KEY)."
        )


@dataclass(frozen=True)
class ImapMailbox:
    """Where the bounce mailbox is (BOUNCE_IMAP_URL, parsed): user and password decoded."""

    tls: bool
    host: str
    port: int
    user: str
    password: str
    mailbox: str


LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


def imap_url_parse(
    url: str, name: str = "BOUNCE_IMAP_URL", *, password_required: bool = True
) -> ImapMailbox:
    """``imaps://user:password@host:993/INBOX`` (``%40`` for an @ in the user name), or
    ``imap://`` to a loopback address only: a password is not sent unencrypted over a network.
    Without ``password_required`` (OAuth 2.0) the password may be left out. Raises
    ImproperlyConfigured naming ``name``."""
    from urllib.parse import unquote, urlsplit

    example = "e.g. imaps://bounces%40example.ac.uk:password@outlook.office365.com:993/INBOX"
    shown = url.replace(urlsplit(url).password or "\0", "***") if "://" in url else url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"{name}={shown!r} is malformed ({exc}). Set it to {example}."
        ) from None
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name}={shown!r} is not an imaps:// address. Set it to {example}, or leave it "
            "empty to turn the bounce mailbox off."
        )
    if parts.scheme == "imap" and parts.hostname not in LOOPBACK_HOSTS:
        raise ImproperlyConfigured(
            f"{name}={shown!r} would send the mailbox's password unencrypted: use imaps:// "
            "(imap:// is for a server on this machine only)."
        )
    if not parts.username or (password_required and not parts.password):
        raise ImproperlyConfigured(
            f"{name}={shown!r} has no user name and password. Give both, percent-encoded "
            f"(an @ in the user name as %40), {example}."
        )
    mailbox = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapMailbox(
        tls=parts.scheme == "imaps",
        host=parts.hostname,
        port=port or (993 if parts.scheme == "imaps" else 143),
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        mailbox=mailbox,
    )


def bounce_settings_check(
    *,
    url: str,
    interval: int,
    timeout: int,
    ca_file: str,
    oauth_token_url: str = "",
    oauth_client_id: str = "",
    oauth_client_secret: str = "",
) -> None:
    """Refuse to start with a bounce mailbox that cannot be read, naming what to fix. An empty
    BOUNCE_IMAP_URL turns the mailbox reader off and needs nothing else. With
    BOUNCE_IMAP_OAUTH_TOKEN_URL the mailbox is opened with an OAuth 2.0 token (Exchange Online),
    which needs the client id and secret, and no password in the URL."""
    from pathlib import Path

    for name, value in (("BOUNCE_IMAP_INTERVAL", interval), ("BOUNCE_IMAP_TIMEOUT", timeout)):
        if value < 1:
            raise ImproperlyConfigured(f"{name}={value} is not a positive whole number of seconds.")
    if not url:
        return
    imap_url_parse(url, password_required=not oauth_token_url)
    if ca_file and not Path(ca_file).is_file():
        raise ImproperlyConfigured(
            f"BOUNCE_IMAP_CA_FILE={ca_file!r} is not a readable file: give the PEM file of the "
            "CA that signed the mail server's certificate, or leave it empty for the system's."
        )
    if not oauth_token_url:
        return
    if not oauth_token_url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise ImproperlyConfigured(
            f"BOUNCE_IMAP_OAUTH_TOKEN_URL={oauth_token_url!r} must start with https://, e.g. "
            "https://login.microsoftonline.com/<tenant id>/oauth2/v2.0/token"
        )
    for name, value in (
        ("BOUNCE_IMAP_OAUTH_CLIENT_ID", oauth_client_id),
        ("BOUNCE_IMAP_OAUTH_CLIENT_SECRET", oauth_client_secret),
    ):
        if not value:
            raise ImproperlyConfigured(
                f"{name} is not set. BOUNCE_IMAP_OAUTH_TOKEN_URL is set, so the mailbox is opened "
                "with an OAuth 2.0 token: give the id and a secret of the app registered for it."
            )

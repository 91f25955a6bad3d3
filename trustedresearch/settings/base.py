"""Settings shared by every environment. Everything that differs comes from the environment."""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .env import (
    bounce_settings_check,
    dkim_settings_check,
    env_bool,
    env_broker,
    env_cache,
    env_int,
    env_json_object,
    env_list,
    env_str,
    ldap_settings_check,
    oidc_form_action,
    oidc_settings_check,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("PORTAL_DATA_DIR", str(BASE_DIR / "data")))

INSTALLED_APPS = [
    "comms",
    "stats",
    "directory",
    "blogs",
    "newsletter",
    "campaign",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A body over MAX_REQUEST_BODY_SIZE is refused (413) before it is read.
    "comms.proxies.RequestBodyLimitMiddleware",
    # Content-Security-Policy header (django-csp); the policy is CONTENT_SECURITY_POLICY below.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user; the few public views opt out with @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Wagtail page routes from the cache (comms.readercache); after the sign-in check on purpose.
    "comms.readercache.middleware.CachedPageRouteMiddleware",
    # Distinct signed-in readers per item and day, never who (comms.services.engagement_reads).
    "comms.middleware.ReadCountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "trustedresearch.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
            # {% load readercache %}: the reader-page fragment cache (comms.readercache).
            "libraries": {"readercache": "comms.readercache.templatetags"},
        },
    },
]

WSGI_APPLICATION = "trustedresearch.wsgi.application"

# Database: set per environment (dev defaults to SQLite in data/, production requires DATABASE_URL).
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in with the institution's identity provider (OpenID Connect, comms/oidc.py): on when
# OIDC_ISSUER is set. Its groups (OIDC_GROUP_CLAIM) give the portal's roles (OIDC_GROUP_ROLES,
# JSON: the provider's group id or name -> a portal group) at every sign-in. OIDC_ONLY: no
# password sign-in but for superusers (break glass). See docs/configuration.md, "Sign-in".
OIDC_ISSUER = (env_str("OIDC_ISSUER") or "").strip().rstrip("/")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME") or "University SSO"
OIDC_GROUP_CLAIM = env_str("OIDC_GROUP_CLAIM") or "groups"
OIDC_GROUP_ROLES = env_json_object("OIDC_GROUP_ROLES")
OIDC_ONLY = env_bool("OIDC_ONLY", False)
# A person none of whose groups is in OIDC_GROUP_ROLES: "staff" (signed in as Staff, a reader)
# or "refuse" (a page saying they have no role on the portal).
OIDC_UNMAPPED = (env_str("OIDC_UNMAPPED") or "staff").strip().lower()
OIDC_SCOPES = env_str("OIDC_SCOPES") or "openid email profile"
# The claim holding the person's id in the directory, as SCIM provisioning sends it in
# externalId (Entra ID: "oid", the object id); "sub" when the provider has no such claim.
OIDC_DIRECTORY_ID_CLAIM = env_str("OIDC_DIRECTORY_ID_CLAIM") or "oid"
# Seconds of clock difference allowed with the provider when checking the ID token's times.
OIDC_CLOCK_SKEW = env_int("OIDC_CLOCK_SKEW", 60)
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)
oidc_settings_check(
    issuer=OIDC_ISSUER,
    client_id=OIDC_CLIENT_ID,
    client_secret=OIDC_CLIENT_SECRET,
    group_roles=OIDC_GROUP_ROLES,
    unmapped=OIDC_UNMAPPED,
    only=OIDC_ONLY,
)

# The directory from LDAP / Active Directory (directory/services/ldap.py): on when LDAP_URL is
# set (ldap:// or ldaps://). Every LDAP_SYNC_INTERVAL seconds (beat, trustedresearch/celery.py)
# or with `manage.py directory_sync`, people and groups are read under their bases with their
# filters and applied in one transaction. Attribute names default to OpenLDAP's (inetOrgPerson);
# for Active Directory see docs/configuration.md, "LDAP / Active Directory sync".
LDAP_URL = (env_str("LDAP_URL") or "").strip()
LDAP_BIND_DN = env_str("LDAP_BIND_DN", "")
LDAP_BIND_PASSWORD = env_str("LDAP_BIND_PASSWORD", "")
LDAP_USER_BASE = (env_str("LDAP_USER_BASE") or "").strip()
LDAP_GROUP_BASE = (env_str("LDAP_GROUP_BASE") or "").strip()
LDAP_USER_FILTER = (env_str("LDAP_USER_FILTER") or "").strip() or "(objectClass=inetOrgPerson)"
LDAP_GROUP_FILTER = (env_str("LDAP_GROUP_FILTER") or "").strip() or (
    "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))"
)
# entryUUID (OpenLDAP) or objectGUID (Active Directory, binary: stored as its canonical string).
LDAP_ATTR_ID = (env_str("LDAP_ATTR_ID") or "").strip() or "entryUUID"
LDAP_ATTR_USERNAME = (env_str("LDAP_ATTR_USERNAME") or "").strip() or "uid"
LDAP_ATTR_EMAIL = (env_str("LDAP_ATTR_EMAIL") or "").strip() or "mail"
LDAP_ATTR_GIVEN_NAME = (env_str("LDAP_ATTR_GIVEN_NAME") or "").strip() or "givenName"
LDAP_ATTR_FAMILY_NAME = (env_str("LDAP_ATTR_FAMILY_NAME") or "").strip() or "sn"
LDAP_ATTR_DISPLAY_NAME = (env_str("LDAP_ATTR_DISPLAY_NAME") or "").strip() or "cn"
# member (groupOfNames, Active Directory) or uniqueMember (groupOfUniqueNames): members' DNs.
LDAP_GROUP_MEMBER_ATTR = (env_str("LDAP_GROUP_MEMBER_ATTR") or "").strip() or "member"
LDAP_TIMEOUT = env_int("LDAP_TIMEOUT", 30)
LDAP_SYNC_INTERVAL = env_int("LDAP_SYNC_INTERVAL", 3600)
# PEM file of the CA that signed the directory's certificate (ldaps:// with a private CA);
# empty: the system's trusted CAs.
LDAP_CA_FILE = (env_str("LDAP_CA_FILE") or "").strip()
ldap_settings_check(
    url=LDAP_URL,
    user_base=LDAP_USER_BASE,
    group_base=LDAP_GROUP_BASE,
    timeout=LDAP_TIMEOUT,
    interval=LDAP_SYNC_INTERVAL,
)

# The bounce mailbox (newsletter/services/bounce_mailbox.py): on when BOUNCE_IMAP_URL is set,
# e.g. imaps://bounces%40example.ac.uk:password@outlook.office365.com:993/INBOX (imap:// to a
# loopback address only). Every BOUNCE_IMAP_INTERVAL seconds (beat, trustedresearch/celery.py)
# the mailbox's messages are read, handed to the bounce parser and moved to the folder
# Processed, or Review when the parser did not understand them.
BOUNCE_IMAP_URL = (env_str("BOUNCE_IMAP_URL") or "").strip()
BOUNCE_IMAP_INTERVAL = env_int("BOUNCE_IMAP_INTERVAL", 300)
# Seconds to wait for the mail server to answer.
BOUNCE_IMAP_TIMEOUT = env_int("BOUNCE_IMAP_TIMEOUT", 30)
# PEM file of the CA that signed the mail server's certificate (imaps:// with a private CA);
# empty: the system's trusted CAs.
BOUNCE_IMAP_CA_FILE = (env_str("BOUNCE_IMAP_CA_FILE") or "").strip()
# Exchange Online refuses passwords over IMAP: the mailbox is opened with an OAuth 2.0 token
# (client credentials, SASL XOAUTH2) when BOUNCE_IMAP_OAUTH_TOKEN_URL is set, e.g.
# https://login.microsoftonline.com/<tenant id>/oauth2/v2.0/token; BOUNCE_IMAP_URL then gives
# the mailbox's address as user and no password.
BOUNCE_IMAP_OAUTH_TOKEN_URL = (env_str("BOUNCE_IMAP_OAUTH_TOKEN_URL") or "").strip()
BOUNCE_IMAP_OAUTH_CLIENT_ID = (env_str("BOUNCE_IMAP_OAUTH_CLIENT_ID") or "").strip()
BOUNCE_IMAP_OAUTH_CLIENT_SECRET = env_str("BOUNCE_IMAP_OAUTH_CLIENT_SECRET", "")
BOUNCE_IMAP_OAUTH_SCOPE = (
    env_str("BOUNCE_IMAP_OAUTH_SCOPE") or ""
).strip() or "https://outlook.office365.com/.default"
bounce_settings_check(
    url=BOUNCE_IMAP_URL,
    interval=BOUNCE_IMAP_INTERVAL,
    timeout=BOUNCE_IMAP_TIMEOUT,
    ca_file=BOUNCE_IMAP_CA_FILE,
    oauth_token_url=BOUNCE_IMAP_OAUTH_TOKEN_URL,
    oauth_client_id=BOUNCE_IMAP_OAUTH_CLIENT_ID,
    oauth_client_secret=BOUNCE_IMAP_OAUTH_CLIENT_SECRET,
)

# AUTHENTICATION_BACKENDS is the seam for other sign-in (SAML...): PORTAL_EXTRA_AUTH_BACKENDS.
# Password sign-in goes through CachedPermissionsModelBackend, which with OIDC_ONLY accepts
# superusers only.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    *env_list("PORTAL_EXTRA_AUTH_BACKENDS"),
    # Django's ModelBackend, with each user's permissions kept in the cache between requests.
    "comms.backends.CachedPermissionsModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
# With OIDC_ONLY passwords are the identity provider's business: Wagtail offers no password
# change or reset (a superuser's break-glass password is set with `manage.py changepassword`).
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = not OIDC_ONLY
WAGTAIL_PASSWORD_RESET_ENABLED = not OIDC_ONLY
WAGTAILADMIN_LOGIN_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 9)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Sessions are read from the cache and written through to the database (they survive a flush).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# The cache: CACHE_URL, else REDIS_URL (production and CI); dev and test set their defaults.
# Reader pages, routes, sites and permissions are cached with invalidation on every edit
# (comms.readercache.caching); READER_CACHE_TIMEOUT bounds how long an entry lives in any case.
CACHES = {"default": env_cache(default=f"file://{DATA_DIR / 'cache'}")}
READER_CACHE_TIMEOUT = env_int("READER_CACHE_TIMEOUT", 60 * 60)

# Throttling of failed logins (django-axes): 5 failures for one username from one address
# lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The client's address behind a reverse proxy: TRUSTED_PROXY_COUNT is how many proxies
# (nginx, a load balancer) stand in front of the portal and append to X-Forwarded-For; 0 means
# none, and REMOTE_ADDR is the client. Wrong in either direction matters: too low and every
# visitor shares the proxy's address (anyone can lock out any named user), too high and a
# visitor can forge the address that is throttled. See comms.proxies.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} is negative. Use 0 (no proxy) or the "
        "number of proxies in front of the portal."
    )
AXES_CLIENT_IP_CALLABLE = "comms.proxies.client_ip"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Request bodies. Form fields (everything but files) up to 5 MB, read into memory; uploaded
# files over 5 MB go to a temporary file instead. The whole body (files included) is refused
# with 413 over MAX_REQUEST_BODY_SIZE before it is read (comms.proxies): the largest upload
# allowed, a 10 MB document, plus room for the form around it. Set the reverse proxy's limit
# to match (nginx: client_max_body_size 11m).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100
MAX_REQUEST_BODY_SIZE = 11 * 1024 * 1024

# Content Security Policy (django-csp 4): only our own scripts, styles and fonts, no inline
# script. The Wagtail admin relies on inline scripts and styles, so /admin/ is left out.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": oidc_form_action(OIDC_ISSUER),
    },
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email. EMAIL_HOST and friends configure the SMTP relay the newsletter goes out through.
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 1025)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# Date headers in UK local time with the real offset (+0000 / +0100), not "-0000" (RFC 5322
# §3.3: "-0000" says the local time is unknown, which spam filters score).
EMAIL_USE_LOCALTIME = True
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Trusted Research <trusted-research@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Newsletter sending engine (newsletter/services/engine.py). Rate limit: messages per second
# across all workers, 0 for none. Leases: how long a worker may hold claimed deliveries before
# the dispatcher's sweeper gives them to another worker.
NEWSLETTER_DISPATCH_INTERVAL = float(env_str("NEWSLETTER_DISPATCH_INTERVAL", "5"))
NEWSLETTER_RATE_LIMIT = float(env_str("NEWSLETTER_RATE_LIMIT", "0"))
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 100)
NEWSLETTER_MAX_IN_FLIGHT = env_int("NEWSLETTER_MAX_IN_FLIGHT", 5000)
NEWSLETTER_LEASE_SECONDS = env_int("NEWSLETTER_LEASE_SECONDS", 300)
NEWSLETTER_QUEUE_LEASE_SECONDS = env_int("NEWSLETTER_QUEUE_LEASE_SECONDS", 900)
# A queued batch that no worker picked up while the workers sat idle this long (its task
# message was lost, e.g. by a broker restart) is queued again.
NEWSLETTER_PICKUP_SECONDS = env_int("NEWSLETTER_PICKUP_SECONDS", 60)
# This many permanent or connection failures in a row pause a send (0: never).
NEWSLETTER_PAUSE_AFTER_FAILURES = env_int("NEWSLETTER_PAUSE_AFTER_FAILURES", 50)
# The connection dropped after a message was sent, before the server confirmed it: "retry"
# sends it again (same Message-ID; it may arrive twice), "never" leaves it uncertain.
NEWSLETTER_UNCERTAIN_DELIVERY = env_str("NEWSLETTER_UNCERTAIN_DELIVERY", "retry").strip().lower()
if NEWSLETTER_UNCERTAIN_DELIVERY not in ("retry", "never"):
    raise ImproperlyConfigured(
        f"NEWSLETTER_UNCERTAIN_DELIVERY={NEWSLETTER_UNCERTAIN_DELIVERY!r}: use retry or never."
    )
NEWSLETTER_MAX_ATTEMPTS = env_int("NEWSLETTER_MAX_ATTEMPTS", 5)
NEWSLETTER_RETRY_BACKOFF = float(env_str("NEWSLETTER_RETRY_BACKOFF", "60"))
NEWSLETTER_UNSUBSCRIBE_MAILTO = env_str("NEWSLETTER_UNSUBSCRIBE_MAILTO", "")
# "Send me a test" (newsletter/services/testsend.py): only to the sender's own address or to an
# address in one of these domains (exact match, comma-separated), at most LIMIT tests a person
# an hour.
NEWSLETTER_TEST_SEND_DOMAINS = env_list("NEWSLETTER_TEST_SEND_DOMAINS", [])
NEWSLETTER_TEST_SEND_LIMIT = env_int("NEWSLETTER_TEST_SEND_LIMIT", 10)

# Soft bounces (newsletter/services/bounces.py), Mailman-style: one point a day at most; at the
# threshold the subscriber is "bounced"; a score whose last bounce is older than the stale days
# starts again from 0.
NEWSLETTER_SOFT_BOUNCE_THRESHOLD = env_int("NEWSLETTER_SOFT_BOUNCE_THRESHOLD", 5)
NEWSLETTER_SOFT_BOUNCE_STALE_DAYS = env_int("NEWSLETTER_SOFT_BOUNCE_STALE_DAYS", 7)
for _name in ("NEWSLETTER_SOFT_BOUNCE_THRESHOLD", "NEWSLETTER_SOFT_BOUNCE_STALE_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name}={globals()[_name]} is not a positive whole number.")

# DKIM signing of newsletter messages (newsletter/dkim.py), for relays that do not sign: on when
# NEWSLETTER_DKIM_DOMAIN is set, with the selector and the private key (a PEM file, or the PEM
# itself in NEWSLETTER_DKIM_PRIVATE_KEY).
NEWSLETTER_DKIM_DOMAIN = (env_str("NEWSLETTER_DKIM_DOMAIN") or "").strip()
NEWSLETTER_DKIM_SELECTOR = (env_str("NEWSLETTER_DKIM_SELECTOR") or "").strip()
NEWSLETTER_DKIM_PRIVATE_KEY_FILE = (env_str("NEWSLETTER_DKIM_PRIVATE_KEY_FILE") or "").strip()
NEWSLETTER_DKIM_PRIVATE_KEY = env_str("NEWSLETTER_DKIM_PRIVATE_KEY") or ""
dkim_settings_check(
    domain=NEWSLETTER_DKIM_DOMAIN,
    selector=NEWSLETTER_DKIM_SELECTOR,
    key_file=NEWSLETTER_DKIM_PRIVATE_KEY_FILE,
    key=NEWSLETTER_DKIM_PRIVATE_KEY,
)

# Engagement. Raw click and read events (per-person rows, digests, read marks) are deleted
# after ENGAGEMENT_RETENTION_DAYS at the latest by the beat schedule; the aggregates stay.
ENGAGEMENT_RETENTION_DAYS = env_int("ENGAGEMENT_RETENTION_DAYS", 90)
if ENGAGEMENT_RETENTION_DAYS < 1:
    raise ImproperlyConfigured(
        f"ENGAGEMENT_RETENTION_DAYS={ENGAGEMENT_RETENTION_DAYS} is not a positive whole number. "
        "Set it to the number of days raw read and click events are kept (default 90)."
    )
# Who clicked which link in a mailed issue: off (only counts are kept). Turn on only with a
# lawful basis for it (see the docs, Privacy).
NEWSLETTER_CLICKS_PER_PERSON = env_bool("NEWSLETTER_CLICKS_PER_PERSON", False)

# /healthz: beat queues a heartbeat every HEALTH_HEARTBEAT_INTERVAL seconds (trustedresearch/
# celery.py) and a worker records it; older than HEALTH_HEARTBEAT_MAX_AGE seconds = 503.
HEALTH_HEARTBEAT_INTERVAL = float(env_str("HEALTH_HEARTBEAT_INTERVAL", "30"))
HEALTH_HEARTBEAT_MAX_AGE = env_int("HEALTH_HEARTBEAT_MAX_AGE", 180)

# Celery: the app and its one beat schedule live in trustedresearch/celery.py.
CELERY_BROKER_URL = env_broker(default="redis://127.0.0.1:6379/0")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE

# Wagtail
WAGTAIL_SITE_NAME = "Trusted Research portal"
# Two-person approval (comms/approval.py): an edit made while a page is under review needs a new
# approval, and a finished workflow publishes the revision it approved, not the latest one.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "comms.workflow_actions.publish_approved_revision"
# No gravatar.com avatars in the admin: staff email hashes stay in-house, and intranets often
# cannot reach it (broken images).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The domain part of calendar event UIDs (campaign/calendar.py). Not the portal's host: a UID
# must not change when the portal moves or is opened on another port, or calendar clients show
# every activity twice. Set it once (e.g. to the institution's domain) and leave it.
CALENDAR_UID_DOMAIN = "trusted-research-portal"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024  # a long PDF report fits; a video does not
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# Every uploaded image is decoded in full first: a damaged file is a form error (comms/images.py).
WAGTAILIMAGES_IMAGE_FORM_BASE = "comms.images.PortalImageForm"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail's search-index and reference-index tasks run inline and log two INFO lines
        # per saved object: hundreds per `load_comms_pack`, drowning what matters.
        "django_tasks": {"level": "WARNING"},
    },
}

# Loaders run, in order, by `manage.py load_comms_pack` (see comms/pack.py).
COMMS_PACK_LOADERS: list[str] = [
    "stats.pack.load",
    "campaign.pack.load",
    "blogs.pack.load",
    "newsletter.pack.load",
]

from django.conf import settings
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from blogs import views as blogs_views
from campaign import views as campaign_views
from comms import signin_views
from comms import views as comms_views
from newsletter import views as newsletter_views

urlpatterns = [
    path("healthz", comms_views.healthz, name="healthz"),
    path("favicon.ico", comms_views.favicon, name="favicon"),
    path("accounts/login/", signin_views.PortalLoginView.as_view(), name="login"),
    # OIDC_ONLY: the password form for superusers when the identity provider is down.
    path(
        "accounts/login/break-glass/",
        signin_views.PortalLoginView.as_view(break_glass=True),
        name="login_break_glass",
    ),
    path("accounts/oidc/login/", signin_views.oidc_start, name="oidc_login"),
    path("accounts/oidc/callback/", signin_views.oidc_callback, name="oidc_callback"),
    path("accounts/logout/", signin_views.logout, name="logout"),
    # Wagtail's "Log out" posts here too: out of the provider's session as well (signin_views);
    # its login page is the portal's (one sign-in page, the provider's button on it).
    path("admin/logout/", signin_views.logout, name="portal_admin_logout"),
    path("admin/login/", signin_views.admin_login_redirect, name="portal_admin_login"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # Newsletter unsubscribe: no sign-in, the signed token is the authority (RFC 8058 one-click).
    path("unsubscribe/<str:token>/", newsletter_views.unsubscribe, name="newsletter_unsubscribe"),
    # Feed readers cannot sign in: a personal token in the URL, or the session
    # (see docs/reference/blogs.md).
    path("blog/feed/", blogs_views.blog_feed, name="blog_feed"),
    # A newsletter issue a comms lead shared: no sign-in, the random token is the key.
    path(
        "newsletters/public/<str:token>/",
        newsletter_views.public_issue,
        name="newsletter_public_issue",
    ),
    # A link in a mailed issue: counted, then redirected to the link's address. No sign-in
    # (mail clients and link checkers follow it); the signed key is the authority.
    path(
        "newsletters/c/<str:key>/<int:position>/",
        newsletter_views.click,
        name="newsletter_click",
    ),
    # Calendar clients cannot sign in: a personal token in the URL (see docs/reference/campaign.md).
    path("campaign/calendar.ics", campaign_views.calendar_feed, name="campaign-calendar-feed"),
    # A POST from the pages that show the personal feed address: a new token, the old refused.
    path(
        "account/feed-address/replace/",
        comms_views.feed_token_replace_view,
        name="feed_token_replace",
    ),
    # SCIM 2.0 provisioning by the identity provider (directory.scim): a bearer token from
    # `manage.py scim_token create NAME`, no sign-in, no CSRF; errors are SCIM JSON.
    path("scim/v2/", include("directory.scim.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving last: it catches everything else.
urlpatterns += [path("", include(wagtail_urls))]

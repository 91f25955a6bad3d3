from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from blogs import views as blogs_views
from campaign import views as campaign_views
from comms import views as comms_views
from newsletter import views as newsletter_views

urlpatterns = [
    path("healthz", comms_views.healthz, name="healthz"),
    path("favicon.ico", comms_views.favicon, name="favicon"),
    path("accounts/login/", comms_views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
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
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving last: it catches everything else.
urlpatterns += [path("", include(wagtail_urls))]

"""Signing in and out: the login page (a password form, and "Sign in with <provider>" when an
identity provider is configured), the OpenID Connect start and callback (``comms.oidc``,
``comms.services.identities``), the break-glass password page of ``OIDC_ONLY`` and signing
out, of the identity provider's session too where it offers that. Thin: the protocol is
Authlib's, who may come in is the service's."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

import requests

from comms import oidc
from comms.forms import LoginForm
from comms.services.identities import SignInRefused, oidc_user_sign_in

logger = logging.getLogger(__name__)

NEXT_KEY = "oidc_next"
ID_TOKEN_KEY = "oidc_id_token"
BACKEND = "comms.backends.CachedPermissionsModelBackend"


def _safe_next(request, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _failure_page(request, failure: oidc.Failure):
    return render(
        request,
        "registration/sign_in_failed.html",
        {"failure": failure, "provider_name": settings.OIDC_PROVIDER_NAME},
        status=failure.status,
    )


@method_decorator(login_not_required, name="dispatch")
class PortalLoginView(auth_views.LoginView):
    """The sign-in page. With an identity provider it offers "Sign in with <provider>" first;
    with ``OIDC_ONLY`` that is all it offers (superusers use the break-glass page)."""

    form_class = LoginForm
    template_name = "registration/login.html"
    # A signed-in user can land here when a page refuses them (Wagtail sends users without admin
    # access back to the login URL); they see why, and may sign in as someone else.
    redirect_authenticated_user = False
    break_glass = False

    def password_form_shown(self) -> bool:
        return self.break_glass or not settings.OIDC_ONLY

    def post(self, request, *args, **kwargs):
        if not self.password_form_shown():
            return HttpResponseRedirect(reverse("login"))
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            oidc_enabled=oidc.oidc_enabled(),
            provider_name=settings.OIDC_PROVIDER_NAME,
            password_form_shown=self.password_form_shown(),
            break_glass=self.break_glass,
            **kwargs,
        )


@login_not_required
def admin_login_redirect(request):
    """Wagtail's /admin/login/ goes to the portal's sign-in page, then back to ``next`` (the
    admin's dashboard when none is given)."""
    target = request.GET.get("next") or reverse("wagtailadmin_home")
    return HttpResponseRedirect(f"{reverse('login')}?{urlencode({'next': target})}")


@login_not_required
@never_cache
@require_GET
def oidc_start(request):
    """Off to the provider: Authlib makes state, nonce and the PKCE pair and keeps them in the
    session; where to go afterwards (``next``, a page of this site) is kept too."""
    if not oidc.oidc_enabled():
        return _failure_page(request, oidc.failure("not-configured"))
    request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
    try:
        return oidc.oidc_client(fresh=True).authorize_redirect(
            request, request.build_absolute_uri(reverse("oidc_callback"))
        )
    except requests.RequestException as exc:
        return _failure_page(request, oidc.signin_failure(exc))


@login_not_required
@never_cache
@require_GET
def oidc_callback(request):
    """Back from the provider: the code exchanged and the ID token checked (Authlib), then the
    person signed in with their roles from the group claim, or a page saying why not."""
    if not oidc.oidc_enabled():
        return _failure_page(request, oidc.failure("not-configured"))
    try:
        token = oidc.oidc_client().authorize_access_token(
            request, claims_options=oidc.claims_options(), leeway=settings.OIDC_CLOCK_SKEW
        )
    except Exception as exc:  # noqa: BLE001 - signin_failure re-raises what it does not know
        return _failure_page(request, oidc.signin_failure(exc))
    claims = token.get("userinfo")
    if not claims:  # no ID token in the answer: nothing checked, nobody signed in
        logger.warning("OpenID Connect sign-in refused: the token response had no ID token")
        return _failure_page(request, oidc.failure("claims"))
    try:
        user = oidc_user_sign_in(issuer=settings.OIDC_ISSUER, claims=dict(claims))
    except SignInRefused as refused:
        return _failure_page(request, oidc.failure(refused.code))
    target = request.session.get(NEXT_KEY) or resolve_url(settings.LOGIN_REDIRECT_URL)
    auth_login(request, user, backend=BACKEND)  # a new session key: nothing carried over
    request.session[ID_TOKEN_KEY] = token.get("id_token", "")
    return HttpResponseRedirect(target)


@require_POST
def logout(request):
    """Sign out of the portal and, when the user signed in with the provider and it offers an
    ``end_session_endpoint``, of the provider's session too (then back to the sign-in page)."""
    id_token = request.session.get(ID_TOKEN_KEY)
    auth_logout(request)
    login_url = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    if id_token and oidc.oidc_enabled():
        try:
            end_session = oidc.provider_metadata().get("end_session_endpoint")
            if end_session:
                url = oidc.oidc_client().create_logout_url(
                    post_logout_redirect_uri=login_url, id_token_hint=id_token
                )["url"]
                return HttpResponseRedirect(url)
        except requests.RequestException as exc:
            logger.warning("Signed out of the portal only: the provider is unreachable (%r)", exc)
    return HttpResponseRedirect(login_url)

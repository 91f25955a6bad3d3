from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from comms.forms import LoginForm
from comms.services.health import health_report


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """JSON status of the database and the broker: 200 when both are ok, else 503."""
    report = health_report()
    status = 200 if all(value == "ok" for value in report.values()) else 503
    return JsonResponse(report, status=status)


@method_decorator(login_not_required, name="dispatch")
class PortalLoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    # A signed-in user can land here when a page refuses them (Wagtail sends users without admin
    # access back to the login URL); they see why, and may sign in as someone else.
    redirect_authenticated_user = False

"""Who may use the newsletter admin: the permission policies its views check, and the page a
refusal shows.

The services check again (``newsletter.services.sends``, ``.sharing``): these checks decide what
a person sees; the services' decide what happens.
"""

from django.template.response import TemplateResponse

from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from newsletter.models import Send, Subscriber

# "view": the sends listing, a send's report, progress and deliveries CSV. "schedule" (the
# ``schedule_send`` permission of ``Send.Meta``): schedule, pause, resume, cancel, resend, and
# share an issue publicly.
send_permission_policy = ModelPermissionPolicy(Send)
# "view": a list's CSV, a person's data; "add": import; "delete": erase.
subscriber_permission_policy = ModelPermissionPolicy(Subscriber)


class RefusalPageMixin(PermissionCheckedMixin):
    """A refusal answers 403 with a page saying who may do this, where Wagtail's
    ``PermissionCheckedMixin`` would raise ``PermissionDenied`` (which the admin turns into a
    redirect to the dashboard). Checks ``permission_required`` on ``permission_policy``, or
    whatever ``user_may_proceed`` says."""

    refusal_template_name = "newsletter/admin/issue_forbidden.html"
    refusal_title = ""
    refusal_text = ""

    def user_may_proceed(self) -> bool:
        return self.user_has_permission(self.permission_required)

    def dispatch(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            # A method the view does not answer is refused as such, whoever asks.
            return self.http_method_not_allowed(request, *args, **kwargs)
        if not self.user_may_proceed():
            return TemplateResponse(
                request,
                self.refusal_template_name,
                {"title": self.refusal_title, "text": self.refusal_text},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

"""The admin page view sets of page types the guard and the two-person rule protect.

``placeholder_guard_page_viewset(Model)`` keeps, in words on the screen, what ``comms.guard``
and ``comms.approval`` enforce underneath: the dashboard's "Approve" refuses a page that fails
its checks, an author who tries to approve is told why not and who can, an approval says what
happened, the editor tells an author who is awaited, and a refused submit says nothing was
saved.
"""

from django.shortcuts import redirect
from django.urls import reverse

from comms.guard import GUARDED_WORKFLOW_ACTIONS, publish_problems


def placeholder_guard_page_viewset(model, **attributes):
    """A ``PageViewSet`` for ``model`` whose workflow views keep the guard's and the two-person
    rule's promises in words: the dashboard's "Approve" refuses a page that fails its checks
    (saying which), an author who tries to approve is told why not and who can, an approval
    says what happened, and the editor tells an author who is awaited. Return it from a
    ``register_admin_viewset`` hook. (Built here, not at import, because Wagtail's admin views
    need the app registry ready.)"""
    from django.core.exceptions import PermissionDenied

    from wagtail.admin import messages
    from wagtail.admin.views.pages.edit import EditView
    from wagtail.admin.views.pages.workflow import WorkflowActionView
    from wagtail.admin.viewsets.pages import PageViewSet

    from comms.approval import (
        approval_outcome_message,
        awaiting_approval_message,
        self_approval_message,
    )

    class PlaceholderGuardWorkflowActionView(WorkflowActionView):
        def dispatch(self, request, *args, **kwargs):
            try:
                return super().dispatch(request, *args, **kwargs)
            except PermissionDenied:
                refusal = self_approval_message(self.object, self.task, request.user)
                if self.action_name != "approve" or refusal is None:
                    raise
                messages.error(request, refusal)
                return self._back_to_editor(request)

        def _back_to_editor(self, request):
            edit_url = reverse("wagtailadmin_pages:edit", args=[self.object.pk])
            if request.headers.get("x-requested-with") == "XMLHttpRequest":
                return self.render_modal_json(request, {"step": "success", "redirect": edit_url})
            return redirect(edit_url)

        def post(self, request, *args, **kwargs):
            if self.action_name in GUARDED_WORKFLOW_ACTIONS:
                latest = self.object.get_latest_revision_as_object()
                lines = publish_problems(latest)
                if lines:
                    messages.error(
                        request,
                        f"“{latest.title}” was not approved: " + " · ".join(lines),
                    )
                    return self._back_to_editor(request)
            response = super().post(request, *args, **kwargs)
            if self.action_name == "approve":
                self.task_state.refresh_from_db()
                if self.task_state.status == self.task_state.STATUS_APPROVED:
                    messages.success(request, approval_outcome_message(self.object))
            return response

    class ApprovalAwareEditView(EditView):
        def get(self, request, *args, **kwargs):
            notice = awaiting_approval_message(self.page, request.user)
            if notice:
                messages.info(request, notice)
            return super().get(request, *args, **kwargs)

    class GuardAwareEditView(ApprovalAwareEditView):
        """A submit, publish or approval the guard refused says so: the banner reads "Nothing
        was saved and nothing was submitted for approval: …" (not Wagtail's "could not be
        saved due to validation errors"), and the editor does not autosave the refused
        content as a draft behind the editor's back, so the header does not say "Saved".
        Leaving the page still warns about the unsaved changes; "Save draft" saves them."""

        def form_invalid(self, form):
            refusal = getattr(form, "guard_refusal", None)
            if (
                not refusal
                or self.is_cancelling_workflow
                or self.locked_for_user
                or self.expects_json_response
            ):
                return super().form_invalid(form)
            messages.validation_error(self.request, refusal, form)
            self.errors_debug = repr(form.errors)
            self.has_unsaved_changes = True
            self.autosave_enabled = False
            return self.render_to_response(self.get_context_data())

    viewset_class = type(
        f"{model.__name__}PlaceholderGuardViewSet",
        (PageViewSet,),
        {
            "model": model,
            "workflow_action_view_class": PlaceholderGuardWorkflowActionView,
            "edit_view_class": GuardAwareEditView,
            **attributes,
        },
    )
    return viewset_class()

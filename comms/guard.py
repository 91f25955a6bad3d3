"""The publish guard: content with an unfilled placeholder is not published, approved or sent.

Three ways in, one check (``placeholder_guard_check``):

* code: ``PlaceholderGuardMixin.publish`` refuses, so ``revision.publish()``, scheduled
  publishing and the workflow's final approval raise ``UnfilledPlaceholdersError`` naming them;
* the admin editor: ``PlaceholderGuardFormMixin`` (``base_form_class`` of the page or snippet)
  adds the list as a form error when the editor publishes, submits for moderation or approves,
  while saving a draft stays allowed (partial filling is fine);
* the moderation dashboard: ``placeholder_guard_page_viewset(Model)`` swaps in a workflow action
  view that refuses "Approve" with the same list instead of a server error.

A model opts in with the mixin and lists its ``placeholder_fields``; a sender (newsletter) calls
``placeholder_guard_check(issue)`` before sending.
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from wagtail.admin.forms import WagtailAdminPageForm

from comms.placeholders import Scan, scan_fields, scan_value

GUARDED_WORKFLOW_ACTIONS = ("approve",)


class UnfilledPlaceholdersError(ValidationError):
    """Raised when content that still has placeholders is published or sent."""


def placeholder_guard_messages(scan: Scan) -> list[str]:
    """One line per remaining placeholder or unreadable bracket, saying what and where."""
    lines = [f"Fill in {occurrence.describe()}" for occurrence in scan.occurrences]
    lines += [f"Fix {problem.describe()}" for problem in scan.problems]
    return lines


def placeholder_guard_scan(instance) -> Scan:
    return scan_fields(instance, getattr(instance, "placeholder_fields", ()))


def placeholder_guard_check(instance) -> None:
    """Raise ``UnfilledPlaceholdersError`` listing every placeholder ``instance`` still has."""
    lines = placeholder_guard_messages(placeholder_guard_scan(instance))
    if lines:
        raise UnfilledPlaceholdersError(
            [f"“{instance}” cannot be published while placeholders remain.", *lines]
        )


class PlaceholderGuardMixin:
    """For a page or a snippet with ``DraftStateMixin``: refuse to publish with placeholders."""

    placeholder_fields: tuple[str, ...] = ("body",)

    def publish(self, revision, *args, **kwargs):
        placeholder_guard_check(revision.as_object())
        return super().publish(revision, *args, **kwargs)


def is_guarded_action(data) -> bool:
    """Whether an admin edit form's POST publishes, submits for moderation or approves."""
    if data.get("action-publish") or data.get("action-submit"):
        return True
    if data.get("action-restart-workflow"):
        return True
    return bool(
        data.get("action-workflow-action")
        and data.get("workflow-action-name") in GUARDED_WORKFLOW_ACTIONS
    )


class PlaceholderGuardFormMixin:
    """Admin form mixin: the guard's list becomes form errors on publish/submit/approve."""

    def clean(self):
        cleaned_data = super().clean()
        if not is_guarded_action(self.data):
            return cleaned_data
        model = self._meta.model
        scan = Scan()
        for name in getattr(model, "placeholder_fields", ()):
            if name not in cleaned_data:
                continue
            field = model._meta.get_field(name)
            scan.extend(scan_value(field, cleaned_data[name], str(field.verbose_name).capitalize()))
        lines = placeholder_guard_messages(scan)
        if lines:
            self.add_error(
                None,
                "This cannot be published or sent for approval while placeholders remain: "
                "fill them in, or save a draft to carry on later.",
            )
            for line in lines:
                self.add_error(None, line)
        return cleaned_data


class PlaceholderGuardPageForm(PlaceholderGuardFormMixin, WagtailAdminPageForm):
    pass


def placeholder_guard_page_viewset(model, **attributes):
    """A ``PageViewSet`` for ``model`` whose dashboard "Approve" refuses a page that still has
    placeholders, saying which. Return it from a ``register_admin_viewset`` hook. (Built here,
    not at import, because Wagtail's admin views need the app registry ready.)"""
    from wagtail.admin import messages
    from wagtail.admin.views.pages.workflow import WorkflowActionView
    from wagtail.admin.viewsets.pages import PageViewSet

    class PlaceholderGuardWorkflowActionView(WorkflowActionView):
        def post(self, request, *args, **kwargs):
            if self.action_name in GUARDED_WORKFLOW_ACTIONS:
                latest = self.object.get_latest_revision_as_object()
                lines = placeholder_guard_messages(placeholder_guard_scan(latest))
                if lines:
                    messages.error(
                        request,
                        f"“{latest.title}” was not approved: placeholders remain. "
                        + " · ".join(lines),
                    )
                    edit_url = reverse("wagtailadmin_pages:edit", args=[self.object.pk])
                    if request.headers.get("x-requested-with") == "XMLHttpRequest":
                        return self.render_modal_json(
                            request, {"step": "success", "redirect": edit_url}
                        )
                    return redirect(edit_url)
            return super().post(request, *args, **kwargs)

    viewset_class = type(
        f"{model.__name__}PlaceholderGuardViewSet",
        (PageViewSet,),
        {
            "model": model,
            "workflow_action_view_class": PlaceholderGuardWorkflowActionView,
            **attributes,
        },
    )
    return viewset_class()

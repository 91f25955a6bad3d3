"""The publish guard: content that fails its checks is not published, approved or sent.

The checks are ``publish_problems(instance)``: the placeholders it still has (the one
placeholder engine), or, for a model that defines ``publish_problems()`` (a newsletter issue
runs its pre-send checks), whatever that method returns. Three ways in, one check:

* code: ``PlaceholderGuardMixin.publish`` refuses, so ``revision.publish()``, scheduled
  publishing and the workflow's final approval raise ``PublishBlockedError`` naming them;
* the admin editor: ``PlaceholderGuardFormMixin`` (``base_form_class`` of the page or snippet)
  adds the list as form errors when the editor publishes, submits for moderation or approves,
  while saving a draft stays allowed (partial filling is fine). A model with
  ``publish_requires_approval = True`` is not published from the editor at all: it goes live
  only when the workflow approves it (``comms.models.TwoPersonApprovalTask``);
* the moderation dashboard: ``placeholder_guard_page_viewset(Model)`` swaps in a workflow action
  view that refuses "Approve" with the same list instead of a server error.

A model opts in with the mixin and lists its ``placeholder_fields``; a sender (newsletter) calls
``publish_problems(issue)`` before sending.
"""

import copy

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from wagtail.admin.forms import WagtailAdminPageForm

from comms.placeholders import Scan, scan_fields, scan_value

GUARDED_WORKFLOW_ACTIONS = ("approve",)


class PublishBlockedError(ValidationError):
    """Raised when content that fails its checks is published, approved or sent."""


class UnfilledPlaceholdersError(PublishBlockedError):
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


def publish_problems(instance) -> list[str]:
    """Why ``instance`` (a page, a snippet, a revision's object) may not be published, approved
    or sent, one line each; empty when it may."""
    custom = getattr(instance, "publish_problems", None)
    if custom is not None:
        return custom()
    return placeholder_guard_messages(placeholder_guard_scan(instance))


def revision_approved(revision) -> bool:
    """Whether a moderation workflow approved this revision: a workflow on the same object
    finished approved after the revision was made. (The approver may correct the content in
    the editor while approving: Wagtail then saves a new revision just before the approval and
    publishes that one, so "the submitted revision" is not the only one approved.)"""
    from wagtail.models import TaskState, WorkflowState

    return TaskState.objects.filter(
        workflow_state__base_content_type_id=revision.base_content_type_id,
        workflow_state__object_id=revision.object_id,
        workflow_state__status=WorkflowState.STATUS_APPROVED,
        status=TaskState.STATUS_APPROVED,
        finished_at__gte=revision.created_at,
    ).exists()


class PlaceholderGuardMixin:
    """For a page or a snippet with ``DraftStateMixin``: refuse to publish what fails its checks
    (and, with ``publish_requires_approval``, what no workflow approved)."""

    placeholder_fields: tuple[str, ...] = ("body",)
    publish_requires_approval = False

    def publish(self, revision, *args, **kwargs):
        instance = revision.as_object()
        if getattr(instance, "publish_problems", None) is None:
            placeholder_guard_check(instance)
        else:
            lines = publish_problems(instance)
            if lines:
                raise PublishBlockedError(
                    [f"“{instance}” cannot be published until these are fixed.", *lines]
                )
        if self.publish_requires_approval and not revision_approved(revision):
            raise PublishBlockedError(
                f"“{instance}” goes live only when the approval workflow approves it: submit it "
                "for approval."
            )
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
        if self.data.get("action-publish") and getattr(model, "publish_requires_approval", False):
            self.add_error(
                None,
                f"A {model._meta.verbose_name} goes live only through approval: choose "
                "“Submit for moderation”, and someone other than you in the approving group "
                "approves it.",
            )
            return cleaned_data
        if getattr(model, "publish_problems", None) is not None:
            lines = publish_problems(self._instance_as_edited(cleaned_data))
        else:
            scan = Scan()
            for name in getattr(model, "placeholder_fields", ()):
                if name not in cleaned_data:
                    continue
                field = model._meta.get_field(name)
                label = str(field.verbose_name).capitalize()
                scan.extend(scan_value(field, cleaned_data[name], label))
            lines = placeholder_guard_messages(scan)
        if lines:
            self.add_error(
                None,
                "This cannot be published or sent for approval until these are fixed "
                "(save a draft to carry on later):",
            )
            for line in lines:
                self.add_error(None, line)
        return cleaned_data

    def _instance_as_edited(self, cleaned_data):
        """A copy of the instance carrying the form's values, to run the checks on what the
        editor is about to submit (the instance itself is only updated after validation)."""
        instance = copy.copy(self.instance)
        for name, value in cleaned_data.items():
            try:
                field = instance._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.concrete and not field.many_to_many:
                setattr(instance, name, value)
        return instance


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
                lines = publish_problems(latest)
                if lines:
                    messages.error(
                        request,
                        f"“{latest.title}” was not approved: " + " · ".join(lines),
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

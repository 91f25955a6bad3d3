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
  only when the workflow approves it (``comms.approval`` closes every other path);
* the moderation dashboard: ``comms.page_viewsets.placeholder_guard_page_viewset(Model)`` swaps
  in a workflow action view that refuses "Approve" with the same list instead of a server error.

A model opts in with the mixin and lists its ``placeholder_fields``; a sender (newsletter) calls
``publish_problems(issue)`` before sending.
"""

import copy
import json
import logging
import re

from django.core.exceptions import FieldDoesNotExist, ValidationError

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError

from comms.approval import revision_approved
from comms.placeholders import Scan, scan_fields, scan_value, scan_value_blocks

GUARDED_WORKFLOW_ACTIONS = ("approve",)

logger = logging.getLogger(__name__)


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


class PlaceholderGuardMixin:
    """For a page or a snippet with ``DraftStateMixin``: refuse to publish what fails its checks
    (and, with ``publish_requires_approval``, what no workflow approved)."""

    placeholder_fields: tuple[str, ...] = ("body",)
    publish_requires_approval = False

    def publish(self, revision, *args, **kwargs):
        try:
            self._publish_check(revision)
        except PublishBlockedError as refusal:
            if kwargs.get("log_action") != SCHEDULED_PUBLISH:
                raise
            # Wagtail's publish_scheduled loops over every due revision with no error handling:
            # one refusal would stop the others, every minute, for good. Unschedule it instead.
            return scheduled_publish_refused(self, revision, refusal)
        return super().publish(revision, *args, **kwargs)

    def _publish_check(self, revision) -> None:
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


SCHEDULED_PUBLISH = "wagtail.publish.scheduled"


def scheduled_publish_refused(obj, revision, refusal: PublishBlockedError) -> None:
    """A revision due to go live failed the guard: take it off the schedule (so the next run
    does not try again) and say why in the object's history and the log."""
    from wagtail.log_actions import log

    type(revision).objects.filter(pk=revision.pk).update(approved_go_live_at=None)
    reason = " ".join(refusal.messages)
    log(
        instance=obj,
        action="comms.publish.scheduled_refused",
        revision=revision,
        data={"reason": reason},
    )
    logger.warning(
        "Scheduled publishing of %s revision %s refused: %s", obj.pk, revision.pk, reason
    )


def guarded_action_done(data) -> str:
    """What an admin edit form's guarded POST would have done, in words ("submitted for
    approval", "approved", "published")."""
    if data.get("action-publish"):
        return "published"
    if data.get("action-workflow-action"):
        return "approved"
    return "submitted for approval"


class PlaceholderBlockErrors(StreamBlockValidationError):
    """A StreamField error that marks each block holding a placeholder (Wagtail shows a
    block's messages on the block) and reads, in the error banner, as which blocks."""

    def __init__(self, block_errors: dict[int, ValidationError]):
        super().__init__(block_errors=block_errors)
        numbers = [str(index + 1) for index in sorted(block_errors)]
        if len(numbers) == 1:
            self.message = f"block {numbers[0]} holds a placeholder to fill in."
        else:
            self.message = f"blocks {', '.join(numbers)} hold placeholders to fill in."


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
    """Admin form mixin: the guard's list becomes form errors on publish/submit/approve, each
    StreamField block holding a placeholder is marked, and ``guard_refusal`` holds one line
    for the editor's banner saying that nothing was saved and what was refused (``None`` when
    the guard refused nothing)."""

    guard_refusal: str | None = None

    def clean(self):
        cleaned_data = super().clean()
        if not is_guarded_action(self.data):
            return cleaned_data
        model = self._meta.model
        refused = f"Nothing was saved and nothing was {guarded_action_done(self.data)}"
        if self._approves_own_changes(model):
            self.guard_refusal = f"{refused}."
            self.add_error(
                None,
                f"You changed this {model._meta.verbose_name} while approving it, and nobody "
                "approves their own changes. Save them with “Save draft”: another member of the "
                "approving group then approves them. Or reload the page to approve it as it "
                "was submitted.",
            )
            return cleaned_data
        if self.data.get("action-publish") and getattr(model, "publish_requires_approval", False):
            self.guard_refusal = f"{refused}."
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
            title = cleaned_data.get("title") or str(self.instance)
            marked = self._mark_placeholder_blocks(model, cleaned_data)
            if marked:
                self.guard_refusal = (
                    f"{refused}: “{title}” still has placeholders to fill in (marked below)."
                )
            else:
                self.guard_refusal = f"{refused}: “{title}” has these to fix first."
            self.add_error(
                None,
                "This cannot be published or sent for approval until these are fixed "
                "(save a draft to carry on later):",
            )
            for line in lines:
                self.add_error(None, line)
        return cleaned_data

    def _mark_placeholder_blocks(self, model, cleaned_data) -> bool:
        """Put a block error on each StreamField block that holds a placeholder; whether any
        block was marked."""
        errors = {}
        for name in getattr(model, "placeholder_fields", ()):
            if name not in cleaned_data or name not in self.fields:
                continue
            field = model._meta.get_field(name)
            label = str(field.verbose_name).capitalize()
            per_block = scan_value_blocks(field, cleaned_data[name], label)
            if per_block:
                errors[name] = PlaceholderBlockErrors(
                    {
                        index: ValidationError(placeholder_guard_messages(scan))
                        for index, scan in per_block.items()
                    }
                )
        for name, error in errors.items():
            self.add_error(name, error)
        return bool(errors)

    def _approves_own_changes(self, model) -> bool:
        """Whether this POST approves a page that needs approval while changing its content.
        Also remembers, for ``has_changed``, an approval that changes nothing."""
        if not getattr(model, "publish_requires_approval", False):
            return False
        approving = (
            self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") in GUARDED_WORKFLOW_ACTIONS
        )
        if not (approving and self.instance.pk):
            return False
        changed = content_changes(self, model)
        self._approving_unchanged = not changed
        return bool(changed)

    def has_changed(self):
        """An approval that changes no content saves no new revision (Wagtail's editor would,
        because Draftail re-serialises rich text), so what is approved is what was submitted.
        Comments made while approving still count."""
        if getattr(self, "_approving_unchanged", False):
            return any(formset.has_changed() for formset in self.formsets.values())
        return super().has_changed()

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


_BLOCK_KEYS = re.compile(r'\s+data-block-key=\\?"[^"\\]*\\?"')


def _comparable(field, value) -> str:
    """A field's value as text for comparing content: rich text's editor-only block keys and
    StreamField block ids left out."""
    prepared = field.get_prep_value(value)
    if isinstance(prepared, (list, dict)):
        prepared = json.dumps(_without_ids(prepared), sort_keys=True, default=str)
    return _BLOCK_KEYS.sub("", str(prepared if prepared is not None else ""))


def _without_ids(value):
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    return value


def content_changes(form, model) -> list[str]:
    """The form's fields whose content really differs from the instance (call from ``clean``,
    before the form writes its values onto the instance)."""
    changed = []
    for name in form.changed_data:
        if name not in form.cleaned_data:
            continue
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            changed.append(name)
            continue
        if not field.concrete or field.many_to_many:
            changed.append(name)
            continue
        old = field.value_from_object(form.instance)
        if _comparable(field, old) != _comparable(field, form.cleaned_data[name]):
            changed.append(name)
    return changed


class PlaceholderGuardPageForm(PlaceholderGuardFormMixin, WagtailAdminPageForm):
    pass

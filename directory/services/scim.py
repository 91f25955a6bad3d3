"""Writes of SCIM provisioning (``/scim/v2/``, ``directory.scim``): people and groups with
``source=Source.SCIM``. Each function is one transaction; ``directory_changed`` is sent after
it commits (``transaction.on_commit``) with the groups whose members may have changed: a
group's members, a deleted group, and every group of a person who was deactivated,
reactivated, deleted or whose address changed. Raises ``ScimError`` (409 ``uniqueness``,
404, 400 ``invalidValue``) and leaves nothing written when it does.

Group membership changes cost what changes, not the group's size: rows of the membership
table are inserted (``ignore_conflicts``) or deleted by id.
"""

import uuid

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from directory.models import DirectoryGroup, DirectoryPerson, Source
from directory.scim.attributes import (
    PERSON_FIELDS,
    GroupPatch,
    PatchOperation,
    apply_person_patch,
    group_patch,
)
from directory.scim.errors import invalid_value, not_found, uniqueness
from directory.signals import directory_changed

Membership = DirectoryGroup.members.through
# Changing these changes who a mailing list that follows the person's groups reaches.
LIST_FIELDS = ("active", "email")


def scim_people():
    return DirectoryPerson.objects.filter(source=Source.SCIM)


def scim_groups():
    return DirectoryGroup.objects.filter(source=Source.SCIM)


def _uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def person_get(*, scim_id: str, for_update: bool = False) -> DirectoryPerson:
    pk = _uuid(scim_id)
    queryset = scim_people().select_for_update() if for_update else scim_people()
    person = queryset.filter(scim_id=pk).first() if pk else None
    if person is None:
        raise not_found(f"No User with id '{scim_id}'.")
    return person


def group_get(*, scim_id: str, for_update: bool = False) -> DirectoryGroup:
    pk = _uuid(scim_id)
    queryset = scim_groups().select_for_update() if for_update else scim_groups()
    group = queryset.filter(scim_id=pk).first() if pk else None
    if group is None:
        raise not_found(f"No Group with id '{scim_id}'.")
    return group


def _send_changed(group_ids) -> None:
    group_ids = sorted(set(group_ids))
    if group_ids:
        transaction.on_commit(
            lambda: directory_changed.send(
                sender=DirectoryGroup, source=Source.SCIM, group_ids=group_ids
            )
        )


def _check_person_unique(fields: dict, *, exclude_pk: int | None = None) -> None:
    others = scim_people().exclude(pk=exclude_pk)
    if others.alias(lower=Lower("user_name")).filter(lower=fields["user_name"].lower()).exists():
        raise uniqueness(f"A User with userName '{fields['user_name']}' already exists.")
    if fields["external_id"] and others.filter(external_id=fields["external_id"]).exists():
        raise uniqueness(f"A User with externalId '{fields['external_id']}' already exists.")


def _save(obj, detail: str) -> None:
    """Save; a unique constraint hit by a concurrent request is still a 409."""
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise uniqueness(detail) from exc


def _person_conflict(exc: IntegrityError, fields: dict):
    """The 409 for a unique constraint a write ran into, naming the attribute."""
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "") or str(exc)
    if "external_id" in constraint:
        return uniqueness(f"A User with externalId '{fields['external_id']}' already exists.")
    return uniqueness(f"A User with userName '{fields['user_name']}' already exists.")


def person_create(*, fields: dict) -> DirectoryPerson:
    """A new SCIM person (``fields``: ``attributes.PERSON_FIELDS``): one INSERT in its own
    transaction. A taken userName (case-insensitive) or externalId is found by the unique
    constraints themselves, a 409, not by queries before (a provisioning cycle creates tens
    of thousands). A new person is in no group: no signal."""
    try:
        with transaction.atomic():
            return DirectoryPerson.objects.create(source=Source.SCIM, **fields)
    except IntegrityError as exc:
        raise _person_conflict(exc, fields) from exc


def _person_update(person: DirectoryPerson, fields: dict) -> DirectoryPerson:
    _check_person_unique(fields, exclude_pk=person.pk)
    changed_for_lists = any(getattr(person, name) != fields[name] for name in LIST_FIELDS)
    for name, value in fields.items():
        setattr(person, name, value)
    _save(person, f"A User with userName '{fields['user_name']}' already exists.")
    if changed_for_lists:
        _send_changed(person.groups.values_list("pk", flat=True))
    return person


@transaction.atomic
def person_replace(*, scim_id: str, fields: dict) -> DirectoryPerson:
    """PUT: every field replaced by ``fields``."""
    return _person_update(person_get(scim_id=scim_id, for_update=True), fields)


@transaction.atomic
def person_patch(*, scim_id: str, operations: list[PatchOperation]) -> DirectoryPerson:
    """PATCH: the operations applied in order, all or nothing."""
    person = person_get(scim_id=scim_id, for_update=True)
    state = {name: getattr(person, name) for name in PERSON_FIELDS}
    new_state = apply_person_patch(state, operations)
    if new_state == state:
        return person
    return _person_update(person, new_state)


@transaction.atomic
def person_delete(*, scim_id: str) -> None:
    """Delete the person; their groups lose them (signal), a subscriber linked to them stays,
    unlinked (``Subscriber.directory_person`` is SET_NULL)."""
    person = person_get(scim_id=scim_id, for_update=True)
    group_ids = list(person.groups.values_list("pk", flat=True))
    person.delete()
    _send_changed(group_ids)


def _person_pks(ids: list[str], *, strict: bool = True) -> list[int]:
    """The pks of the SCIM people with these ids. ``strict`` (adding members): 400
    ``invalidValue`` naming any unknown id; otherwise (removing) unknown ids are skipped, so a
    removal is idempotent."""
    wanted = {}
    for value in ids:
        parsed = _uuid(value)
        if parsed is None:
            if strict:
                raise invalid_value(f"'{value}' is not the id of a User.")
            continue
        wanted[parsed] = value
    if not wanted:
        return []
    found = dict(scim_people().filter(scim_id__in=wanted).values_list("scim_id", "pk"))
    missing = [wanted[key] for key in wanted if key not in found]
    if missing and strict:
        raise invalid_value(f"No User with id {', '.join(missing[:5])}.")
    return list(found.values())


def _add_members(group: DirectoryGroup, person_pks: list[int]) -> None:
    Membership.objects.bulk_create(
        [Membership(directorygroup_id=group.pk, directoryperson_id=pk) for pk in person_pks],
        ignore_conflicts=True,
        batch_size=1000,
    )


def _check_group_unique(fields: dict, *, exclude_pk: int | None = None) -> None:
    if fields.get("external_id"):
        others = scim_groups().exclude(pk=exclude_pk)
        if others.filter(external_id=fields["external_id"]).exists():
            raise uniqueness(f"A Group with externalId '{fields['external_id']}' already exists.")


@transaction.atomic
def group_create(*, fields: dict, member_ids: list[str]) -> DirectoryGroup:
    """A new SCIM group with its members (signal when it has any)."""
    _check_group_unique(fields)
    pks = _person_pks(member_ids)
    group = DirectoryGroup(source=Source.SCIM, **fields)
    _save(group, f"A Group with externalId '{fields['external_id']}' already exists.")
    _add_members(group, pks)
    if pks:
        _send_changed([group.pk])
    return group


@transaction.atomic
def group_replace(*, scim_id: str, fields: dict, member_ids: list[str]) -> DirectoryGroup:
    """PUT: name, externalId and the whole member list replaced."""
    group = group_get(scim_id=scim_id, for_update=True)
    patch = GroupPatch(fields=fields, member_changes=[("replace", member_ids)])
    return _group_apply(group, patch)


@transaction.atomic
def group_patch_apply(*, scim_id: str, operations: list[PatchOperation]) -> DirectoryGroup:
    """PATCH: field changes, then member adds and removes in order; each costs the members
    it names (a ``replace`` of members costs the group's size, as it must)."""
    group = group_get(scim_id=scim_id, for_update=True)
    return _group_apply(group, group_patch(operations))


def _group_apply(group: DirectoryGroup, patch: GroupPatch) -> DirectoryGroup:
    if patch.fields:
        _check_group_unique(patch.fields, exclude_pk=group.pk)
        for name, value in patch.fields.items():
            setattr(group, name, value)
        _save(group, f"A Group with externalId '{group.external_id}' already exists.")
    members_changed = False
    for action, ids in patch.member_changes:
        members = Membership.objects.filter(directorygroup_id=group.pk)
        if action == "remove" and ids is None:
            members_changed |= members.delete()[0] > 0
            continue
        pks = _person_pks(ids, strict=action != "remove")
        if action == "add":
            _add_members(group, pks)
        elif action == "remove":
            members.filter(directoryperson_id__in=pks).delete()
        else:  # replace
            members.exclude(directoryperson_id__in=pks).delete()
            _add_members(group, pks)
        members_changed = True
    if members_changed:
        if not patch.fields:
            # The members' change is the group's change too (meta.lastModified).
            group.save(update_fields=["updated_at"])
        _send_changed([group.pk])
    return group


@transaction.atomic
def group_delete(*, scim_id: str) -> None:
    """Delete the group (its memberships go with it); the signal names its former pk, so the
    lists that followed it can let its members go."""
    group = group_get(scim_id=scim_id, for_update=True)
    group_pk = group.pk
    group.delete()
    _send_changed([group_pk])

"""Apply a whole snapshot of a source's directory (every person, every group, every member) to
the portal's copy, in one transaction. The LDAP sync (``directory.services.ldap``) reads the
snapshot; this module knows nothing of LDAP.

Set-based: a handful of queries per 2,000 rows, whatever the size (50,000 people, 2,000 groups
and 200,000 memberships in a few seconds), never one per person or membership.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from django.db import connection, transaction
from django.utils import timezone

from wagtail.log_actions import log

from directory.models import DirectoryGroup, DirectoryPerson, DirectorySyncRun
from directory.signals import directory_changed

logger = logging.getLogger(__name__)

BATCH_SIZE = 2000
SYNC_ACTION = "directory.sync"
PERSON_FIELDS = ("user_name", "email", "given_name", "family_name", "display_name", "active")


@dataclass(frozen=True)
class PersonRecord:
    external_id: str
    user_name: str
    email: str = ""
    given_name: str = ""
    family_name: str = ""
    display_name: str = ""
    active: bool = True


@dataclass(frozen=True)
class GroupRecord:
    external_id: str
    display_name: str
    member_external_ids: list[str] = field(default_factory=list)


@dataclass
class SyncReport:
    people_added: int = 0
    people_updated: int = 0
    people_deactivated: int = 0
    people_unchanged: int = 0
    groups_added: int = 0
    groups_updated: int = 0
    groups_emptied: int = 0
    groups_unchanged: int = 0
    memberships_added: int = 0
    memberships_removed: int = 0
    changed_group_ids: set[int] = field(default_factory=set)
    run_id: int | None = None

    def counts(self) -> dict[str, int]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("changed_group_ids", "run_id")
        }

    def summary(self) -> str:
        return (
            f"People: {self.people_added} added, {self.people_updated} updated, "
            f"{self.people_deactivated} deactivated, {self.people_unchanged} unchanged. "
            f"Groups: {self.groups_added} added, {self.groups_updated} updated, "
            f"{self.groups_emptied} emptied, {self.groups_unchanged} unchanged. "
            f"Memberships: {self.memberships_added} added, {self.memberships_removed} removed."
        )


def _batches(items: list, size: int = BATCH_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _update_rows(model, field_names: list[str], objs: list) -> None:
    """``bulk_update`` that stays fast at tens of thousands of rows. Django's builds a CASE per
    field over the batch (50,000 changed addresses: ~100 s); on PostgreSQL one
    ``UPDATE ... FROM (VALUES ...)`` per batch does it in a second or two."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_update(objs, field_names, batch_size=BATCH_SIZE)
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    types = [f"::{f.db_type(connection)}" for f in fields]
    pk_type = f"::{meta.pk.rel_db_type(connection)}"
    row = "(%s" + pk_type + "".join(f", %s{cast}" for cast in types) + ")"
    assignments = ", ".join(f'"{f.column}" = v."{f.column}"' for f in fields)
    columns = ", ".join(f'"{f.column}"' for f in [meta.pk, *fields])
    with connection.cursor() as cursor:
        for batch in _batches(objs):
            params = []
            for obj in batch:
                params.append(obj.pk)
                params.extend(
                    f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields
                )
            cursor.execute(
                f'UPDATE "{meta.db_table}" AS t SET {assignments} '  # noqa: S608 (names from the model)
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS v({columns}) "
                f'WHERE t."{meta.pk.column}" = v."{meta.pk.column}"',
                params,
            )


def _people_by_external_id(people: Iterable[PersonRecord]) -> dict[str, PersonRecord]:
    wanted: dict[str, PersonRecord] = {}
    names: dict[str, str] = {}
    for record in people:
        if not record.external_id or not record.user_name:
            raise ValueError(f"A person without an external id or user name: {record!r}")
        if record.external_id in wanted:
            raise ValueError(f"Two people with the external id {record.external_id!r}")
        holder = names.setdefault(record.user_name.lower(), record.external_id)
        if holder != record.external_id:
            raise ValueError(f"Two people with the user name {record.user_name!r}")
        wanted[record.external_id] = record
    return wanted


def _apply_people(source: str, wanted: dict[str, PersonRecord], report: SyncReport, now):
    """People created, updated, deactivated; returns external id -> pk (of the snapshot's people)
    and the pks whose address or active flag changed (their groups' lists must follow)."""
    rows = list(
        DirectoryPerson.objects.filter(source=source).values_list(
            "pk", "external_id", *PERSON_FIELDS
        )
    )
    by_ext = {row[1]: row for row in rows if row[1]}
    # An account recreated in the directory (new id, same sign-in name) takes over the row of
    # the one it replaces: subscribers linked to that person stay linked.
    absent_by_name = {row[2].lower(): row for row in rows if row[1] not in wanted}
    to_create, to_update, pk_by_ext, followed, kept = [], [], {}, set(), set()
    for ext, record in wanted.items():
        row = by_ext.get(ext) or absent_by_name.pop(record.user_name.lower(), None)
        values = tuple(getattr(record, name) for name in PERSON_FIELDS)
        if row is None:
            to_create.append(
                DirectoryPerson(
                    source=source, external_id=ext, **dict(zip(PERSON_FIELDS, values, strict=True))
                )
            )
            continue
        pk_by_ext[ext] = row[0]
        kept.add(row[0])
        if row[1] == ext and tuple(row[2:]) == values:
            report.people_unchanged += 1
            continue
        if row[3] != record.email or row[7] != record.active:
            followed.add(row[0])
        person = DirectoryPerson(pk=row[0], external_id=ext, updated_at=now)
        for name, value in zip(PERSON_FIELDS, values, strict=True):
            setattr(person, name, value)
        to_update.append(person)

    gone = [row[0] for row in rows if row[0] not in kept and row[7]]
    # Sign-in names are unique per source (case-insensitive). A name that moves to another row
    # in this sync (a swap, or a departed person's name reused) is first parked on a unique
    # temporary name, so that no statement finds it held twice.
    final_owner = {p.user_name.lower(): p.pk for p in to_update}
    final_owner.update({p.user_name.lower(): None for p in to_create})
    parked = [
        DirectoryPerson(pk=row[0], user_name=f"~{row[0]}~{row[2]}"[:255])
        for row in rows
        if final_owner.get(row[2].lower(), row[0]) != row[0]
    ]
    _update_rows(DirectoryPerson, ["user_name"], parked)
    _update_rows(DirectoryPerson, ["external_id", *PERSON_FIELDS, "updated_at"], to_update)
    for batch in _batches(gone):
        DirectoryPerson.objects.filter(pk__in=batch).update(active=False, updated_at=now)
    for batch in _batches(to_create):
        for person in DirectoryPerson.objects.bulk_create(batch):
            pk_by_ext[person.external_id] = person.pk
    report.people_added = len(to_create)
    report.people_updated = len(to_update)
    report.people_deactivated = len(gone)
    followed.update(gone)
    return pk_by_ext, followed


def _apply_groups(source: str, groups: Iterable[GroupRecord], now):
    """Groups created or renamed. Returns external id -> (pk, record) of the snapshot's groups,
    the pks of those created and of those renamed, and the pks of the source's groups absent
    from the snapshot."""
    rows = list(
        DirectoryGroup.objects.filter(source=source).values_list(
            "pk", "external_id", "display_name"
        )
    )
    existing = {ext: (pk, name) for pk, ext, name in rows if ext}
    wanted: dict[str, GroupRecord] = {}
    for record in groups:
        if not record.external_id:
            raise ValueError(f"A group without an external id: {record!r}")
        if record.external_id in wanted:
            raise ValueError(f"Two groups with the external id {record.external_id!r}")
        wanted[record.external_id] = record
    to_create, to_update, by_ext = [], [], {}
    for ext, record in wanted.items():
        if ext not in existing:
            to_create.append(
                DirectoryGroup(source=source, external_id=ext, display_name=record.display_name)
            )
            continue
        pk, name = existing[ext]
        by_ext[ext] = (pk, record)
        if name != record.display_name:
            to_update.append(
                DirectoryGroup(pk=pk, display_name=record.display_name, updated_at=now)
            )
    _update_rows(DirectoryGroup, ["display_name", "updated_at"], to_update)
    created = set()
    for batch in _batches(to_create):
        for group in DirectoryGroup.objects.bulk_create(batch):
            by_ext[group.external_id] = (group.pk, wanted[group.external_id])
            created.add(group.pk)
    absent = {pk for pk, ext, _ in rows if not ext or ext not in wanted}
    return by_ext, created, {group.pk for group in to_update}, absent


def _apply_memberships(source: str, groups_by_ext: dict, pk_by_ext: dict, report: SyncReport):
    """Each group's members set exactly (groups absent from the snapshot: none): the added
    pairs created, the removed ones deleted. Returns the final (group pk, person pk) pairs and
    the pks of the groups whose members changed."""
    through = DirectoryGroup.members.through
    current = {
        (group_id, person_id): pk
        for pk, group_id, person_id in through.objects.filter(
            directorygroup__source=source
        ).values_list("pk", "directorygroup_id", "directoryperson_id")
    }
    desired = set()
    for pk, record in groups_by_ext.values():
        for ext in record.member_external_ids:
            person_id = pk_by_ext.get(ext)
            if person_id is not None:
                desired.add((pk, person_id))
    added = sorted(desired - current.keys())
    removed = [(pair, pk) for pair, pk in current.items() if pair not in desired]
    for batch in _batches(added):
        through.objects.bulk_create(
            [through(directorygroup_id=g, directoryperson_id=p) for g, p in batch]
        )
    for batch in _batches([pk for _, pk in removed]):
        through.objects.filter(pk__in=batch).delete()
    report.memberships_added = len(added)
    report.memberships_removed = len(removed)
    return desired, {g for g, _ in added} | {g for (g, _), _ in removed}


def directory_snapshot_apply(
    *,
    source: str,
    people: Iterable[PersonRecord],
    groups: Iterable[GroupRecord],
    started_at=None,
    notes: str = "",
) -> SyncReport:
    """Make the portal's people and groups of ``source`` exactly the snapshot, in one
    transaction: new people created, changed ones updated (same row), people absent from it
    deactivated (never deleted: subscribers link to them), groups created or renamed, groups
    absent from it emptied (the row stays: mailing lists follow it), every group's members
    set exactly. Members not among the snapshot's people are ignored.

    Records the run (``DirectorySyncRun`` and a ``directory.sync`` Wagtail log entry) in the
    same transaction, and once it has committed sends ``directory_changed`` with the groups
    whose members changed, or one of whose members' address or active flag changed.
    Idempotent: applying the same snapshot twice changes nothing the second time. Raises
    ``ValueError`` for a snapshot with duplicate ids or sign-in names (nothing changed)."""
    started_at = started_at or timezone.now()
    wanted_people = _people_by_external_id(people)
    report = SyncReport()
    with transaction.atomic():
        now = timezone.now()
        pk_by_ext, followed = _apply_people(source, wanted_people, report, now)
        groups_by_ext, created, renamed, absent = _apply_groups(source, groups, now)
        desired, members_changed = _apply_memberships(source, groups_by_ext, pk_by_ext, report)
        report.groups_added = len(created)
        report.groups_emptied = len(members_changed & absent)
        report.groups_updated = len((renamed | members_changed) - created - absent)
        report.groups_unchanged = (
            len(groups_by_ext)
            + len(absent)
            - report.groups_added
            - report.groups_updated
            - report.groups_emptied
        )
        report.changed_group_ids = members_changed | {g for g, p in desired if p in followed}
        run = DirectorySyncRun.objects.create(
            source=source,
            status=DirectorySyncRun.Status.OK,
            started_at=started_at,
            finished_at=timezone.now(),
            message=notes,
            **report.counts(),
        )
        report.run_id = run.pk
        log(
            instance=run,
            action=SYNC_ACTION,
            data={"ok": True, "source": source.upper(), **report.counts()},
        )
        group_ids = sorted(report.changed_group_ids)
        transaction.on_commit(
            lambda: directory_changed.send(
                sender=DirectorySyncRun, source=source, group_ids=group_ids
            )
        )
    logger.info("Directory sync %s from %s: %s", run.pk, source, report.summary())
    return report


def directory_sync_failure_record(*, source: str, started_at, message: str) -> DirectorySyncRun:
    """Record a sync that failed before changing anything (``message`` says why and what
    happens next), with its ``directory.sync`` Wagtail log entry."""
    with transaction.atomic():
        run = DirectorySyncRun.objects.create(
            source=source,
            status=DirectorySyncRun.Status.FAILED,
            started_at=started_at,
            finished_at=timezone.now(),
            message=message,
        )
        log(
            instance=run,
            action=SYNC_ACTION,
            data={"ok": False, "source": source.upper(), "message": message},
        )
    logger.warning("Directory sync %s from %s failed: %s", run.pk, source, message)
    return run

"""Mailing lists that follow directory groups (``MailingList.directory_groups``).

``list_directory_sync`` makes a list's directory members exactly the active people, with an
address, of the groups it follows:

- a person who joined one of the groups is added (``Membership.source`` "directory"), as the
  subscriber already linked to them (``Subscriber.directory_person``), else the subscriber with
  their address (now linked), else a new subscriber;
- a person who left every group, or was deactivated, is taken off, but only from a membership
  the directory made: people added by hand or by CSV import stay;
- an unsubscribed membership is never touched: whoever unsubscribed stays unsubscribed, and
  is not added again when the directory lists them; a person whose subscriber was erased
  (``DirectoryOptOut``) is never subscribed again;
- a linked subscriber whose address changed in the directory gets the new address (one
  subscriber per person, no duplicate), unless another subscriber already has that address.

Runs before a send snapshots its audience (``newsletter.services.engine``) and after every
directory change (``newsletter.receivers``, by a Celery task). Each run is in the list's
history (Wagtail's audit log) with its counts.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from directory.models import DirectoryPerson
from newsletter.models import MailingList, Membership, Subscriber
from newsletter.models.lists import normalise_email

logger = logging.getLogger(__name__)

LOG_ACTION = "newsletter.list_directory_sync"


@dataclass
class ListSyncReport:
    added: int = 0
    removed: int = 0
    unchanged: int = 0
    addresses_updated: int = 0
    kept_unsubscribed: int = 0

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.removed} removed, {self.unchanged} unchanged"
            + (f", {self.addresses_updated} address(es) updated" if self.addresses_updated else "")
            + (
                f", {self.kept_unsubscribed} unsubscribed left as they are"
                if self.kept_unsubscribed
                else ""
            )
        )


def _wanted_people_query(mailing_list: MailingList):
    return DirectoryPerson.objects.filter(
        groups__mailing_lists=mailing_list,
        active=True,
        email__gt="",
        newsletter_opt_out__isnull=True,
    )


def _wanted_people(mailing_list: MailingList) -> dict[int, tuple[str, str]]:
    """person pk -> (address, name) of the active members, with an address, of the groups."""
    rows = (
        _wanted_people_query(mailing_list)
        .values_list("pk", "email", "display_name", "given_name", "family_name")
        .distinct()
    )
    return {
        pk: (normalise_email(email), display or f"{given} {family}".strip())
        for pk, email, display, given, family in rows.iterator(5000)
    }


def _subscribers_for(
    mailing_list: MailingList, wanted: dict[int, tuple[str, str]], report: ListSyncReport
) -> set[int]:
    """The subscriber pks of the wanted people: linked ones (addresses brought up to date),
    unlinked ones with the person's address (linked now), new ones. A fixed number of
    queries, none listing every person: in the steady state (everyone linked, no address
    changed) it reads the linked subscribers and nothing else."""
    linked = {
        person_id: (pk, email)
        for pk, email, person_id in Subscriber.objects.filter(
            directory_person__in=_wanted_people_query(mailing_list).values("pk")
        ).values_list("pk", "email", "directory_person_id")
    }
    looked_up = [
        address
        for person_id, (address, _) in wanted.items()
        if person_id not in linked or linked[person_id][1] != address
    ]
    by_email = (
        {
            email: (pk, person_id)
            for pk, email, person_id in Subscriber.objects.filter(email__in=looked_up).values_list(
                "pk", "email", "directory_person_id"
            )
        }
        if looked_up
        else {}
    )
    subscriber_ids: set[int] = set()
    to_link: list[Subscriber] = []
    to_create: list[Subscriber] = []
    for person_id, (address, name) in wanted.items():
        if person_id in linked:
            pk, current = linked[person_id]
            subscriber_ids.add(pk)
            if current != address:
                holder = by_email.get(address)
                if holder is None:
                    Subscriber.objects.filter(pk=pk).update(email=address)
                    report.addresses_updated += 1
                else:
                    logger.warning(
                        "Subscriber %s: the directory's new address is another subscriber's; "
                        "kept %s",
                        pk,
                        current,
                    )
            continue
        holder = by_email.get(address)
        if holder is not None:
            pk, holder_person = holder
            subscriber_ids.add(pk)
            if holder_person is None:
                to_link.append(Subscriber(pk=pk, directory_person_id=person_id))
            continue
        to_create.append(Subscriber(email=address, name=name[:200], directory_person_id=person_id))
    if to_link:
        Subscriber.objects.bulk_update(to_link, ["directory_person"], batch_size=2000)
    if to_create:
        Subscriber.objects.bulk_create(to_create, batch_size=2000, ignore_conflicts=True)
        subscriber_ids.update(
            Subscriber.objects.filter(
                directory_person_id__in=[s.directory_person_id for s in to_create]
            ).values_list("pk", flat=True)
        )
    return subscriber_ids


@transaction.atomic
def list_directory_sync(mailing_list: MailingList, *, user=None) -> ListSyncReport:
    """Bring the list's directory members up to date (module docstring); logged with counts."""
    mailing_list = MailingList.objects.select_for_update().get(pk=mailing_list.pk)
    report = ListSyncReport()
    wanted = _wanted_people(mailing_list) if mailing_list.directory_groups.exists() else {}
    wanted_subscribers = _subscribers_for(mailing_list, wanted, report)
    existing = {
        subscriber_id: (pk, source, unsubscribed_at)
        for pk, subscriber_id, source, unsubscribed_at in Membership.objects.filter(
            mailing_list=mailing_list
        ).values_list("pk", "subscriber_id", "source", "unsubscribed_at")
    }
    new = [
        Membership(mailing_list=mailing_list, subscriber_id=pk, source=Membership.Source.DIRECTORY)
        for pk in wanted_subscribers
        if pk not in existing
    ]
    for pk in wanted_subscribers & existing.keys():
        if existing[pk][2] is not None:
            report.kept_unsubscribed += 1
        else:
            report.unchanged += 1
    leaving = [
        membership_pk
        for subscriber_id, (membership_pk, source, unsubscribed_at) in existing.items()
        if source == Membership.Source.DIRECTORY
        and unsubscribed_at is None
        and subscriber_id not in wanted_subscribers
    ]
    Membership.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    if leaving:
        Membership.objects.filter(pk__in=leaving).delete()
    report.added, report.removed = len(new), len(leaving)
    mailing_list.directory_synced_at = timezone.now()
    mailing_list.save(update_fields=["directory_synced_at"])
    log(
        instance=mailing_list,
        action=LOG_ACTION,
        user=user,
        data={
            "added": report.added,
            "removed": report.removed,
            "unchanged": report.unchanged,
            "addresses_updated": report.addresses_updated,
        },
    )
    logger.info("List %s synced with the directory: %s", mailing_list.pk, report)
    return report


def lists_following(group_ids) -> list[int]:
    """The pks of the lists that follow any of these directory groups."""
    return list(
        MailingList.objects.filter(directory_groups__in=group_ids)
        .distinct()
        .values_list("pk", flat=True)
    )


def lists_directory_sync(list_ids, *, changed_at: datetime | None = None):
    """Sync these lists; with ``changed_at`` (when the directory changed), only those not
    synced since: an identity provider's burst of SCIM requests queues one task each, and
    the first to run covers the rest, which then find nothing to do."""
    lists = MailingList.objects.filter(pk__in=list_ids)
    if changed_at is not None:
        lists = lists.exclude(directory_synced_at__gte=changed_at)
    return {mailing_list.pk: list_directory_sync(mailing_list) for mailing_list in lists}

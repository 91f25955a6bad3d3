"""Subscribers: CSV import, unsubscribe and resubscribe, erasure (UK GDPR)."""

import csv
import io
import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from comms.csvutils import csv_unescape
from comms.database import planner_statistics_refresh
from comms.validators import CONTROL_CHARACTER_PROBLEM, has_control_characters
from newsletter.models import Delivery, DirectoryOptOut, MailingList, Membership, Subscriber
from newsletter.models.lists import normalise_email
from newsletter.services.clicks import clicks_erase

logger = logging.getLogger(__name__)

CHUNK = 2000


@dataclass
class ImportReport:
    """What an import did, or (``errors`` non-empty) why it did nothing."""

    mailing_list: str
    rows: int = 0
    created: int = 0  # new subscribers
    added: int = 0  # new memberships of this list
    unchanged: int = 0  # already on the list
    merged: int = 0  # repeated addresses within the file
    skipped: list[str] = field(default_factory=list)  # unsubscribed/bounced, not re-added
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return (
                f"Nothing imported into {self.mailing_list!r}: {len(self.errors)} row(s) need "
                "fixing. Correct them in the file and import it again."
            )
        return (
            f"{self.mailing_list}: {self.rows} row(s) read, {self.created} new subscriber(s), "
            f"{self.added} added to the list, {self.unchanged} already on it, {self.merged} "
            f"duplicate row(s) merged, {len(self.skipped)} skipped (unsubscribed or bounced)."
        )


def _read_text(csv_file: str | Path | BinaryIO) -> str:
    raw = Path(csv_file).read_bytes() if isinstance(csv_file, str | Path) else csv_file.read()
    if isinstance(raw, str):
        return raw.removeprefix("\ufeff")
    return raw.decode("utf-8-sig")


def _parse(text: str, report: ImportReport) -> dict[str, str]:
    """Validate every row; return {normalised email: name} in file order (duplicates merged)."""
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        report.errors.append(
            "Line 1: the file is empty. The first line must be a header: email,name"
        )
        return {}
    header_line = lines[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [cell.strip().lower() for cell in next(reader)]
    if "email" not in header:
        report.errors.append(
            f"Line 1: no 'email' column in the header ({', '.join(header) or 'empty'}). "
            "The first line must name the columns, e.g. email,name"
        )
        return {}
    email_at = header.index("email")
    name_at = header.index("name") if "name" in header else None
    people: dict[str, str] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        report.rows += 1
        if len(row) != len(header):
            report.errors.append(
                f"Line {line}: {len(row)} column(s) where the header has {len(header)}. "
                f"Check for a missing or extra '{delimiter}'."
            )
            continue
        email = normalise_email(csv_unescape(row[email_at]))
        name = csv_unescape(row[name_at].strip()) if name_at is not None else ""
        # Before anything else: a line break would inject a header into every message sent
        # to this person, and NUL cannot be stored. ``line`` is where the row ends, so a
        # quoted line break is reported on the line a spreadsheet shows it on.
        fields = (("email", email), ("name", name))
        bad = [label for label, value in fields if has_control_characters(value)]
        if bad:
            report.errors.extend(
                f"Line {line}: the {label} {CONTROL_CHARACTER_PROBLEM}" for label in bad
            )
            continue
        if not email:
            report.errors.append(
                f"Line {line}: the email is empty. Add the address or delete the row."
            )
            continue
        try:
            if len(email) > 254:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            report.errors.append(
                f"Line {line}: {row[email_at].strip()!r} is not a valid email address."
            )
            continue
        if len(name) > 200:
            report.errors.append(f"Line {line}: the name is longer than 200 characters.")
            continue
        if email in people:
            report.merged += 1
            people[email] = people[email] or name
        else:
            people[email] = name
    if report.rows == 0 and not report.errors:
        report.errors.append("The file has a header but no rows. Add one row per subscriber.")
    return people


def subscribers_import(*, mailing_list_name: str, csv_file: str | Path | BinaryIO) -> ImportReport:
    """Import a CSV of subscribers into a list (created if missing). All or nothing.

    Guarantees: every row is validated first; if any is bad, nothing changes and every bad row
    is in ``report.errors`` with its line number. Names and addresses with a control character
    (line break, NUL, tab, any C0 or C1) are refused, naming the line and the field.
    Addresses are normalised (lower case) and merged with existing subscribers; an unsubscribed
    or bounced person is not re-subscribed (``report.skipped``). Running the same import twice
    changes nothing the second time. Bulk queries throughout, so 50,000 rows take seconds.
    """
    name = (mailing_list_name or "").strip()
    report = ImportReport(mailing_list=name)
    if not name:
        report.errors.append("The mailing list name is empty.")
        return report
    try:
        text = _read_text(csv_file)
    except UnicodeDecodeError as exc:
        report.errors.append(
            f"The file is not UTF-8 text (byte {exc.start}). Save it as 'CSV UTF-8' and try again."
        )
        return report
    people = _parse(text, report)
    if report.errors:
        return report

    with transaction.atomic():
        mailing_list, _ = MailingList.objects.get_or_create(name=name)
        emails = list(people)
        existing: dict[str, tuple[int, str]] = {}
        for start in range(0, len(emails), CHUNK):
            for pk, email, status in Subscriber.objects.filter(
                email__in=emails[start : start + CHUNK]
            ).values_list("pk", "email", "status"):
                existing[email] = (pk, status)
        new = [
            Subscriber(email=email, name=people[email]) for email in emails if email not in existing
        ]
        Subscriber.objects.bulk_create(new, batch_size=CHUNK)
        report.created = len(new)
        for start in range(0, len(new), CHUNK):
            chunk = [s.email for s in new[start : start + CHUNK]]
            for pk, email in Subscriber.objects.filter(email__in=chunk).values_list("pk", "email"):
                existing[email] = (pk, Subscriber.Status.SUBSCRIBED)

        memberships = dict(
            Membership.objects.filter(mailing_list=mailing_list).values_list(
                "subscriber_id", "unsubscribed_at"
            )
        )
        to_add = []
        for email in emails:
            pk, status = existing[email]
            if status != Subscriber.Status.SUBSCRIBED:
                report.skipped.append(f"{email} ({status})")
            elif pk in memberships:
                if memberships[pk] is None:
                    report.unchanged += 1
                else:
                    report.skipped.append(f"{email} (unsubscribed from this list)")
            else:
                to_add.append(Membership(subscriber_id=pk, mailing_list=mailing_list))
        Membership.objects.bulk_create(to_add, batch_size=CHUNK)
        report.added = len(to_add)
    planner_statistics_refresh(Subscriber, Membership, rows=report.created + report.added)
    logger.info("Imported subscribers into list %s: %s", mailing_list.pk, report.summary())
    return report


def _membership_locked(*, subscriber_id: int, list_id: int) -> Membership | None:
    """The membership row, locked for update (call inside a transaction)."""
    return (
        Membership.objects.select_for_update()
        .filter(subscriber_id=subscriber_id, mailing_list_id=list_id)
        .select_related("mailing_list", "subscriber")
        .first()
    )


def subscriber_unsubscribe(*, subscriber_id: int, list_id: int) -> Membership | None:
    """Take the subscriber off the list. Idempotent: a second call changes nothing.

    Returns the membership, or None if the subscriber or list no longer exists.
    """
    with transaction.atomic():
        membership = _membership_locked(subscriber_id=subscriber_id, list_id=list_id)
        if membership is None:
            return None
        if membership.unsubscribed_at is None:
            membership.unsubscribed_at = timezone.now()
            membership.save(update_fields=["unsubscribed_at"])
            logger.info("Subscriber %s unsubscribed from list %s", subscriber_id, list_id)
    return membership


def subscriber_resubscribe(*, subscriber_id: int, list_id: int) -> Membership | None:
    """Put the subscriber back on the list (their own choice, from the unsubscribe page)."""
    with transaction.atomic():
        membership = _membership_locked(subscriber_id=subscriber_id, list_id=list_id)
        if membership is None:
            return None
        if membership.unsubscribed_at is not None:
            membership.unsubscribed_at = None
            membership.save(update_fields=["unsubscribed_at"])
        subscriber = membership.subscriber
        if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
            subscriber.status = Subscriber.Status.SUBSCRIBED
            subscriber.save(update_fields=["status", "updated_at"])
        logger.info("Subscriber %s resubscribed to list %s", subscriber_id, list_id)
    return membership


def erased_address(subscriber_id: int) -> str:
    """What an erased subscriber's delivery rows hold instead of their address: unique per
    person (a send has one row per address) and undeliverable (``.invalid``)."""
    return f"erased-subscriber-{subscriber_id}@erased.invalid"


def _log_entries_scrub(*, subscriber: Subscriber, addresses: set[str]) -> int:
    """Take the person out of Wagtail's log entries (the history and site history reports).

    Their own entries (created, edited…, under any address they had) keep what happened and
    who did it, under the label "Erased subscriber <id>" and without data; any other entry
    whose label or data names one of their addresses has it replaced."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.log_actions import registry as log_registry
    from wagtail.models import ModelLogEntry

    label = f"Erased subscriber {subscriber.pk}"
    scrubbed = ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Subscriber),
        object_id=str(subscriber.pk),
    ).update(label=label, data={})
    placeholder = erased_address(subscriber.pk)
    for model in log_registry.get_log_entry_models():
        for address in addresses:
            for entry in model.objects.filter(
                Q(label__icontains=address) | Q(data__icontains=address)
            ):
                entry.label = _replace(entry.label, address, placeholder)
                entry.data = json.loads(
                    _replace(json.dumps(entry.data), json.dumps(address)[1:-1], placeholder)
                )
                entry.save(update_fields=["label", "data"])
                scrubbed += 1
    return scrubbed


def _replace(text: str, address: str, placeholder: str) -> str:
    return re.sub(re.escape(address), placeholder, text, flags=re.IGNORECASE)


def subscriber_erase(*, subscriber: Subscriber, user=None) -> int:
    """Erase a person (UK GDPR): their address and name go from every table.

    Guarantees, in one transaction: the subscriber row and their memberships are deleted
    (and, when the subscriber was a directory person, a ``DirectoryOptOut`` keeps lists that
    follow directory groups from subscribing them again);
    their delivery rows stay, anonymised (address ``erased_address``, no name, no SMTP reply,
    which can quote the address), so every send's totals stay right; click data linked to
    their deliveries goes (per-person clicks, distinct-clicker digests; the counts stay);
    Wagtail's log entries keep what was done to them but no longer name them
    (``_log_entries_scrub``, under every address they had); one ``newsletter.subscriber.erase``
    entry records who erased whom by id. Nothing personal is cached (sessions hold none of
    it, reader pages no subscriber), so no cache needs clearing. Every way the admin offers
    to remove a subscriber (the privacy page, Wagtail's Delete) calls this. Returns the
    number of delivery rows anonymised; 0 if the subscriber was erased already (by a second
    click, say).
    """
    from wagtail.log_actions import log

    with transaction.atomic():
        pk = subscriber.pk
        subscriber = Subscriber.objects.select_for_update().filter(pk=pk).first()
        if subscriber is None:
            return 0
        deliveries = Delivery.objects.filter(Q(subscriber_id=pk) | Q(email=subscriber.email))
        addresses = {subscriber.email, *deliveries.values_list("email", flat=True)}
        clicks_erase(delivery_ids=list(deliveries.values_list("pk", flat=True)))
        anonymised = deliveries.update(
            email=erased_address(pk), name="", subscriber=None, smtp_reply=""
        )
        _log_entries_scrub(subscriber=subscriber, addresses=addresses)
        if subscriber.directory_person_id:  # the directory must not subscribe them again
            DirectoryOptOut.objects.get_or_create(person_id=subscriber.directory_person_id)
        log(
            instance=subscriber,
            action="newsletter.subscriber.erase",
            user=user,
            title=f"Erased subscriber {pk}",
            deleted=True,
        )
        subscriber.delete()
    logger.info("Erased subscriber %s; %s delivery row(s) anonymised", pk, anonymised)
    return anonymised

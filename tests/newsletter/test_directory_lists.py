"""Mailing lists that follow directory groups: joiners in, leavers and the deactivated out,
before the next send snapshots its audience; people added by hand or by import stay; whoever
unsubscribed stays unsubscribed; an address change in the directory moves the subscriber, with
no duplicate. The directory rows here stand for what SCIM or the LDAP sync wrote (their own
tests: tests/directory)."""

from django.urls import reverse

from wagtail.models import ModelLogEntry

import pytest

from comms import roles
from directory.models import DirectoryGroup, DirectoryPerson, Source
from directory.signals import directory_changed
from newsletter.models import Membership, Subscriber
from newsletter.services.audiences import list_directory_sync
from newsletter.services.sends import send_schedule
from newsletter.services.subscribers import subscriber_unsubscribe
from tests.factories import MailingListFactory, UserFactory, newsletter_issue, subscribe_many
from tests.newsletter.test_engine import run_until_finished

pytestmark = pytest.mark.django_db


def person(user_name: str, *, email: str | None = None, active: bool = True) -> DirectoryPerson:
    given, _, family = user_name.partition(".")
    return DirectoryPerson.objects.create(
        source=Source.SCIM,
        external_id=f"oid-{user_name}",
        user_name=f"{user_name}@example.ac.uk",
        email=email if email is not None else f"{user_name}@example.ac.uk",
        given_name=given.title(),
        family_name=family.title(),
        display_name=f"{given.title()} {family.title()}",
        active=active,
    )


@pytest.fixture
def staff_group(db):
    group = DirectoryGroup.objects.create(
        source=Source.SCIM, external_id="grp-all-staff", display_name="All staff"
    )
    group.members.add(person("ann.lee"), person("bob.ray"))
    return group


@pytest.fixture
def bound_list(staff_group):
    mailing_list = MailingListFactory(name="All staff (directory)")
    mailing_list.directory_groups.add(staff_group)
    return mailing_list


def members(mailing_list) -> dict[str, str]:
    """address -> how they are on the list ("directory"/"manual", "+unsubscribed")."""
    return {
        m.subscriber.email: m.source + ("+unsubscribed" if m.unsubscribed_at else "")
        for m in Membership.objects.filter(mailing_list=mailing_list).select_related("subscriber")
    }


def test_the_groups_members_are_added_as_linked_subscribers(bound_list):
    report = list_directory_sync(bound_list)
    assert (report.added, report.removed, report.unchanged) == (2, 0, 0)
    assert members(bound_list) == {
        "ann.lee@example.ac.uk": "directory",
        "bob.ray@example.ac.uk": "directory",
    }
    ann = Subscriber.objects.get(email="ann.lee@example.ac.uk")
    assert ann.directory_person.user_name == "ann.lee@example.ac.uk" and ann.name == "Ann Lee"
    again = list_directory_sync(bound_list)
    assert (again.added, again.removed, again.unchanged) == (0, 0, 2)


def test_leavers_and_the_deactivated_go_and_people_added_by_hand_stay(bound_list, staff_group):
    subscribe_many(bound_list, ["visitor@partner.example.org"])
    list_directory_sync(bound_list)
    staff_group.members.remove(DirectoryPerson.objects.get(user_name="bob.ray@example.ac.uk"))
    DirectoryPerson.objects.filter(user_name="ann.lee@example.ac.uk").update(active=False)
    staff_group.members.add(person("cat.moss"))

    report = list_directory_sync(bound_list)

    assert (report.added, report.removed) == (1, 2)
    assert members(bound_list) == {
        "cat.moss@example.ac.uk": "directory",
        "visitor@partner.example.org": "manual",
    }
    assert Subscriber.objects.filter(email="bob.ray@example.ac.uk").exists()  # kept, off list


def test_whoever_unsubscribed_stays_unsubscribed(bound_list, staff_group):
    list_directory_sync(bound_list)
    ann = Subscriber.objects.get(email="ann.lee@example.ac.uk")
    subscriber_unsubscribe(subscriber_id=ann.pk, list_id=bound_list.pk)
    report = list_directory_sync(bound_list)
    assert report.kept_unsubscribed == 1
    assert members(bound_list)["ann.lee@example.ac.uk"] == "directory+unsubscribed"
    # Even when they leave the group and join it again.
    anne = DirectoryPerson.objects.get(user_name="ann.lee@example.ac.uk")
    staff_group.members.remove(anne)
    list_directory_sync(bound_list)
    staff_group.members.add(anne)
    list_directory_sync(bound_list)
    assert members(bound_list)["ann.lee@example.ac.uk"] == "directory+unsubscribed"


def test_an_address_change_moves_the_subscriber_without_a_duplicate(bound_list):
    list_directory_sync(bound_list)
    DirectoryPerson.objects.filter(user_name="bob.ray@example.ac.uk").update(
        email="robert.ray@example.ac.uk"
    )
    report = list_directory_sync(bound_list)
    assert report.addresses_updated == 1 and (report.added, report.removed) == (0, 0)
    assert not Subscriber.objects.filter(email="bob.ray@example.ac.uk").exists()
    moved = Subscriber.objects.get(email="robert.ray@example.ac.uk")
    assert moved.directory_person.user_name == "bob.ray@example.ac.uk"
    assert members(bound_list)["robert.ray@example.ac.uk"] == "directory"


def test_an_existing_subscriber_with_the_address_is_linked_not_duplicated(bound_list):
    manual = MailingListFactory(name="Research office")
    subscribe_many(manual, ["Ann.Lee@example.ac.uk"])
    list_directory_sync(bound_list)
    assert Subscriber.objects.filter(email="ann.lee@example.ac.uk").count() == 1
    ann = Subscriber.objects.get(email="ann.lee@example.ac.uk")
    assert ann.directory_person is not None
    assert set(ann.lists.values_list("name", flat=True)) == {manual.name, bound_list.name}


def test_each_sync_is_in_the_lists_history_with_its_counts(bound_list):
    list_directory_sync(bound_list)
    entry = ModelLogEntry.objects.filter(action="newsletter.list_directory_sync").get()
    assert entry.object_id == str(bound_list.pk)
    assert entry.data == {"added": 2, "removed": 0, "unchanged": 0, "addresses_updated": 0}
    assert entry.message == "Synced with the directory: 2 added, 0 removed, 0 unchanged"


def test_a_send_includes_a_joiner_of_a_minute_ago_and_excludes_a_leaver(
    bound_list, staff_group, smtp, django_capture_on_commit_callbacks
):
    list_directory_sync(bound_list)  # the list as it was
    lead = UserFactory(role=roles.COMMS_LEADS)
    send = send_schedule(issue=newsletter_issue(), lists=[bound_list], at=None, user=lead)
    # Then, before the dispatcher starts it, the directory changes (nothing synced the list).
    staff_group.members.add(person("dan.wu"))
    staff_group.members.remove(DirectoryPerson.objects.get(user_name="bob.ray@example.ac.uk"))

    run_until_finished(send, django_capture_on_commit_callbacks)

    assert sorted(smtp.recipients()) == ["ann.lee@example.ac.uk", "dan.wu@example.ac.uk"]


def test_a_directory_change_brings_the_following_lists_up_to_date(
    bound_list, staff_group, django_capture_on_commit_callbacks
):
    from trustedresearch.celery import app

    app.conf.task_always_eager = True  # the task runs here, as a worker would run it
    try:
        staff_group.members.add(person("eve.hart"))
        directory_changed.send(sender=None, source=Source.SCIM, group_ids=[staff_group.pk])
    finally:
        app.conf.task_always_eager = False
    assert "eve.hart@example.ac.uk" in members(bound_list)
    assert bound_list.__class__.objects.get(pk=bound_list.pk).directory_synced_at is not None


def test_comms_leads_see_where_a_lists_members_come_from(bound_list, client_as, comms_lead):
    MailingListFactory(name="Visitors")
    list_directory_sync(bound_list)
    page = client_as(comms_lead).get(reverse("newsletter_mailinglist:index")).text
    assert "Members from" in page
    assert "2 from directory group All staff (last synced " in page
    assert "Added by hand or imported" in page  # the other list
    row = page[page.index("All staff (directory)") :]
    assert "<td>2</td>" in row.replace(" ", "").replace("\n", "")[:2000]  # Subscribed
    form = client_as(comms_lead).get(reverse("newsletter_mailinglist:edit", args=[bound_list.pk]))
    assert "Follows directory groups" in form.text and "All staff (SCIM provisioning)" in form.text


def test_a_person_erased_from_the_newsletter_is_not_subscribed_again(bound_list):
    from newsletter.services.subscribers import subscriber_erase

    list_directory_sync(bound_list)
    subscriber_erase(subscriber=Subscriber.objects.get(email="ann.lee@example.ac.uk"))
    report = list_directory_sync(bound_list)
    assert report.added == 0
    assert "ann.lee@example.ac.uk" not in members(bound_list)
    assert not Subscriber.objects.filter(email="ann.lee@example.ac.uk").exists()
    assert DirectoryPerson.objects.filter(user_name="ann.lee@example.ac.uk").exists()


def test_a_burst_of_directory_changes_syncs_a_list_once(bound_list):
    """Queued after changes the first run already covered, later tasks find nothing to do."""
    from datetime import timedelta

    from django.utils import timezone

    from newsletter.services.audiences import lists_directory_sync

    changed_at = timezone.now()
    assert list(lists_directory_sync([bound_list.pk], changed_at=changed_at)) == [bound_list.pk]
    assert lists_directory_sync([bound_list.pk], changed_at=changed_at) == {}
    later = timezone.now() + timedelta(seconds=1)
    assert list(lists_directory_sync([bound_list.pk], changed_at=later)) == [bound_list.pk]

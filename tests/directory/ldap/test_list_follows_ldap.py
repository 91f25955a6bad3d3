"""Done when: a list bound to a directory group receives a send that includes a person added
to the group a minute before and excludes one removed. The directory is a real OpenLDAP
(slapd), pulled by ``manage.py directory_sync``; the send goes through the engine to a real
SMTP server; whoever unsubscribed stays unsubscribed through it all."""

import io

from django.core.management import call_command

import pytest

from comms import roles
from directory.models import DirectoryGroup
from newsletter.models import Subscriber
from newsletter.services.audiences import list_directory_sync
from newsletter.services.sends import send_schedule
from newsletter.services.subscribers import subscriber_unsubscribe
from tests.directory.ldap.conftest import GROUPS, mail
from tests.factories import MailingListFactory, UserFactory, newsletter_issue
from tests.newsletter import conftest as newsletter_services
from tests.newsletter.test_engine import run_until_finished

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

smtp_server = newsletter_services.smtp_server
smtp = newsletter_services.smtp


def test_a_send_follows_the_ldap_group_a_minute_after_it_changed(
    directory, smtp, django_capture_on_commit_callbacks
):
    call_command("directory_sync", stdout=io.StringIO())
    research = MailingListFactory(name="Research office news")
    research.directory_groups.add(DirectoryGroup.objects.get(display_name="Research office"))
    list_directory_sync(research)
    carol = Subscriber.objects.get(email=mail("carol"))
    subscriber_unsubscribe(subscriber_id=carol.pk, list_id=research.pk)

    # A minute before the send: the directory's administrator moves people.
    directory.add_member("Research office", "judy")
    directory.remove_member("Research office", "bob")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("directory_sync", stdout=io.StringIO())
    lead = UserFactory(role=roles.COMMS_LEADS)
    send = send_schedule(issue=newsletter_issue(), lists=[research], at=None, user=lead)

    run_until_finished(send, django_capture_on_commit_callbacks)

    expected = set(GROUPS["Research office"]) - {"bob", "carol"} | {"judy"}
    assert sorted(smtp.recipients()) == sorted(mail(uid) for uid in expected)
    assert mail("bob") not in smtp.recipients() and mail("carol") not in smtp.recipients()

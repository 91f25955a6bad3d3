"""The bounce_mailbox_poll task and its place in the one beat schedule."""

import pytest

from newsletter.tasks import bounce_mailbox_poll
from trustedresearch.celery import app


def test_the_beat_schedule_reads_the_mailbox_every_five_minutes_by_default():
    entry = app.conf.beat_schedule["newsletter-bounce-mailbox"]
    assert entry["task"] == "newsletter.tasks.bounce_mailbox_poll" == bounce_mailbox_poll.name
    assert entry["schedule"] == 300.0
    assert entry["options"]["expires"] == 300.0


def test_the_task_does_nothing_without_bounce_imap_url(settings, caplog):
    settings.BOUNCE_IMAP_URL = ""
    bounce_mailbox_poll()  # would raise ImproperlyConfigured if it tried to read an empty URL
    assert caplog.records == []


@pytest.mark.integration  # a real Dovecot
def test_a_mailbox_that_cannot_be_opened_is_logged_not_raised(mailbox, settings, caplog):
    settings.BOUNCE_IMAP_URL = mailbox.url.replace(":mailbox-secret@", ":wrong@")
    bounce_mailbox_poll()
    assert "Bounce mailbox not read: The bounce mailbox's server 127.0.0.1" in caplog.text
    assert "refused the login of 'bounces@example.ac.uk'" in caplog.text

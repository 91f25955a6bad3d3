"""``manage.py newsletter_assemble "TITLE"``: a draft issue from the pack outline; prints its
slug last."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from newsletter.services.assembly import NoArchiveError, newsletter_issue_assemble


class Command(BaseCommand):
    help = "Create a draft newsletter issue from the pack's outline and print its slug."

    def add_arguments(self, parser):
        parser.add_argument("title", help="The issue's title, e.g. 'Trusted Research – March'.")
        parser.add_argument("--user", help="Username recorded as the issue's author.")

    def handle(self, *args, title, user=None, **options):
        author = None
        if user:
            author = get_user_model().objects.filter(username=user).first()
            if author is None:
                raise CommandError(f"No user called “{user}”.")
        try:
            issue = newsletter_issue_assemble(title=title, user=author)
        except (ValueError, NoArchiveError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Draft issue “{issue.title}” created: /admin/pages/{issue.pk}/edit/")
        self.stdout.write(issue.slug)

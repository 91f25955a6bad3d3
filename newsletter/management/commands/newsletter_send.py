"""manage.py newsletter_send SLUG --list NAME [--list NAME ...] [--at "YYYY-MM-DD HH:MM"]
[--again --reason "..."]."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from newsletter.models import MailingList, NewsletterIssuePage
from newsletter.scheduling import format_london, parse_london_time
from newsletter.services.sends import AlreadySentError, send_schedule


class Command(BaseCommand):
    help = (
        "Schedule a newsletter issue to mailing lists at a UK time (now if --at is omitted). "
        "Prints the send's id as the last line. An issue already sent (or scheduled) to one "
        'of the lists is refused unless --again --reason "..." says why.'
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Slug of the published newsletter issue")
        parser.add_argument(
            "--list",
            action="append",
            required=True,
            dest="lists",
            metavar="NAME",
            help="Mailing list name (repeat for more lists)",
        )
        parser.add_argument("--at", help='UK time "YYYY-MM-DD HH:MM" (Europe/London)')
        parser.add_argument(
            "--again",
            action="store_true",
            help="Send even though this issue has already gone to one of the lists "
            "(needs --reason)",
        )
        parser.add_argument(
            "--reason",
            default="",
            help="Why it is sent again, in a few words; recorded in the issue's audit log",
        )
        parser.add_argument(
            "--user",
            help="Username recorded in the audit log (a comms lead); "
            "default: the first active superuser",
        )

    def handle(self, *args, **options):
        issue = NewsletterIssuePage.objects.filter(slug=options["slug"]).first()
        if issue is None:
            raise CommandError(f"No newsletter issue with slug {options['slug']!r}.")
        lists = []
        for name in options["lists"]:
            mailing_list = MailingList.objects.filter(name=name).first()
            if mailing_list is None:
                known = ", ".join(MailingList.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"No mailing list named {name!r}. Lists: {known}.")
            lists.append(mailing_list)
        user = self._user(options["user"])
        try:
            at = parse_london_time(options["at"]) if options["at"] else None
            send = send_schedule(
                issue=issue,
                lists=lists,
                at=at,
                user=user,
                again=options["again"],
                reason=options["reason"],
            )
        except AlreadySentError as exc:
            raise CommandError(
                " ".join(exc.messages) + ' To send it again anyway, add --again --reason "WHY" '
                "(a few words, recorded in the audit log)."
            ) from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Scheduled {send.subject!r} to {', '.join(m.name for m in lists)} at "
            f"{format_london(send.scheduled_at)}."
        )
        self.stdout.write(str(send.pk))

    def _user(self, username):
        users = get_user_model().objects.filter(is_active=True)
        user = (
            users.filter(username=username).first()
            if username
            else users.filter(is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError(
                f"No active user {username!r}."
                if username
                else "No active superuser; pass --user USERNAME (a comms lead)."
            )
        return user

"""manage.py scim_token create NAME | list | revoke NAME: bearer tokens for SCIM provisioning.

``create`` prints the new token as its last line; it is shown only then (only its hash is
kept). Give it to the identity provider as the "Secret Token" (Entra ID) or API token (Okta).
"""

from django.core.management.base import BaseCommand, CommandError

from directory.models import ScimToken
from directory.services.scim_tokens import ScimTokenError, scim_token_create, scim_token_revoke


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "-"


class Command(BaseCommand):
    help = "Create, list or revoke the bearer tokens identity providers use for /scim/v2/."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", metavar="{create,list,revoke}")
        create = sub.add_parser("create", help="Create a token and print it (shown only once).")
        create.add_argument("name", help="A name for the provider, e.g. entra or okta.")
        sub.add_parser("list", help="List the tokens: name, created, last used, revoked.")
        revoke = sub.add_parser("revoke", help="Revoke a token: requests with it get 401.")
        revoke.add_argument("name")

    def handle(self, *args, **options):
        action = options.get("action")
        try:
            if action == "create":
                token, secret = scim_token_create(name=options["name"])
                self.stdout.write(
                    f"Created SCIM token '{token.name}'. Copy it now: it is not shown again."
                )
                self.stdout.write(secret)
            elif action == "list":
                self.list_tokens()
            elif action == "revoke":
                token = scim_token_revoke(name=options["name"])
                self.stdout.write(
                    f"Revoked SCIM token '{token.name}' at {_when(token.revoked_at)}."
                )
            else:
                raise CommandError(
                    "Say what to do: scim_token create NAME | scim_token list | "
                    "scim_token revoke NAME"
                )
        except ScimTokenError as exc:
            raise CommandError(str(exc)) from exc

    def list_tokens(self) -> None:
        tokens = list(ScimToken.objects.order_by("name"))
        if not tokens:
            self.stdout.write("No SCIM tokens. Create one: manage.py scim_token create NAME")
            return
        self.stdout.write(f"{'name':<20} {'created':<21} {'last used':<21} revoked")
        for token in tokens:
            self.stdout.write(
                f"{token.name:<20} {_when(token.created_at):<21} "
                f"{_when(token.last_used_at):<21} {_when(token.revoked_at)}"
            )

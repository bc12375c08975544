"""``clearinghouse token create|revoke|list``: API tokens from the command line."""

from __future__ import annotations

from argparse import ArgumentParser

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from clearinghouse.api.models import ApiToken
from clearinghouse.api.tokens import create_token, find_tokens, revoke


class Command(BaseCommand):
    help = "Create, revoke or list API tokens (Authorization: Bearer <token>)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser(
            "create", help="Make a token for a user and print it (shown only once)."
        )
        create.add_argument("username")
        create.add_argument("--name", default="API token", help="What it is for.")
        revoke_parser = actions.add_parser(
            "revoke", help="Revoke a token, named by its id, its prefix or itself."
        )
        revoke_parser.add_argument("token")
        listing = actions.add_parser("list", help="List tokens, or one user's.")
        listing.add_argument("username", nargs="?")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        if action == "create":
            self.create(str(options["username"]), str(options["name"]))
        elif action == "revoke":
            self.revoke(str(options["token"]))
        else:
            self.list(options.get("username"))

    def create(self, username: str, name: str) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is not active.")
        token, secret = create_token(user, name)
        self.stderr.write(
            f"Token {token.pk} “{token.name}” for {username}. Keep it secret; "
            "it is not shown again:"
        )
        self.stdout.write(secret)

    def revoke(self, reference: str) -> None:
        tokens = find_tokens(reference)
        if not tokens:
            raise CommandError(f"No token matches {reference!r}.")
        if len(tokens) > 1:
            raise CommandError(
                f"{len(tokens)} tokens match {reference!r}; give more of it, or its id."
            )
        token = tokens[0]
        if revoke(token):
            self.stdout.write(f"Revoked token {token.pk} {token}.")
        else:
            self.stdout.write(f"Token {token.pk} {token} was already revoked.")

    def list(self, username: object) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("pk")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            used = (
                token.last_used_at.isoformat(timespec="seconds")
                if (token.last_used_at)
                else "never used"
            )
            state = "revoked" if token.revoked_at else "active"
            self.stdout.write(
                f"{token.pk}\t{token.prefix}…\t{token.user.get_username()}\t"
                f"{token.name}\t{state}\t{used}"
            )

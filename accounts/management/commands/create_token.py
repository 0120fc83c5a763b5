"""`manage.py create_token USERNAME [--days N] [--name NAME]`: issue an API token and print it once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.actors import SYSTEM
from accounts.models import User
from accounts.services import token_create
from accounts.tokens import MAX_DAYS
from core.errors import DomainError, ValidationFailed


class Command(BaseCommand):
    help = "Create an API token for a user (for a venue device or an integration) and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=90,
                            help=f"Days until it expires, 1 to {MAX_DAYS} (default 90).")
        parser.add_argument("--name", default="", help="What the token is for (default: 'cli').")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {options['username']!r}.")
        try:
            issued = token_create(actor=SYSTEM, user=user, name=options["name"] or "cli", days=options["days"])
        except ValidationFailed as exc:
            # Name each bad option, as the API names each bad field: "--days: “有效天数”应在 1 到 365 之间。"
            problems = "; ".join(f"--{field}: {' '.join(messages)}" for field, messages in exc.fields().items())
            raise CommandError(problems) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(issued.plaintext)
        self.stderr.write(f"Token {issued.token.prefix}… for {user.username}, expires {issued.token.expires_at}.")

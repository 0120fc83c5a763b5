"""`manage.py seed_demo`: a believable demo province; safe to run twice. Prints the demo logins, each once.

It runs the seeders settings.DEMO_SEEDERS names, in that order: the project's settings know every app, while
accounts, low in the layering, must not name the apps above it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string

from accounts.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create the demo province (units, an alliance, one person per role); safe to run twice."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="Random seed of the synthetic data.")

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])  # noqa: S311 - synthetic demo data, not secrets
        logins: dict[str, Any] = {}  # by username: a later seeder's line says what that login is for in its app
        for dotted in settings.DEMO_SEEDERS:
            seeder: Callable[[random.Random], Any] = import_string(dotted)
            for login in seeder(rng) or []:
                logins[login.username] = login
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Logins (password {DEMO_PASSWORD}):"))
        for login in logins.values():
            self.stdout.write(f"  {login.username:<15} {login.role:<12} {login.unit}")

"""`manage.py verify_audit`: re-compute the audit hash chain and report the first broken link (exit 1 if any)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_verify()
        if report.broken is not None:
            raise CommandError(
                f"Audit chain broken at entry {report.broken.seq}: {report.broken.reason} "
                f"({report.checked} entries read)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} entries verified."))

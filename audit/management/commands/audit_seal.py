"""`manage.py audit_seal`: seal every committed entry not sealed yet, now, and print the sealer's lag."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from audit.sealing import audit_seal_all


class Command(BaseCommand):
    help = "Seal the committed audit entries not sealed yet and sign a new tree head."

    def handle(self, *args: Any, **options: Any) -> None:
        reports = audit_seal_all()
        self.stdout.write(f"Sealed {sum(r.sealed for r in reports)} entries; tree size {reports[-1].tree_size}; "
                          f"lag {max(r.lag_ms for r in reports)} ms.")

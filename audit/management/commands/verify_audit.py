"""`manage.py verify_audit [--trusted-heads FILE]`: seal what is committed, rebuild the audit log's Merkle tree,
check every entry, leaf and signed head, and the heads kept elsewhere; report the first bad position (exit 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.sealing import audit_seal_all, audit_verify, read_heads


class Command(BaseCommand):
    help = "Verify the audit log's Merkle tree and signed heads; report the first bad position."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trusted-heads", type=Path, help="a JSON-lines file from audit_export_heads, kept "
                                                                "outside this database")
        parser.add_argument("--no-seal", action="store_true",
                            help="verify only, without sealing first (a read-only replica)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_seal"]:
            reports = audit_seal_all()
            self.stdout.write(f"Sealed {sum(r.sealed for r in reports)} new entries "
                              f"(sealer lag {max(r.lag_ms for r in reports)} ms).")
        trusted = []
        if options["trusted_heads"]:
            trusted = read_heads(options["trusted_heads"].read_text(encoding="utf-8").splitlines())
        report = audit_verify(trusted_heads=trusted)
        if report.problem is not None:
            where = f"position {report.problem.position}" if report.problem.position is not None else "the heads"
            raise CommandError(f"Audit log broken at {where}: {report.problem.reason} "
                               f"({report.checked} leaves, {report.heads} heads, {report.trusted} trusted heads read).")
        self.stdout.write(self.style.SUCCESS(
            f"Audit log intact: {report.checked} entries verified against {report.heads} signed heads"
            f" and {report.trusted} trusted heads; {report.unsealed} not sealed yet."
        ))

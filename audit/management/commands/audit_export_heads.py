"""`manage.py audit_export_heads [--output FILE] [--after-size N]`: the signed tree heads as JSON lines, to keep
outside this database (`verify_audit --trusted-heads FILE` then detects a history rewritten after them)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.models import AuditTreeHead
from audit.sealing import head_view


class Command(BaseCommand):
    help = "Export the audit log's signed tree heads as JSON lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="the file to write (default: standard output)")
        parser.add_argument("--after-size", type=int, default=0, help="only heads larger than this tree size")

    def handle(self, *args: Any, **options: Any) -> None:
        heads = AuditTreeHead.objects.filter(tree_size__gt=options["after_size"]).order_by("tree_size")
        lines = (head_view(h).to_json() + "\n" for h in heads.iterator(chunk_size=2000))
        if options["output"]:
            with options["output"].open("w", encoding="utf-8") as out:
                count = sum(1 for line in lines if out.write(line))
            self.stderr.write(f"{count} heads written to {options['output']}.")
        else:
            for line in lines:
                self.stdout.write(line, ending="")

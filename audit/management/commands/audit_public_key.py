"""`manage.py audit_public_key`: the current signing key's public key (PEM) and id. Before rotating a configured
key, save this output in AUDIT_PUBLIC_KEYS_DIR as <key id>.pem, so heads it signed keep verifying."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from audit import signing


class Command(BaseCommand):
    help = "Print the audit signing key's public key (PEM); its key id goes to standard error."

    def handle(self, *args: Any, **options: Any) -> None:
        key = signing.signing_key()
        self.stdout.write(signing.public_pem(key.private.public_key()).decode("ascii"), ending="")
        self.stderr.write(f"key id {key.key_id}")

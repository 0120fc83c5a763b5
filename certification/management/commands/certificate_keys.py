"""`manage.py certificate_keys generate | rotate | list | export-public PATH`: the certificates' signing keys
(certification.keys; README "Certificate keys").

- `generate`: the first key of an empty store (refused when one exists);
- `rotate`: a new active key; the old one stops signing and stays published, so what it signed stays valid;
- `list`: every key with its validity, the active one marked;
- `export-public PATH`: the public keys document (what /.well-known/certificate-keys.json serves), for
  `python -m certification.verify --keys PATH`.
Generate and rotate are audited as the system actor.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.actors import SYSTEM
from certification import keys
from certification.services.certificate_keys import certificate_key_generate, certificate_key_rotate
from core.errors import DomainError


class Command(BaseCommand):
    help = "Generate, rotate, list or export the certificate signing keys."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("generate", help="make the first signing key")
        sub.add_parser("rotate", help="make a new active key; the old one stays published")
        sub.add_parser("list", help="list every key")
        export = sub.add_parser("export-public", help="write the public keys document to PATH")
        export.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "generate":
                info = certificate_key_generate(actor=SYSTEM)
                self.stdout.write(f"generated {info.kid} (active)")
            elif action == "rotate":
                info = certificate_key_rotate(actor=SYSTEM)
                self.stdout.write(f"rotated: {info.kid} is active")
            elif action == "list":
                active = keys.active_key_id() if keys.public_keys() else None
                for k in keys.public_keys():
                    until = k.valid_until.isoformat() if k.valid_until else "-"
                    mark = "*" if k.kid == active else " "
                    self.stdout.write(f"{mark} {k.kid} {k.algorithm} from {k.valid_from.isoformat()} until {until}")
            else:
                path: Path = options["path"]
                path.write_text(json.dumps(keys.keys_document(), ensure_ascii=False, indent=2) + "\n",
                                encoding="utf-8")
                self.stdout.write(f"wrote {path}")
        except DomainError as exc:
            raise CommandError(exc.message) from exc

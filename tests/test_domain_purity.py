"""Every app's `domain/` package is pure (DESIGN.md "Layout": plain data in, plain data out, no ORM, no I/O, no
other app): a domain module may import the standard library's computational modules, numpy, the kernel's
errors (`core.errors`, which needs only Django's lazy translation), its own app's error messages, and the
`domain` packages of any app (competitions' promotion reads certification's ladder). Nothing else: no Django
module, no models, services, selectors or settings, nothing that reads a file, the network or the clock of a
database.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB = {
    "__future__", "bisect", "collections", "dataclasses", "datetime", "decimal", "enum", "fractions", "functools",
    "hashlib", "heapq", "itertools", "math", "operator", "random", "re", "secrets", "statistics", "typing",
    "unicodedata",
    # bytes in, bytes out (the certificate payload's base64url, the status list's GZIP of a bitstring in memory)
    "base64", "binascii", "gzip", "zlib",
}
# computation only: scikit-learn's TF-IDF and jieba's segmentation (talentpool's text similarity; jieba reads its
# own packaged dictionary, nothing of ours)
THIRD_PARTY = {"numpy", "sklearn", "jieba"}
DOMAIN_FILES = sorted(p for p in ROOT.glob("*/domain/*.py") if ".venv" not in p.parts)


def _imported(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            names.append(node.module or "")
    return names


def _allowed(module: str, app: str) -> bool:
    top = module.split(".")[0]
    parts = module.split(".")
    return (
        top in STDLIB or top in THIRD_PARTY
        or module == "core.errors"
        or module == f"{app}.errors"
        or (len(parts) >= 2 and parts[1] == "domain")
    )


def test_there_are_domain_modules_to_check() -> None:
    assert {p.parent.parent.name for p in DOMAIN_FILES} >= {"competitions", "certification", "talentpool"}


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda p: f"{p.parent.parent.name}.domain.{p.stem}")
def test_domain_module_imports_nothing_impure(path: Path) -> None:
    app = path.parent.parent.name
    assert [m for m in _imported(path) if not _allowed(m, app)] == []


def test_certification_never_imports_competitions() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / "certification").rglob("*.py"))
        for module in _imported(path)
        if module.split(".")[0] == "competitions"
    ]
    assert offenders == []


def test_the_check_refuses_an_orm_import() -> None:
    assert not _allowed("django.db.models", "competitions")
    assert not _allowed("competitions.models", "competitions")
    assert not _allowed("accounts.permissions", "competitions")
    assert _allowed("certification.domain.ladder", "competitions")

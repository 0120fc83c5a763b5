"""How the tests are laid out (STYLE.md "Tests"; issue 7 item 10): shared steps live in `tests/<app>/steps.py`
(and factories in `factories.py`), so a test module never imports another test module or a conftest, and no test
imports the benchmarks in bench/ (bench imports production code; tests import production code and their own
steps)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_no_test_module_imports_another_test_module_or_a_conftest() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        for name in _imports(path):
            last = name.split(".")[-1]
            if name.startswith("tests.") and (last.startswith("test_") or last == "conftest"):
                offenders.append(f"{path.relative_to(TESTS)} imports {name}")
    assert offenders == []


def test_no_test_imports_the_benchmarks() -> None:
    this = Path(__file__).resolve()
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        imports_bench = any(name == "bench" or name.startswith("bench.") for name in _imports(path))
        # bench/ is no package: a test could only reach it by path, `… / "bench" / …` or `"bench/…"`.
        loads_bench_by_path = re.search(r"""/\s*["']bench["']|["']bench/""", path.read_text(encoding="utf-8"))
        if path != this and (imports_bench or loads_bench_by_path):
            offenders.append(str(path.relative_to(TESTS)))
    assert offenders == []

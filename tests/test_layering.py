"""The layering of the apps, read from the source: no import circles, and every app imports only apps at or below
it. Every import counts, function-level ones included (a lazy import is still a dependency); tests, bench and
migrations are left out.

The order, bottom first (DESIGN.md "Layout"):
- core: the kernel (errors, request ids, middleware, the API error shape, lookup, health, generic Excel); it
  imports no app at all.
- accounts: people, units, roles, tokens, the API auth classes and the permission engine; on core.
- shell: the page shell asks accounts' permission engine which menu entries a person may see, so it sits above
  accounts; and since accounts cannot register with the shell, the shell registers accounts' entries itself.
- tasks: asks the permission engine who may follow a task, and puts running tasks on the shell's home page.
- audit: DESIGN.md's layout draws "audit <- tasks/shell", but audit registers its menu entries with the shell and
  runs its verification as a background task, so it sits above both.
- certification, competitions, talentpool: competitions records promotions through certification, talentpool
  reads both; certification never imports competitions, so the three keep that order among themselves.
- config imports anything; nothing imports config (Django finds the settings, urls, asgi and wsgi modules by
  their dotted names), and manage.py is machinery likewise.

One exception, on purpose: every write is audited in the write's own transaction, so accounts' services call
audit's writer (audit.services, audit.models, audit.chain) although audit sits above accounts. The exception is
sound only while the writer stands on core alone, which the last test checks: today the writer imports no
accounts module (an entry's actor is a foreign key to settings.AUTH_USER_MODEL, named, not imported), so
accounts -> writer closes no circle. Nothing else of audit may be imported from below it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = {"tests", "bench", "migrations", ".venv", "var", "static", "node_modules", "locale", "templates"}

ORDER = ["core", "accounts", "shell", "tasks", "audit", "certification", "competitions", "talentpool"]
RANK = {app: rank for rank, app in enumerate(ORDER)}
ABOVE_ALL = {"config", "manage"}  # import anything; imported by nothing
AUDIT_WRITER = {"audit.services", "audit.models", "audit.chain"}
WRITER_MAY_BE_IMPORTED_FROM = {"accounts"}


def _modules() -> dict[str, Path]:
    modules: dict[str, Path] = {}
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT)
        if any(part in SKIP or part.startswith(".") for part in rel.parts):
            continue
        name = ".".join(rel.with_suffix("").parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        modules[name] = path
    return modules


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports_of(module: str, path: Path) -> set[str]:
    """The project modules `module` imports, anywhere in its body."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tops = {name.split(".")[0] for name in MODULES}
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for target in targets:
            if target.split(".")[0] not in tops:
                continue
            resolved = _resolve(target)
            # A module importing its own package (or itself) is no dependency.
            if resolved and resolved != module and not module.startswith(resolved + "."):
                found.add(resolved)
    return found


GRAPH = {module: _imports_of(module, path) for module, path in MODULES.items()}


def _app(module: str) -> str:
    return module.split(".")[0]


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_the_graph_sees_the_project() -> None:
    # A guard against a walk that finds nothing and so proves nothing.
    assert {"core.errors", "accounts.auth", "shell.navigation", "tasks.progress", "audit.services"} <= set(MODULES)
    assert "accounts.services" in GRAPH["accounts.auth"]


def test_there_are_no_import_circles() -> None:
    assert _circles(GRAPH) == []


def test_the_circle_finder_finds_a_circle() -> None:
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_top_level_package_has_its_place_in_the_order() -> None:
    unplaced = {_app(module) for module in MODULES} - set(ORDER) - ABOVE_ALL
    assert not unplaced, f"add {sorted(unplaced)} to ORDER (and to DESIGN.md's layout)"


def _violations() -> list[str]:
    found = []
    for module, imported in sorted(GRAPH.items()):
        app = _app(module)
        for target in sorted(imported):
            target_app = _app(target)
            if target_app == app or app in ABOVE_ALL:
                continue
            if target_app in ABOVE_ALL:
                found.append(f"{module} -> {target}: nothing imports {target_app}")
            elif target in AUDIT_WRITER and app in WRITER_MAY_BE_IMPORTED_FROM:
                continue
            elif RANK[target_app] > RANK[app]:
                found.append(f"{module} -> {target}: {app} sits below {target_app}")
    return found


def test_every_app_imports_only_apps_at_or_below_it() -> None:
    assert _violations() == []


def test_the_kernel_imports_no_app() -> None:
    assert {target for module in GRAPH if _app(module) == "core" for target in GRAPH[module]
            if _app(target) != "core"} == set()


@pytest.mark.parametrize("writer", sorted(AUDIT_WRITER))
def test_the_audit_writer_that_accounts_imports_stands_on_core_alone(writer: str) -> None:
    reached: set[str] = set()
    todo = [writer]
    while todo:
        for target in GRAPH[todo.pop()]:
            if target not in reached:
                reached.add(target)
                todo.append(target)
    assert {target for target in reached if target not in AUDIT_WRITER and _app(target) != "core"} == set()

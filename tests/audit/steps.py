"""Shared steps of the audit tests: write entries, seal, and play the attacker who can switch the guards off."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from accounts.actors import Actor
from audit.models import AuditEntry
from audit.sealing import SealReport, audit_seal
from audit.services import audit_record


def record(actor: Actor, target: Any, n: int, *, seal_each: bool = False) -> list[AuditEntry]:
    """n entries, each in its own transaction (and each sealed under its own head when `seal_each`)."""
    made = []
    for i in range(n):
        with transaction.atomic():
            made.append(audit_record(actor=actor, action="tests.thing.changed", target=target, old={"v": i},
                                     new={"v": i + 1}, reason=f"第{i}次"))
        if seal_each:
            audit_seal()
    return made


def seal() -> SealReport:
    return audit_seal()


def bypass_guards(cursor: Any) -> None:
    """Play the attacker with database superuser rights, who can switch the triggers (and foreign keys) off.
    On PostgreSQL it lasts until the test's transaction ends; on SQLite dropping the triggers is rolled back with
    the test's transaction."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL session_replication_role = replica")
    else:
        for table in ("audit_auditentry", "audit_auditleaf", "audit_audittreehead"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        cursor.execute("PRAGMA defer_foreign_keys = ON")


def tamper(*statements: str | tuple[str, list[Any]]) -> None:
    """Run raw SQL (each a statement, or a statement and its parameters) as that attacker."""
    with transaction.atomic(), connection.cursor() as cursor:
        bypass_guards(cursor)
        for statement in statements:
            sql, params = (statement, []) if isinstance(statement, str) else statement
            cursor.execute(sql, params)


@contextmanager
def rolled_back() -> Iterator[None]:
    """Undo an attack before the test ends (SQLite checks the foreign keys a deleted entry leaves dangling)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)

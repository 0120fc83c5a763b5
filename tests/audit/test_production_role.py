"""The production database role of README "Production": it appends to the audit tables and seals, and is refused
UPDATE, DELETE and TRUNCATE of entries, leaves and heads by its grants (before any trigger is reached), and ALTER
because it owns nothing."""

from __future__ import annotations

import os

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.actors import SYSTEM
from accounts.models import Organization
from audit.models import AuditLeaf, AuditTreeHead
from tests.audit.steps import record, seal

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="database roles and grants are PostgreSQL's; SQLite has none")

GUARDED = ["audit_auditentry", "audit_auditleaf", "audit_audittreehead"]


def _grant_as_in_the_readme(role: str) -> list[str]:
    """README "Production", with the role's name filled in."""
    return [
        f"CREATE ROLE {role} NOLOGIN",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {', '.join(GUARDED)} FROM {role}",
    ]


def test_the_application_role_appends_and_seals_but_cannot_change_or_remove(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 2)
    seal()
    role = f"audit_app_test_{os.getpid()}"
    with connection.cursor() as cursor:
        for statement in _grant_as_in_the_readme(role):
            cursor.execute(statement)
        cursor.execute(f"SET ROLE {role}")
    try:
        record(SYSTEM, organizer_unit, 1)  # appending works
        assert seal().sealed == 1  # and so does sealing (its own row is the one it updates)
        assert AuditLeaf.objects.count() == 3 and AuditTreeHead.objects.count() == 2
        refused = [f"UPDATE {table} SET {column} = {column}" for table, column in  # noqa: S608 - fixed names
                   zip(GUARDED, ["reason", "hash", "root_hash"], strict=True)]
        refused += [f"DELETE FROM {table}" for table in GUARDED]  # noqa: S608 - fixed names
        refused += [f"TRUNCATE {table} CASCADE" for table in GUARDED]
        refused += ["ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
                    "ALTER TABLE audit_auditleaf DROP CONSTRAINT IF EXISTS anything"]
        for statement in refused:
            with pytest.raises(DatabaseError, match="permission denied|must be owner"), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute(statement)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditLeaf.objects.count() == 3

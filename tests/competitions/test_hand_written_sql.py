"""core.sql: hand-written statements read back and written exactly as the ORM would (issue 8, "Performance"), on
whichever database the suite runs (SQLite's text dates, decimals and UUIDs; PostgreSQL's types)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from django.db import DatabaseError, connection
from django.forms.models import model_to_dict

from audit.models import AuditEntry
from competitions.models import Entry, Mark
from core import sql
from tests.competitions.steps import Scenario

pytestmark = pytest.mark.django_db


def _fields(obj: object) -> dict[str, object]:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}  # type: ignore[attr-defined]


def test_a_row_read_by_hand_is_the_instance_the_orm_reads(scenario: Scenario) -> None:
    entry = scenario.entries_b[0]
    Entry.objects.filter(pk=entry.pk).update(module_scores={"7": "12.5000"}, practical=Decimal("12.5"),
                                             completion_time=timedelta(minutes=95), theory_score=Decimal("81.25"))
    columns = sql.Columns(Entry, "e")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns.sql()} FROM {sql.table(Entry)} e WHERE e.id = %s", [entry.pk])  # noqa: S608
        row = cursor.fetchone()
    loaded = columns.load(row)
    expected = Entry.objects.get(pk=entry.pk)
    assert _fields(loaded) == _fields(expected)
    assert loaded.module_scores == {"7": "12.5000"} and loaded.completion_time == timedelta(minutes=95)
    assert not loaded._state.adding and loaded._state.db == "default"


def test_an_insert_by_hand_is_the_row_save_writes(scenario: Scenario) -> None:
    s = scenario
    key = uuid4()
    mark = sql.insert(Mark(entry=s.entries_b[0], aspect=s.aspects["A1"], referee=s.referee_a,
                           value=Decimal("7.2500"), idempotency_key=key))
    assert mark.pk is not None and not mark._state.adding
    stored = Mark.objects.get(pk=mark.pk)
    assert stored.idempotency_key == key and stored.value == Decimal("7.2500")
    assert stored.created_at == mark.created_at  # the field's default, as save() would have written it
    entry = sql.insert(AuditEntry(created_at=mark.created_at, actor_label="system", action="test.done",
                                  target_type="test", target_id="1", new={"值": "7.25"}))
    assert AuditEntry.objects.get(pk=entry.pk).new == {"值": "7.25"}


def test_an_update_by_hand_writes_only_its_fields_and_refuses_a_missing_row(scenario: Scenario) -> None:
    entry = Entry.objects.get(pk=scenario.entries_b[0].pk)
    before = model_to_dict(entry)
    entry.module_scores, entry.practical, entry.total = {"1": "3.0000"}, Decimal("3"), Decimal("3.00")
    entry.workstation_no = "not written"
    sql.update(entry, ["module_scores", "practical", "total"])
    stored = Entry.objects.get(pk=entry.pk)
    assert (stored.module_scores, stored.practical, stored.total) == ({"1": "3.0000"}, Decimal(3), Decimal(3))
    assert stored.workstation_no == before["workstation_no"]
    entry.pk = 10**9
    with pytest.raises(DatabaseError):
        sql.update(entry, ["total"])


def test_the_results_version_reads_the_skills_as_the_orm_query_it_replaced(scenario: Scenario) -> None:
    """competitions.selectors.standings._event_skills against the queryset it replaced: the same skills, event,
    scheme and snapshot (rows left deferred), watermark and newest published hash, before and after publication."""
    from django.db.models import Count, OuterRef, Subquery, Sum, Value
    from django.db.models.functions import Coalesce

    from competitions.models import PublishedResults, Skill
    from competitions.selectors.standings import _event_skills
    from tests.competitions import steps

    def by_orm() -> list[Skill]:
        entries = Entry.objects.filter(skill_id=OuterRef("pk")).order_by().values("skill_id")
        return list(
            Skill.objects.filter(event_id=scenario.event.pk).select_related("event", "scheme", "standings_snapshot")
            .defer("standings_snapshot__rows", "standings_snapshot__modules", "standings_snapshot__mismatches")
            .annotate(live_count=Coalesce(Subquery(entries.annotate(n=Count("pk")).values("n")), Value(0)),
                      live_seq=Coalesce(Subquery(entries.annotate(s=Sum("standings_seq")).values("s")), Value(0)),
                      published_hash=Subquery(PublishedResults.objects.filter(skill_id=OuterRef("pk"))
                                              .order_by("-version").values("content_hash")[:1]))
            .order_by("id"))

    def facts(skills: list[Skill]) -> list[object]:
        out: list[object] = []
        for skill in skills:
            snapshot = getattr(skill, "standings_snapshot", None)
            scheme = getattr(skill, "scheme", None)
            out.append([_fields(skill), _fields(skill.event), None if scheme is None else _fields(scheme),
                        None if snapshot is None else {k: v for k, v in _fields(snapshot).items()
                                                       if k not in ("rows", "modules", "mismatches")},
                        None if snapshot is None else sorted(snapshot.get_deferred_fields()),
                        skill.live_count, skill.live_seq, skill.published_hash])  # type: ignore[attr-defined]
        return out

    assert facts(_event_skills(scenario.event.pk)) == facts(by_orm())
    steps.mark_review_publish(scenario)
    assert facts(_event_skills(scenario.event.pk)) == facts(by_orm())
    after = _event_skills(scenario.event.pk)
    assert any(s.published_hash for s in after)  # type: ignore[attr-defined]
    assert any(getattr(s, "standings_snapshot", None) is not None for s in after)
    assert _event_skills(scenario.event.pk + 1000) == []

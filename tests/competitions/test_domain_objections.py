"""Who may object, one open objection at a time, a few within minutes (competitions.domain.objections)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from competitions.domain.objections import LIMIT, WINDOW, Objector, objection_refusal

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _code(refusal: object) -> str | None:
    return getattr(refusal, "code", None)


def test_only_a_member_coach_or_the_nominating_units_staff_may_object() -> None:
    for objector in (Objector(member=True), Objector(coach=True), Objector(unit_staff=True)):
        assert objection_refusal(objector, has_open=False, filed_at=[], now=NOW) is None
    refusal = objection_refusal(Objector(), has_open=False, filed_at=[], now=NOW)
    assert refusal is not None and refusal.status == 404


def test_one_open_objection_per_person_and_entry() -> None:
    refusal = objection_refusal(Objector(member=True), has_open=True, filed_at=[], now=NOW)
    assert _code(refusal) == "objection.already_open" and refusal is not None and refusal.status == 409


def test_at_most_limit_objections_within_the_window() -> None:
    recent = [NOW - timedelta(minutes=n) for n in range(LIMIT)]
    refusal = objection_refusal(Objector(coach=True), has_open=False, filed_at=recent, now=NOW)
    assert _code(refusal) == "objection.too_many" and refusal is not None and refusal.status == 429
    assert objection_refusal(Objector(coach=True), has_open=False, filed_at=recent[:-1], now=NOW) is None
    older = [NOW - WINDOW - timedelta(seconds=1)] * 20  # outside the window: not counted
    assert objection_refusal(Objector(coach=True), has_open=False, filed_at=older, now=NOW) is None

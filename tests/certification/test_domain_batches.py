"""The batch rules: staff ratios (each failing ratio named with its shortfall), recusal, allocation (hypothesis:
every candidate seated once per part, no seat twice, never a recused room, reproducible), the state machines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.domain import batches as b
from certification.models import BatchStatus, RegistrationStatus

P = b.Part


def short(part: b.Part, candidates: int, staff: int) -> dict[str, int]:
    return {s.code.rsplit(".", 1)[1]: s.short for s in b.room_shortfalls(part, b.RoomLoad("1", candidates, staff))}


@pytest.mark.parametrize(("candidates", "staff", "expected"), [
    (30, 2, {}), (31, 2, {"invigilators_per_15": 1}), (40, 1, {"invigilators_per_15": 2, "invigilators_per_room": 1}),
    (10, 1, {"invigilators_per_room": 1}), (0, 0, {}), (15, 2, {}), (16, 3, {}),
])
def test_theory_rooms_need_one_invigilator_per_15_and_two_per_room(candidates: int, staff: int,
                                                                   expected: dict[str, int]) -> None:
    assert short(P.THEORY, candidates, staff) == expected


@pytest.mark.parametrize(("candidates", "staff", "expected"), [
    (15, 3, {}), (16, 3, {"assessors_per_5": 1}), (5, 2, {"assessors_at_least_3": 1}),
    (10, 4, {"assessors_odd": 1}), (20, 4, {"assessors_odd": 1}), (25, 5, {}), (26, 5, {"assessors_per_5": 1}),
    (26, 6, {"assessors_odd": 1}),
])
def test_practical_groups_need_an_odd_panel_of_three_and_one_per_five(candidates: int, staff: int,
                                                                      expected: dict[str, int]) -> None:
    assert short(P.PRACTICAL, candidates, staff) == expected


def test_review_panels_are_odd_and_at_least_three_counting_the_part_panel() -> None:
    assert short(P.REVIEW, 8, 2) == {"review_at_least_3": 1}
    assert short(P.REVIEW, 8, 4) == {"review_odd": 1}
    load = b.PartLoad(P.REVIEW, (b.RoomLoad("评审室", 8, 0),), part_staff=3)
    assert b.staffing_shortfalls([load]) == []


def test_a_shortfall_names_its_room_need_and_count() -> None:
    [s] = b.room_shortfalls(P.THEORY, b.RoomLoad("第一考场", 46, 3))
    assert (s.room, s.candidates, s.needed, s.has, s.short) == ("第一考场", 46, 4, 3, 1)


def test_parts_and_their_minimum_times() -> None:
    assert b.parts_for(4) == (P.THEORY, P.PRACTICAL)
    assert b.parts_for(2) == (P.THEORY, P.PRACTICAL, P.REVIEW)
    start = datetime(2026, 5, 1, 9, tzinfo=UTC)
    assert b.part_time_problems(P.THEORY, start, start + timedelta(minutes=90)) == []
    [problem] = b.part_time_problems(P.THEORY, start, start + timedelta(minutes=60))
    assert problem.code == "batch.part_too_short" and problem.params["has"] == 60
    assert b.part_time_problems(P.REVIEW, start, start + timedelta(minutes=30)) == []
    assert b.part_time_problems(P.REVIEW, start, start)[0].code == "batch.part_ends_before_start"


def test_capacity_is_the_tightest_part() -> None:
    assert b.capacity({P.THEORY: 60, P.PRACTICAL: 20}, (P.THEORY, P.PRACTICAL)) == 20
    assert b.capacity({P.THEORY: 60}, (P.THEORY, P.PRACTICAL)) == 0


def test_recusal_same_unit_only_for_assessors_on_social_evaluations_relationships_everywhere() -> None:
    cand = b.CandidateFacts(1, 100, unit_id=7)
    assessor = b.StaffFacts(200, b.DutyKind.ASSESSOR, frozenset({7}))
    invigilator = b.StaffFacts(201, b.DutyKind.INVIGILATOR, frozenset({7}))
    related = b.StaffFacts(202, b.DutyKind.INVIGILATOR, frozenset(), frozenset({100}))
    assert b.recusal_reason(assessor, cand, social=True) == "recusal.same_unit"
    assert b.recusal_reason(assessor, cand, social=False) is None
    assert b.recusal_reason(invigilator, cand, social=True) is None
    assert b.recusal_reason(related, cand, social=False) == "recusal.declared_relationship"
    assert b.recusal_reason(b.StaffFacts(100, b.DutyKind.REVIEWER), cand, social=False) == "recusal.self"


def test_allocation_spreads_a_unit_and_skips_a_recused_group() -> None:
    cands = [b.CandidateFacts(i, 1000 + i, unit_id=1 if i <= 4 else 2) for i in range(1, 9)]
    theory = b.PartRooms(P.THEORY, (b.RoomSeats(10, 8),))
    recused = b.StaffFacts(5, b.DutyKind.ASSESSOR, frozenset({1}))
    practical = b.PartRooms(P.PRACTICAL, (b.RoomSeats(20, 4, (recused,)), b.RoomSeats(21, 4)))
    result = b.allocate_seats(cands, [theory, practical], seed=42, social=True)
    assert result.complete
    units = {c.registration_id: c.unit_id for c in cands}
    row = [units[p.registration_id] for p in sorted((p for p in result.placements if p.part is P.THEORY),
                                                     key=lambda p: p.number)]
    assert all(a != c for a, c in zip(row, row[1:], strict=False))  # neighbours from different units
    assert {p.registration_id for p in result.placements if p.room_id == 21} == {1, 2, 3, 4}
    again = b.allocate_seats(list(reversed(cands)), [theory, practical], seed=42, social=True)
    assert b.seating_digest(again.placements) == b.seating_digest(result.placements)


def test_allocation_names_who_cannot_be_seated_and_why() -> None:
    cands = [b.CandidateFacts(1, 11, 1), b.CandidateFacts(2, 12, 2)]
    recused = b.StaffFacts(5, b.DutyKind.ASSESSOR, frozenset({1}))
    result = b.allocate_seats(cands, [b.PartRooms(P.PRACTICAL, (b.RoomSeats(20, 5, (recused,)),))], seed=1,
                              social=True)
    assert [(u.registration_id, u.reason) for u in result.unplaced] == [(1, "allocation.recused")]
    full = b.allocate_seats(cands, [b.PartRooms(P.THEORY, (b.RoomSeats(20, 1),))], seed=1, social=True)
    assert [u.reason for u in full.unplaced] == ["allocation.no_seat"]


candidates_strategy = st.lists(st.tuples(st.integers(1, 4), st.booleans()), min_size=0, max_size=40)


@settings(max_examples=60, deadline=None)
@given(candidates_strategy, st.lists(st.integers(1, 12), min_size=1, max_size=4), st.integers(0, 2**62),
       st.sets(st.tuples(st.integers(1, 40), st.integers(0, 3)), max_size=10))
def test_allocation_seats_each_candidate_once_never_twice_a_seat_never_recused(
        people: list[tuple[int, bool]], seats: list[int], seed: int, relations: set[tuple[int, int]]) -> None:
    cands = [b.CandidateFacts(i, 1000 + i, unit if has_unit else None)
             for i, (unit, has_unit) in enumerate(people, start=1)]
    rooms = tuple(b.RoomSeats(100 + j, n, (b.StaffFacts(
        500 + j, b.DutyKind.ASSESSOR, frozenset({j + 1}),
        frozenset(1000 + i for i, room in relations if room == j)),)) for j, n in enumerate(seats))
    part = b.PartRooms(P.PRACTICAL, rooms)
    result = b.allocate_seats(cands, [part], seed=seed, social=True)
    placed = [p.registration_id for p in result.placements]
    assert len(placed) == len(set(placed))
    assert set(placed) | {u.registration_id for u in result.unplaced} == {c.registration_id for c in cands}
    assert len({(p.room_id, p.number) for p in result.placements}) == len(result.placements)
    by_room = {r.room_id: r for r in rooms}
    by_id = {c.registration_id: c for c in cands}
    for p in result.placements:
        room = by_room[p.room_id]
        assert 1 <= p.number <= room.seats
        assert not any(b.recusal_reason(s, by_id[p.registration_id], social=True) for s in room.staff)
    assert b.allocate_seats(cands, [part], seed=seed, social=True) == result


def test_state_machines_agree_with_the_models() -> None:
    assert {s.value for s in b.RegistrationState} == set(RegistrationStatus.values)
    assert {s.value for s in b.BatchState} == set(BatchStatus.values)
    assert b.registration_may_move("submitted", "approved") and not b.registration_may_move("rejected", "approved")
    assert not b.registration_may_move("submitted", "seated")
    assert b.batch_may_move("closed", "open") and not b.batch_may_move("cancelled", "open")

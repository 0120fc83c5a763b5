"""Marking groups by blocks of workstations (裁判分组; DESIGN.md "Recusal without a leak"): the pure placement."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competitions.domain.groups import (
    GroupPlan,
    GroupReferee,
    PanelNeed,
    Station,
    block_sizes,
    conflicts,
    place_blocks,
    plan_problems,
    skill_too_small,
)

WORLDSKILLS = [PanelNeed("A1", 1), PanelNeed("J1", 3)]
CHINESE = [PanelNeed("A1", 1), PanelNeed("J1", 5)]


def _ref(rid: str, *orgs: str, related: frozenset[str] = frozenset(), aspects: frozenset[str] = frozenset()
         ) -> GroupReferee:
    return GroupReferee(rid, frozenset(orgs), related, aspects)


def _stations(*orgs: str | None) -> list[Station]:
    return [Station(f"{n:02d}", f"e{n}", org) for n, org in enumerate(orgs, start=1)]


def _codes(placement_problems: tuple[object, ...]) -> list[str]:
    return [p.code for p in placement_problems]  # type: ignore[attr-defined]


# --- table-driven ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("referees", "needs", "too_small"), [
    (5, WORLDSKILLS, True), (6, WORLDSKILLS, False), (9, CHINESE, True), (10, CHINESE, False),
    (1, [PanelNeed("A1", 1)], True), (2, [PanelNeed("A1", 1)], False), (2, [], False),
])
def test_a_skill_is_too_small_when_two_groups_cannot_each_fill_the_largest_panel(
    referees: int, needs: list[PanelNeed], too_small: bool
) -> None:
    problem = skill_too_small(referees, needs)
    assert (problem is not None) is too_small
    if problem is not None:
        panel = max(n.referees for n in needs)
        assert problem.code == "groups.skill_too_small"
        assert problem.params == {"referees": referees, "needed": 2 * panel, "panel": panel}


def test_a_recused_workstation_goes_to_a_block_of_another_group() -> None:
    a, b = _ref("a", "X"), _ref("b", "Y")
    stations = _stations("X", "Y", "Z", "Z")
    placement = place_blocks([GroupPlan("一", (a,)), GroupPlan("二", (b,))], stations, [PanelNeed("A1", 1)],
                             random.Random(1))
    assert placement.placed
    assert "01" in placement.blocks["二"] and "02" in placement.blocks["一"]
    assert sorted(placement.blocks["一"] + placement.blocks["二"]) == ["01", "02", "03", "04"]


def test_a_declared_relationship_counts_like_the_same_organization() -> None:
    a = _ref("a", related=frozenset({"e3"}))
    placement = place_blocks([GroupPlan("一", (a,)), GroupPlan("二", (_ref("b"),))], _stations(None, None, None, None),
                             [PanelNeed("A1", 1)], random.Random(2))
    assert placement.placed and "03" in placement.blocks["二"]
    assert conflicts(a, Station("03", "e3", None)) and not conflicts(a, Station("04", "e4", None))


def test_a_referee_of_several_units_recuses_from_each() -> None:
    a = _ref("a", "X", "Y")
    assert conflicts(a, Station("01", "e1", "X")) and conflicts(a, Station("02", "e2", "Y"))
    assert not conflicts(a, Station("03", "e3", "Z")) and not conflicts(a, Station("04", "e4", None))


def test_no_placement_says_how_many_workstations_are_missing_and_names_none() -> None:
    groups = [GroupPlan("一", (_ref("a", "X"),)), GroupPlan("二", (_ref("b", "X"),))]
    placement = place_blocks(groups, _stations("X", "Y"), [PanelNeed("A1", 1)], random.Random(3))
    assert not placement.placed and placement.blocks == {}
    (problem,) = placement.problems
    assert problem.code == "groups.no_placement" and problem.params == {"unplaced": 1, "stations": 2}
    assert "01" not in problem.default_message and "X" not in str(problem.params)


def test_no_placement_in_a_small_skill_also_says_it_is_too_small() -> None:
    groups = [GroupPlan("一", (_ref("a", "X"), _ref("b"), _ref("c")))]
    placement = place_blocks(groups, _stations("X", "Y"), WORLDSKILLS, random.Random(4))
    assert _codes(placement.problems) == ["groups.no_placement", "groups.skill_too_small"]


def test_one_group_of_everyone_is_placed_only_without_any_conflict() -> None:
    everyone = GroupPlan("全体", (_ref("a", "X"), _ref("b", "Y"), _ref("c")))
    assert place_blocks([everyone], _stations("Z", "W"), WORLDSKILLS, random.Random(5)).blocks == {
        "全体": ("01", "02")}
    assert not place_blocks([everyone], _stations("Z", "X"), WORLDSKILLS, random.Random(5)).placed


@pytest.mark.parametrize(("groups", "needs", "stations", "codes"), [
    ([], WORLDSKILLS, 2, ["groups.none"]),
    ([GroupPlan("一", ())], [], 2, ["groups.empty"]),
    ([GroupPlan("一", (_ref("a"),)), GroupPlan("二", (_ref("a"),))], [], 2, ["groups.referee_twice"]),
    # A WorldSkills judgement panel needs three referees within the group ...
    ([GroupPlan("一", (_ref("a"), _ref("b")))], WORLDSKILLS, 2, ["groups.panel_unfillable"]),
    # ... assigned that aspect: a measurer of A1 only does not count for J1.
    ([GroupPlan("一", (_ref("a"), _ref("b"), _ref("c", aspects=frozenset({"A1"}))))], WORLDSKILLS, 2,
     ["groups.panel_unfillable"]),
    # The Chinese method's panel of five.
    ([GroupPlan("一", tuple(_ref(c) for c in "abcd"))], CHINESE, 2, ["groups.panel_unfillable"]),
    ([GroupPlan("一", (_ref("a"),), 3)], [], 2, ["groups.block_sizes_sum"]),
    ([GroupPlan("一", (_ref("a"),), 2), GroupPlan("二", (_ref("b"),))], [], 2, ["groups.block_sizes_sum"]),
    ([GroupPlan("一", (_ref("a"),), 0), GroupPlan("二", (_ref("b"),), 2)], [], 2, ["groups.block_size_invalid"]),
])
def test_groups_that_cannot_be_placed_are_refused_naming_every_problem(
    groups: list[GroupPlan], needs: list[PanelNeed], stations: int, codes: list[str]
) -> None:
    assert _codes(tuple(plan_problems(groups, needs, stations))) == codes
    placement = place_blocks(groups, _stations(*[None] * stations), needs, random.Random(0))
    assert not placement.placed and _codes(placement.problems)[: len(codes)] == codes


def test_panel_unfillable_names_the_group_the_aspect_and_the_count() -> None:
    (problem,) = plan_problems([GroupPlan("一", (_ref("a"), _ref("b")))], WORLDSKILLS, 4)
    assert problem.params == {"group": "一", "aspect": "J1", "needed": 3, "has": 2}


def test_block_sizes_are_kept_and_the_rest_shared_out_evenly() -> None:
    groups = [GroupPlan("一", (_ref("a"),), 3), GroupPlan("二", (_ref("b"),)), GroupPlan("三", (_ref("c"),))]
    assert block_sizes(groups, 10) == [3, 4, 3]
    placement = place_blocks(groups, _stations(*[None] * 10), [], random.Random(6))
    assert [len(placement.blocks[n]) for n in ("一", "二", "三")] == [3, 4, 3]


def test_blocks_are_not_runs_of_numbers_repaired_around_recused_workstations() -> None:
    """Which workstations share a block varies with the random source, so a block's shape points at nothing."""
    groups = [GroupPlan("一", (_ref("a", "X"),)), GroupPlan("二", (_ref("b"),))]
    stations = _stations("X", None, None, None, None, None, None, None)
    seen = {place_blocks(groups, stations, [], random.Random(seed)).blocks["一"] for seed in range(30)}
    assert len(seen) > 5 and all("01" not in block for block in seen)


# --- properties ------------------------------------------------------------------------------------------------

ORGS = ["X", "Y", "Z", None]


@st.composite
def skills(draw: st.DrawFn) -> tuple[list[GroupPlan], list[Station], list[PanelNeed]]:
    stations = [Station(f"{n:02d}", f"e{n}", draw(st.sampled_from(ORGS)))
                for n in range(1, draw(st.integers(1, 7)) + 1)]
    contestants = [s.contestant_id for s in stations]
    referee_count = draw(st.integers(1, 7))
    referees = [
        GroupReferee(f"r{i}", frozenset(draw(st.sets(st.sampled_from(["X", "Y", "Z"]), max_size=2))),
                     frozenset(draw(st.sets(st.sampled_from(contestants), max_size=2))))
        for i in range(referee_count)
    ]
    group_count = draw(st.integers(1, min(3, referee_count)))
    labels = [draw(st.integers(0, group_count - 1)) for _ in referees]
    groups = [GroupPlan(f"g{g}", tuple(r for r, label in zip(referees, labels, strict=True) if label == g))
              for g in range(group_count)]
    groups = [g for g in groups if g.referees]
    needs = [PanelNeed("A1", 1)] + ([PanelNeed("J1", draw(st.integers(1, 2)))] if draw(st.booleans()) else [])
    return groups, stations, needs


def _exists(groups: list[GroupPlan], stations: list[Station], needs: list[PanelNeed]) -> bool:
    """Brute force: is there any placement with the block sizes and no conflict?"""
    if plan_problems(groups, needs, len(stations)):
        return False
    sizes = block_sizes(groups, len(stations))
    for labels in itertools.product(range(len(groups)), repeat=len(stations)):
        if [labels.count(g) for g in range(len(groups))] != sizes:
            continue
        if all(not conflicts(r, s) for s, g in zip(stations, labels, strict=True) for r in groups[g].referees):
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(skills(), st.integers(0, 2**32))
def test_no_referee_ever_marks_a_conflicted_workstation_and_every_workstation_is_in_exactly_one_block(
    skill: tuple[list[GroupPlan], list[Station], list[PanelNeed]], seed: int
) -> None:
    groups, stations, needs = skill
    placement = place_blocks(groups, stations, needs, random.Random(seed))
    assert placement.placed == _exists(groups, stations, needs)  # placed whenever any placement exists
    if not placement.placed:
        assert placement.blocks == {} and placement.problems
        return
    placed = [number for block in placement.blocks.values() for number in block]
    assert sorted(placed) == sorted(s.number for s in stations)  # each exactly once
    by_number = {s.number: s for s in stations}
    for group in groups:
        for number in placement.blocks[group.name]:
            assert not any(conflicts(r, by_number[number]) for r in group.referees)
        for need in needs:  # every panel fillable within the group
            assert sum(1 for r in group.referees if r.marks_aspect(need.aspect_code)) >= need.referees
    assert [len(placement.blocks[g.name]) for g in groups] == block_sizes(groups, len(stations))

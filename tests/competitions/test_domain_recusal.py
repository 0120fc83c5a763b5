"""Recusal (回避) and panel filling (DESIGN.md "Recusal")."""

# pytest asserts; pyproject ignores S101 for tests, this keeps the narrower `--select … S` command clean too.
# ruff: noqa: S101

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competitions.domain.recusal import ContestantProfile, RefereeProfile, assign_panel, can_mark, check_referee
from core.errors import RuleBroken


@pytest.mark.parametrize(
    ("referee_org", "declared", "contestant_org", "codes"),
    [
        ("org-a", set(), "org-b", []),
        ("org-a", set(), "org-a", ["recusal.same_organization"]),
        ("org-a", {"c1"}, "org-b", ["recusal.declared_relationship"]),
        ("org-a", {"c1"}, "org-a", ["recusal.same_organization", "recusal.declared_relationship"]),
        ("org-a", {"c2"}, "org-b", []),  # a relationship to someone else
        (None, set(), None, []),  # independent expert, individual entrant
        (None, {"c1"}, None, ["recusal.declared_relationship"]),
        ("org-a", set(), None, []),
    ],
)
def test_can_mark_gives_every_reason(
    referee_org: str | None, declared: set[str], contestant_org: str | None, codes: list[str]
) -> None:
    check = can_mark(referee_org, declared, contestant_org, "c1")
    assert [r.code for r in check.reasons] == codes
    assert bool(check) is (not codes) is check.allowed


def test_recused_referee_cannot_mark_own_unit() -> None:
    referee = RefereeProfile("r1", "unit-7")
    assert not check_referee(referee, ContestantProfile("c9", "unit-7"))
    assert check_referee(referee, ContestantProfile("c9", "unit-8"))


def test_same_organization_reason_names_the_contestant_for_translation() -> None:
    reason = can_mark(1, (), 1, "c1").reasons[0]
    assert reason.params == {"contestant": "c1", "organization": 1}


REFEREES = [
    RefereeProfile("r1", "org-a"),
    RefereeProfile("r2", "org-b", frozenset({"c1"})),
    RefereeProfile("r3", "org-c"),
    RefereeProfile("r4", "org-a"),
    RefereeProfile("r5", "org-d"),
    RefereeProfile("r6", None),
]


def test_panel_takes_referees_in_priority_order_when_none_is_recused() -> None:
    assert assign_panel(3, REFEREES, ContestantProfile("c2", "org-z")) == ["r1", "r2", "r3"]


def test_a_recused_referee_is_replaced_by_the_next_eligible_one() -> None:
    # r1 and r4 share org-a with c1; r2 declared a relationship to c1.
    assert assign_panel(3, REFEREES, ContestantProfile("c1", "org-a")) == ["r3", "r5", "r6"]


def test_not_enough_eligible_referees_is_a_domain_error() -> None:
    with pytest.raises(RuleBroken) as raised:
        assign_panel(4, REFEREES, ContestantProfile("c1", "org-a"))
    assert raised.value.code == "recusal.not_enough_referees"
    assert raised.value.params == {"contestant": "c1", "needed": 4, "eligible": 3}


def test_a_referee_listed_twice_counts_once_and_the_panel_size_must_be_positive() -> None:
    twice = [REFEREES[2], REFEREES[2], REFEREES[4]]
    assert assign_panel(2, twice, ContestantProfile("c1", "org-a")) == ["r3", "r5"]
    with pytest.raises(RuleBroken) as raised:
        assign_panel(0, REFEREES, ContestantProfile("c1", "org-a"))
    assert raised.value.code == "recusal.panel_size_invalid"


referee_lists = st.lists(
    st.builds(
        RefereeProfile,
        st.integers(0, 30),
        st.one_of(st.none(), st.sampled_from(["a", "b", "c"])),
        st.frozensets(st.sampled_from(["c1", "c2"]), max_size=2),
    ),
    max_size=15,
)


@settings(max_examples=200, deadline=None)
@given(referee_lists, st.integers(1, 5), st.one_of(st.none(), st.sampled_from(["a", "b", "c"])))
def test_panels_are_eligible_distinct_and_in_priority_order(
    referees: list[RefereeProfile], needed: int, organization: str | None
) -> None:
    contestant = ContestantProfile("c1", organization)
    eligible = list(dict.fromkeys(r.referee_id for r in referees if check_referee(r, contestant)))
    if len(eligible) < needed:
        with pytest.raises(RuleBroken):
            assign_panel(needed, referees, contestant)
        return
    assert assign_panel(needed, referees, contestant) == eligible[:needed]

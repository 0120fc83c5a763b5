"""Paper assembly from a blueprint (certification.domain.papers): table tests and hypothesis properties over random
banks and blueprints (a paper meets the blueprint exactly, no repeats, same seed → same paper, a short cell is
named exactly when the bank lacks enough)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certification.domain.papers import (
    BankQuestion,
    Blueprint,
    BlueprintShort,
    Cell,
    Importance,
    Kind,
    Shortage,
    area_of,
    assemble,
    blueprint_from_data,
    blueprint_to_data,
    check,
    check_blueprint,
    rebuild,
)

POINTS = {Kind.SINGLE: 1, Kind.MULTIPLE: 2, Kind.TRUE_FALSE: 1}


def q(n: int, code: str = "A-B-A-001", kind: Kind = Kind.SINGLE, importance: Importance = Importance.X,
      difficulty: int = 3, options: int = 4) -> BankQuestion:
    return BankQuestion(n, n, kind, code, importance, difficulty, 2 if kind == Kind.TRUE_FALSE else options)


@pytest.mark.parametrize(("code", "depth", "area"), [
    ("A-B-A-001", 1, "A"), ("A-B-A-001", 2, "A-B"), ("A-B-A-001", 3, "A-B-A"), ("A-B-A-001", 5, "A-B-A"),
    ("A-001", 2, "A"),
])
def test_the_area_is_the_codes_prefix_never_its_serial(code: str, depth: int, area: str) -> None:
    assert area_of(code, depth) == area


def test_a_paper_prefers_x_then_y_then_z() -> None:
    bank = [q(1, importance=Importance.Z), q(2, importance=Importance.Y), q(3, importance=Importance.X),
            q(4, importance=Importance.Y)]
    blueprint = Blueprint((Cell("A-B", Kind.SINGLE, 3, 2),), POINTS)
    for seed in range(20):
        ids = {item.version_id for item in assemble(bank, blueprint, seed).items}
        assert 3 in ids and 1 not in ids and len(ids) == 2


def test_seen_questions_are_avoided_where_the_bank_allows() -> None:
    bank = [q(n) for n in range(1, 6)]
    blueprint = Blueprint((Cell("A-B", Kind.SINGLE, 3, 3),), POINTS)
    paper = assemble(bank, blueprint, 7, excluded=[1, 2])
    assert {i.question_id for i in paper.items} == {3, 4, 5}
    paper = assemble(bank, blueprint, 7, excluded=[1, 2, 3, 4])
    assert {5} < {i.question_id for i in paper.items} and len(paper.items) == 3  # two seen ones must be used


def test_every_short_cell_is_named_with_how_many_it_lacks() -> None:
    bank = [q(1), q(2, kind=Kind.TRUE_FALSE, difficulty=1)]
    blueprint = Blueprint((Cell("A-B", Kind.SINGLE, 3, 3), Cell("A-B", Kind.TRUE_FALSE, 1, 1),
                           Cell("B-A", Kind.MULTIPLE, 2, 2)), POINTS)
    with pytest.raises(BlueprintShort) as caught:
        assemble(bank, blueprint, 1)
    assert caught.value.shortages == [Shortage("A-B", Kind.SINGLE, 3, 3, 1), Shortage("B-A", Kind.MULTIPLE, 2, 2, 0)]
    assert [s.missing for s in caught.value.shortages] == [2, 2]


def test_sections_keep_their_order_options_are_shuffled_and_true_false_is_not() -> None:
    bank = [q(n, kind=k, options=5) for n, k in enumerate([Kind.TRUE_FALSE] * 5 + [Kind.SINGLE] * 5
                                                          + [Kind.MULTIPLE] * 5, start=1)]
    blueprint = Blueprint(tuple(Cell("A-B", k, 3, 5) for k in Kind), POINTS)
    paper = assemble(bank, blueprint, 3)
    assert [i.kind for i in paper.items] == [Kind.SINGLE] * 5 + [Kind.MULTIPLE] * 5 + [Kind.TRUE_FALSE] * 5
    assert all(i.option_order == (0, 1) for i in paper.items if i.kind == Kind.TRUE_FALSE)
    assert any(i.option_order != (0, 1, 2, 3, 4) for i in paper.items if i.kind != Kind.TRUE_FALSE)
    assert paper.total_points == 5 + 10 + 5


def test_the_check_finds_a_tampered_paper() -> None:
    bank = [q(n) for n in range(1, 9)]
    blueprint = Blueprint((Cell("A-B", Kind.SINGLE, 3, 4),), POINTS)
    paper = assemble(bank, blueprint, 11)
    assert check(paper, bank, blueprint) == []
    other = next(b for b in bank if b.id not in {i.version_id for i in paper.items})
    swapped = type(paper)(paper.seed, (type(paper.items[0])(other.id, other.id, Kind.SINGLE, (0, 1, 2, 3), 1),
                                       *paper.items[1:]))
    assert check(swapped, bank, blueprint) == ["the seed does not rebuild this paper"]
    repeated = type(paper)(paper.seed, (paper.items[0], paper.items[0], *paper.items[2:]))
    assert "a question appears twice" in check(repeated, bank, blueprint)


def test_a_blueprints_own_table_is_checked_and_round_trips() -> None:
    assert check_blueprint(Blueprint((Cell("A", Kind.SINGLE, 3, 1), Cell("A", Kind.SINGLE, 3, 2)), {})) == [
        "blueprint.repeated_cell", "blueprint.points_missing"]
    assert check_blueprint(Blueprint((), POINTS)) == ["blueprint.empty"]
    blueprint = Blueprint((Cell("B", Kind.MULTIPLE, 2, 1), Cell("A", Kind.SINGLE, 3, 2)), POINTS, depth=1)
    again = blueprint_from_data(blueprint_to_data(blueprint))
    assert sorted(again.cells, key=lambda c: c.key) == sorted(blueprint.cells, key=lambda c: c.key)
    assert again.points == POINTS and again.depth == 1


AREAS = ["A-A", "A-B", "B-A"]


@st.composite
def banks_and_blueprints(draw: st.DrawFn) -> tuple[list[BankQuestion], Blueprint, list[int]]:
    size = draw(st.integers(0, 60))
    bank = [BankQuestion(n, n, draw(st.sampled_from(list(Kind))),
                         f"{draw(st.sampled_from(AREAS))}-{draw(st.sampled_from('ABC'))}-{n:03d}",
                         draw(st.sampled_from(list(Importance))), draw(st.integers(1, 3)), draw(st.integers(2, 5)))
            for n in range(1, size + 1)]
    bank = [b if b.kind != Kind.TRUE_FALSE else BankQuestion(b.id, b.question_id, b.kind, b.point_code,
                                                             b.importance, b.difficulty, 2) for b in bank]
    keys = draw(st.lists(st.tuples(st.sampled_from(AREAS), st.sampled_from(list(Kind)), st.integers(1, 3)),
                         min_size=1, max_size=8, unique=True))
    cells = tuple(Cell(a, k, d, draw(st.integers(0, 6))) for a, k, d in keys)
    excluded = draw(st.lists(st.integers(1, max(1, size)), max_size=10))
    return bank, Blueprint(cells, POINTS), excluded


@settings(max_examples=300, deadline=None)
@given(banks_and_blueprints(), st.integers(0, 2**63 - 1))
def test_property_a_paper_meets_its_blueprint_or_names_exactly_the_short_cells(
        case: tuple[list[BankQuestion], Blueprint, list[int]], seed: int) -> None:
    bank, blueprint, excluded = case
    have = Counter((area_of(b.point_code, 2), b.kind, b.difficulty) for b in bank)
    expected_short = sorted((c.area, c.kind, c.difficulty) for c in blueprint.cells
                            if have[(c.area, c.kind, c.difficulty)] < c.count)
    try:
        paper = assemble(bank, blueprint, seed, excluded)
    except BlueprintShort as exc:
        assert [(s.area, s.kind, s.difficulty) for s in exc.shortages] == expected_short
        assert all(s.available == have[(s.area, s.kind, s.difficulty)] for s in exc.shortages)
        return
    assert expected_short == []
    got: Counter[tuple[str, Kind, int]] = Counter()
    by_id = {b.id: b for b in bank}
    for item in paper.items:
        b = by_id[item.version_id]
        got[(area_of(b.point_code, 2), b.kind, b.difficulty)] += 1
    assert +got == +Counter({(c.area, c.kind, c.difficulty): c.count for c in blueprint.cells})
    assert len({i.question_id for i in paper.items}) == len(paper.items)
    assert rebuild(list(reversed(bank)), blueprint, seed, excluded) == paper  # order of the bank does not matter
    assert check(paper, bank, blueprint) == []
    # Seen questions are used only when a cell's unseen ones run out.
    for cell in blueprint.cells:
        pool = [b for b in bank if (area_of(b.point_code, 2), b.kind, b.difficulty)
                == (cell.area, cell.kind, cell.difficulty)]
        unseen = [b for b in pool if b.question_id not in set(excluded)]
        drawn = [i for i in paper.items if by_id[i.version_id] in pool]
        seen_drawn = [i for i in drawn if i.question_id in set(excluded)]
        assert len(seen_drawn) == max(0, cell.count - len(unseen))


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**63 - 1))
def test_property_two_seeds_usually_give_different_papers_of_the_same_blueprint(seed: int) -> None:
    bank = [q(n, code=f"A-B-A-{n:03d}") for n in range(1, 41)]
    blueprint = Blueprint((Cell("A-B", Kind.SINGLE, 3, 10),), POINTS)
    one, two = assemble(bank, blueprint, seed), assemble(bank, blueprint, seed + 1)
    assert one.items != two.items and check(two, bank, blueprint) == []

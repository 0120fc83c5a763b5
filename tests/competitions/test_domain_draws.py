"""The two-stage anonymous draw (DESIGN.md "Anonymity (二次加密)")."""

# pytest asserts; pyproject ignores S101 for tests, this keeps the narrower `--select … S` command clean too.
# ruff: noqa: S101

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competitions.domain.draws import (
    ALGORITHM,
    decrypt,
    draw_checkin_numbers,
    draw_workstations,
    new_seed,
    seed_commitment,
)
from core.errors import RuleBroken

SEED = "3f2a9c0d1e4b5a6978877665544332211"


def test_a_known_seed_gives_a_known_assignment() -> None:
    # Pinned so a change in Python's generator or in our algorithm is noticed, not silently applied to old draws.
    assert ALGORITHM == "draw-v1"
    checkin = draw_checkin_numbers(["p1", "p2", "p3", "p4", "p5", "p6"], SEED)
    assert checkin == {"p1": 1, "p2": 3, "p3": 5, "p4": 2, "p5": 6, "p6": 4}
    stations = draw_workstations(checkin.values(), ["A01", "A02", "A03", "A04", "A05", "A06", "A07"], SEED)
    assert stations == {1: "A01", 2: "A07", 3: "A04", 4: "A03", 5: "A02", 6: "A06"}


def test_the_seed_commitment_is_the_sha256_of_the_seed() -> None:
    assert seed_commitment("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert seed_commitment(new_seed()) != seed_commitment(new_seed())


def test_the_algorithm_is_the_documented_one() -> None:
    # Anyone can re-run it with the standard library alone, as the module docstring describes.
    people = sorted(["p3", "p1", "p2", "p5", "p4"])
    numbers = [1, 2, 3, 4, 5]
    random.Random(f"draw-v1:checkin:{SEED}").shuffle(numbers)  # noqa: S311 - reproducing the draw, not a secret
    assert draw_checkin_numbers(["p5", "p4", "p3", "p2", "p1"], SEED) == dict(zip(people, numbers, strict=True))


def test_same_seed_same_assignment() -> None:
    people = [f"p{i}" for i in range(30)]
    assert draw_checkin_numbers(people, SEED) == draw_checkin_numbers(people, SEED)
    stations = range(101, 131)
    assert draw_workstations(range(1, 31), stations, SEED) == draw_workstations(range(1, 31), stations, SEED)


@pytest.mark.parametrize("n", [5, 8, 20])
def test_different_seeds_give_different_assignments(n: int) -> None:
    people = [f"p{i}" for i in range(n)]
    results = {tuple(sorted(draw_checkin_numbers(people, f"seed-{k}").items())) for k in range(10)}
    assert len(results) > 1
    assert draw_checkin_numbers(people, "a") != draw_checkin_numbers(people, "b")
    assert draw_workstations(range(1, n + 1), range(n), "a") != draw_workstations(range(1, n + 1), range(n), "b")


def test_the_two_stages_are_independent_even_with_one_seed() -> None:
    n = 12
    first = draw_checkin_numbers(list(range(n)), SEED)
    second = draw_workstations(range(n), range(1, n + 1), SEED)
    # Without the stage prefix both would be the same permutation of 1..n.
    assert [first[i] for i in range(n)] != [second[i] for i in range(n)]


def test_integer_ids_and_workstation_numbers_work() -> None:
    assert sorted(draw_checkin_numbers([30, 10, 20], SEED).values()) == [1, 2, 3]
    assert set(draw_workstations([1, 2], [7, 8, 9], SEED).values()) <= {7, 8, 9}


def test_fewer_workstations_than_contestants_is_refused() -> None:
    with pytest.raises(RuleBroken) as raised:
        draw_workstations([1, 2, 3], ["A01", "A02"], SEED)
    assert raised.value.code == "draw.not_enough_workstations"
    assert raised.value.params == {"contestants": 3, "workstations": 2}


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: draw_checkin_numbers(["p1", "p1"], SEED), "draw.duplicate"),
        (lambda: draw_workstations([1, 2], ["A", "A", "B"], SEED), "draw.duplicate"),
        (lambda: draw_checkin_numbers(["p1"], ""), "draw.seed_missing"),
    ],
)
def test_bad_draw_inputs_are_refused(call: object, code: str) -> None:
    with pytest.raises(RuleBroken) as raised:
        call()  # type: ignore[operator]
    assert raised.value.code == code


def test_new_seed_is_random_hex() -> None:
    first, second = new_seed(), new_seed()
    assert first != second
    assert len(first) == 32 and int(first, 16) >= 0


def test_decrypt_composes_workstation_to_checkin_to_person() -> None:
    checkin = {"alice": 2, "bob": 1}
    stations = {1: "A07", 2: "A03"}
    assert decrypt(stations, checkin) == {"A07": "bob", "A03": "alice"}


@pytest.mark.parametrize(
    ("stations", "checkin"),
    [({1: "A", 3: "B"}, {"x": 1, "y": 2}), ({1: "A"}, {"x": 1, "y": 2}), ({1: "A", 2: "B"}, {"x": 1, "y": 1})],
)
def test_decrypt_refuses_draws_that_do_not_fit(stations: dict[int, str], checkin: dict[str, int]) -> None:
    with pytest.raises(RuleBroken) as raised:
        decrypt(stations, checkin)
    assert raised.value.code == "draw.inconsistent"


@settings(max_examples=150, deadline=None)
@given(
    st.sets(st.text(min_size=1, max_size=6), max_size=40),
    st.integers(0, 10),
    st.text(min_size=1, max_size=20),
    st.randoms(use_true_random=False),
)
def test_draws_are_bijections_independent_of_input_order(
    people: set[str], spare: int, seed: str, shuffler: random.Random
) -> None:
    listed = sorted(people)
    checkin = draw_checkin_numbers(listed, seed)
    assert sorted(checkin.values()) == list(range(1, len(people) + 1))
    assert set(checkin) == people
    shuffled = list(listed)
    shuffler.shuffle(shuffled)
    assert draw_checkin_numbers(shuffled, seed) == checkin

    stations = [f"S{i:03d}" for i in range(len(people) + spare)]
    placed = draw_workstations(checkin.values(), stations, seed)
    assert set(placed) == set(checkin.values())
    assert len(set(placed.values())) == len(placed)
    assert set(placed.values()) <= set(stations)
    shuffler.shuffle(stations)
    assert draw_workstations(reversed(list(checkin.values())), stations, seed) == placed

    revealed = decrypt(placed, checkin)
    assert sorted(revealed.values()) == listed
    assert all(checkin[person] == number for number, station in placed.items() for person in [revealed[station]])

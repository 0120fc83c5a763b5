"""Marking methods, validation, totals and the incremental tally (DESIGN.md "Marking scheme", "Ranking")."""

# pytest asserts; pyproject ignores S101 for tests, this keeps the narrower `--select … S` command clean too.
# ruff: noqa: S101

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from competitions.domain.scoring import (
    Aspect,
    AspectResult,
    MarkEntry,
    MarkingMethod,
    MarkingScheme,
    SkillTally,
    ToleranceBand,
    ToleranceRow,
    compute_results,
    entered_mark,
    full_or_zero_mark,
    mark_error,
    mean_mark,
    overall_total,
    panel_mark,
    round_mark,
    round_total,
    scheme_errors,
    score_aspect,
    spread_divergent,
    tolerance_mark,
    tolerance_table,
    validate_mark,
    validate_theory,
    worldskills_divergent,
    worldskills_mark,
)
from competitions.domain.standings import from_units, to_units, vectorised_standings
from core.errors import RuleBroken
from tests.competitions import schemes

D = Decimal
BANDS = (ToleranceBand(D("0.02"), D(0)), ToleranceBand(D("0.05"), D("0.5")), ToleranceBand(D("0.10"), D(1)))


def ds(*values: str | int) -> list[Decimal]:
    return [D(v) for v in values]


def aspect(method: MarkingMethod, max_mark: str = "10", **kwargs: object) -> Aspect:
    if method is MarkingMethod.TOLERANCE:
        kwargs.setdefault("nominal", D(25))
        kwargs.setdefault("bands", BANDS)
    return Aspect("X1", D(max_mark), method, **kwargs)  # type: ignore[arg-type]


# --- rounding ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.00005", "0.0001"), ("0.00004999", "0.0000"), ("1.23445", "1.2345"), ("2.5", "2.5000")],
)
def test_aspect_marks_round_half_up_to_four_decimals(value: str, expected: str) -> None:
    assert round_mark(D(value)) == D(expected)
    assert str(round_mark(D(value))) == expected


@pytest.mark.parametrize(("value", "expected"), [("80.125", "80.13"), ("80.135", "80.14"), ("80.1249", "80.12")])
def test_totals_round_half_up_to_two_decimals_not_to_even(value: str, expected: str) -> None:
    assert round_total(D(value)) == D(expected)


# --- measurement -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("2", "2"), ("0", "0")])
def test_full_or_zero_gives_the_maximum_or_nothing(value: str, expected: str) -> None:
    assert full_or_zero_mark(D(2), D(value)) == D(expected)
    assert score_aspect(aspect(MarkingMethod.FULL_OR_ZERO, "2"), [D(value)]).mark == D(expected)


def test_full_or_zero_refuses_a_partial_mark() -> None:
    error = mark_error(aspect(MarkingMethod.FULL_OR_ZERO, "2"), D(1))
    assert error is not None and error.code == "mark.not_full_or_zero"
    assert error.params["max"] == D(2)


@pytest.mark.parametrize(
    ("measured", "expected"),
    [
        ("25", "1.5"),  # on nominal
        ("25.02", "1.5"),  # the band edge is inside the band
        ("24.98", "1.5"),  # deviation is absolute
        ("25.03", "1.0"),
        ("24.95", "1.0"),
        ("25.07", "0.5"),
        ("25.10", "0.5"),
        ("25.1001", "0"),  # beyond the last band
        ("-3", "0"),
    ],
)
def test_tolerance_table_deducts_by_band(measured: str, expected: str) -> None:
    assert tolerance_mark(D("1.5"), D(25), BANDS, D(measured)) == D(expected)


def test_tolerance_mark_is_never_below_zero() -> None:
    bands = (ToleranceBand(D("0.1"), D(5)),)
    assert tolerance_mark(D(2), D(0), bands, D("0.05")) == D(0)


def test_tolerance_accepts_any_finite_measurement() -> None:
    assert mark_error(aspect(MarkingMethod.TOLERANCE), D("-1234.56789")) is None


VOLTAGE_BANDS = (ToleranceBand(D("0.2"), D(0)), ToleranceBand(D("0.5"), D(5)), ToleranceBand(D(1), D(15)))


def _voltage() -> Aspect:
    """The demo's 24 V output voltage: max 25, ±0.2 full, ±0.5 costs 5, ±1 costs 15, beyond 0."""
    return Aspect("E3", D(25), MarkingMethod.TOLERANCE, nominal=D(24), bands=VOLTAGE_BANDS)


def test_the_tolerance_table_reads_as_measured_ranges_and_their_marks() -> None:
    assert tolerance_table(_voltage()) == (
        ToleranceRow(D("0.2"), D(0), D(25), D("23.8"), D("24.2")),
        ToleranceRow(D("0.5"), D(5), D(20), D("23.5"), D("24.5")),
        ToleranceRow(D(1), D(15), D(10), D(23), D(25)),
        ToleranceRow(None, None, D(0), None, None),
    )


def test_only_a_tolerance_aspect_has_a_tolerance_table() -> None:
    for method in (MarkingMethod.FULL_OR_ZERO, MarkingMethod.WORLDSKILLS, MarkingMethod.MEAN):
        assert tolerance_table(aspect(method)) == ()


@given(st.decimals(min_value=D(-30), max_value=D(80), places=3, allow_nan=False, allow_infinity=False))
def test_a_measured_value_scores_the_mark_of_the_first_table_line_that_holds_it(measured: Decimal) -> None:
    """The table the page shows and the rule that scores agree for any measured value."""
    rows = tolerance_table(_voltage())
    line = next(r for r in rows if r.low is None or r.high is None or r.low <= measured <= r.high)
    assert tolerance_mark(D(25), D(24), VOLTAGE_BANDS, measured) == line.mark


@pytest.mark.parametrize(
    ("method", "value", "expected"),
    [
        (MarkingMethod.TOLERANCE, "25", "10"),  # issue 10: "full marks" typed as a 24 V measurement scores 10
        (MarkingMethod.TOLERANCE, "24.1", "25"),
        (MarkingMethod.TOLERANCE, "30", "0"),
        (MarkingMethod.FULL_OR_ZERO, "25", "25"),
        (MarkingMethod.FULL_OR_ZERO, "0", "0"),
        (MarkingMethod.WORLDSKILLS, "3", None),  # a judgement's mark needs the panel
        (MarkingMethod.MEAN, "20", None),
    ],
)
def test_the_mark_one_referee_s_value_gives_on_its_own(method: MarkingMethod, value: str, expected: str | None) -> None:
    rule = _voltage() if method is MarkingMethod.TOLERANCE else Aspect("X", D(25), method)
    assert entered_mark(rule, D(value)) == (None if expected is None else D(expected))


# --- WorldSkills judgement ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "max_mark", "expected", "divergent"),
    [
        (("3", "3", "3"), "2", "2.0000", False),
        (("0", "0", "0"), "2", "0.0000", False),
        (("2", "2", "1"), "1.5", "0.8333", False),  # 5/9 × 1.5 = 0.83333…
        (("1", "2", "2"), "1", "0.5556", False),  # 5/9 = 0.5555… rounds up
        (("1", "2", "3"), "3", "2.0000", True),  # max − min = 2 > 1
        (("0", "1", "1"), "3", "0.6667", False),  # max − min = 1 is not divergent
        (("3", "0", "3"), "0.5", "0.3333", True),
    ],
)
def test_worldskills_mark_is_sum_over_nine_times_max(
    scores: tuple[str, ...], max_mark: str, expected: str, divergent: bool
) -> None:
    values = ds(*scores)
    assert worldskills_mark(D(max_mark), values) == D(expected)
    assert worldskills_divergent(values) is divergent
    result = score_aspect(aspect(MarkingMethod.WORLDSKILLS, max_mark), values)
    assert (result.mark, result.divergent) == (D(expected), divergent)


@pytest.mark.parametrize("value", [D(4), D(-1), D("1.5"), D("NaN"), 7])
def test_worldskills_scores_other_than_0_to_3_are_refused(value: Decimal | int) -> None:
    error = mark_error(aspect(MarkingMethod.WORLDSKILLS, "3"), value)
    assert error is not None
    assert error.code in {"mark.judgement_score_invalid", "mark.not_a_number"}
    if error.code == "mark.judgement_score_invalid":
        assert error.params["allowed"] == "0, 1, 2, 3"
        with pytest.raises(RuleBroken) as raised:
            validate_mark(aspect(MarkingMethod.WORLDSKILLS, "3"), value)
        assert raised.value.code == "mark.judgement_score_invalid"


def test_worldskills_accepts_an_integral_decimal() -> None:
    assert validate_mark(aspect(MarkingMethod.WORLDSKILLS, "3"), D("2.0")) == 2


# --- panel and mean ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        (("7", "8", "9", "6", "10"), "8.0000"),  # drop 10 and 6
        (("5", "5", "5", "5", "5"), "5.0000"),
        (("10", "10", "0", "0", "5"), "5.0000"),  # only one of each tied extreme is dropped
        (("1", "1", "1", "2", "2"), "1.3333"),
        (("2", "2", "2", "1", "1"), "1.6667"),
        (("7.25", "7.5", "8", "6", "9.75"), "7.5833"),
    ],
)
def test_panel_drops_one_highest_and_one_lowest(scores: tuple[str, ...], expected: str) -> None:
    assert panel_mark(ds(*scores)) == D(expected)
    assert score_aspect(aspect(MarkingMethod.PANEL, referees=5), ds(*scores)).mark == D(expected)


def test_panel_with_three_referees_keeps_the_median() -> None:
    assert score_aspect(aspect(MarkingMethod.PANEL, referees=3), ds("2", "9", "4")).mark == D(4)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [(("7", "8", "9"), "8.0000"), (("1", "1", "2"), "1.3333"), (("0.01", "0", "0", "0", "0", "0", "0", "0"), "0.0013")],
)
def test_plain_mean_rounds_half_up(scores: tuple[str, ...], expected: str) -> None:
    # 0.01 / 8 = 0.00125: half up gives 0.0013 where banker's rounding would give 0.0012.
    assert mean_mark(ds(*scores)) == D(expected)
    assert score_aspect(aspect(MarkingMethod.MEAN, referees=len(scores)), ds(*scores)).mark == D(expected)


@pytest.mark.parametrize(
    ("scores", "threshold", "divergent"),
    [
        (("5", "6", "7", "7", "7"), D("0.20"), False),  # spread 2 = 20% of 10: not above
        (("5", "6", "7", "7", "7.01"), D("0.20"), True),
        (("5", "5", "5", "5", "6.01"), D("0.10"), True),
        (("0", "10", "5", "5", "5"), None, False),  # switched off
    ],
)
def test_panel_and_mean_diverge_above_the_threshold_of_the_maximum(
    scores: tuple[str, ...], threshold: Decimal | None, divergent: bool
) -> None:
    # The spread counts the raw marks, including the two the panel drops.
    assert spread_divergent(ds(*scores), D(10), threshold) is divergent
    for method in (MarkingMethod.PANEL, MarkingMethod.MEAN):
        result = score_aspect(aspect(method, referees=5, divergence_threshold=threshold), ds(*scores))
        assert result.divergent is divergent


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (D("-0.01"), "mark.out_of_range"),
        (D("10.01"), "mark.out_of_range"),
        (D("1.234"), "mark.too_many_decimals"),
        (D("NaN"), "mark.not_a_number"),
        (D("Infinity"), "mark.not_a_number"),
        (1.5, "mark.not_a_number"),
        (True, "mark.not_a_number"),
    ],
)
def test_judgement_marks_outside_the_aspect_are_refused_with_a_code(value: object, code: str) -> None:
    for method in (MarkingMethod.PANEL, MarkingMethod.MEAN):
        error = mark_error(aspect(method), value)  # type: ignore[arg-type]
        assert error is not None and error.code == code


def test_out_of_range_error_carries_parameters_for_translation() -> None:
    error = mark_error(aspect(MarkingMethod.PANEL), D(11))
    assert error is not None
    assert error.params == {"aspect": "X1", "value": D(11), "max": D(10), "min": D(0)}
    assert error.default_message == "Mark 11 is outside 0..10."
    assert error.message == "分数 11 超出 0–10 的范围。"


@pytest.mark.parametrize("value", [D(0), D(10), D("9.50"), D("1.2500"), 3])
def test_judgement_marks_inside_the_aspect_are_accepted(value: Decimal | int) -> None:
    assert mark_error(aspect(MarkingMethod.PANEL), value) is None


# --- aspect sets and configuration -------------------------------------------------------------------------------


def test_an_incomplete_score_set_has_no_mark_yet() -> None:
    result = score_aspect(aspect(MarkingMethod.WORLDSKILLS, "3"), ds("0", "3"))
    assert result == AspectResult("X1", None, False, 2)


def test_more_scores_than_referees_are_refused() -> None:
    with pytest.raises(RuleBroken) as raised:
        score_aspect(aspect(MarkingMethod.WORLDSKILLS, "3"), ds("1", "1", "1", "1"))
    assert raised.value.code == "mark.too_many_referees"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"method": MarkingMethod.PANEL, "max_mark": D(0)}, "scheme.max_mark_invalid"),
        ({"method": MarkingMethod.PANEL, "max_mark": D("1.00001")}, "scheme.max_mark_invalid"),
        ({"method": MarkingMethod.WORLDSKILLS, "referees": 5}, "scheme.referee_count_invalid"),
        ({"method": MarkingMethod.PANEL, "referees": 2}, "scheme.referee_count_invalid"),
        ({"method": MarkingMethod.FULL_OR_ZERO, "referees": 2}, "scheme.referee_count_invalid"),
        ({"method": MarkingMethod.TOLERANCE, "bands": BANDS}, "scheme.tolerance_table_invalid"),
        ({"method": MarkingMethod.TOLERANCE, "nominal": D(1)}, "scheme.tolerance_table_invalid"),
        (
            {"method": MarkingMethod.TOLERANCE, "nominal": D(1), "bands": tuple(reversed(BANDS))},
            "scheme.tolerance_table_invalid",
        ),
        ({"method": MarkingMethod.PANEL, "divergence_threshold": D("1.5")}, "scheme.divergence_threshold_invalid"),
    ],
)
def test_inconsistent_aspects_are_refused(kwargs: dict[str, object], code: str) -> None:
    kwargs.setdefault("max_mark", D(10))
    with pytest.raises(RuleBroken) as raised:
        Aspect("X1", **kwargs)  # type: ignore[arg-type]
    assert raised.value.code == code


def test_referee_counts_default_by_method() -> None:
    assert [aspect(m).referee_count for m in MarkingMethod] == [1, 1, 3, 5, 3]


def test_scheme_refuses_duplicate_aspects_and_bad_theory_weights() -> None:
    one = aspect(MarkingMethod.PANEL)
    with pytest.raises(RuleBroken, match="X1 重复"):
        MarkingScheme((one, one))
    for weight in (D(0), D(1), D("0.12345")):
        with pytest.raises(RuleBroken) as raised:
            MarkingScheme((one,), theory_weight=weight)
        assert raised.value.code == "scheme.theory_weight_invalid"


def test_scheme_must_total_100_before_publication() -> None:
    assert [e.code for e in scheme_errors(MarkingScheme((aspect(MarkingMethod.PANEL),)))] == [
        "scheme.practical_max_not_100"
    ]
    full = MarkingScheme((Aspect("A", D(60), MarkingMethod.PANEL), Aspect("B", D(40), MarkingMethod.MEAN)))
    assert scheme_errors(full) == []


def test_unknown_aspect_is_a_domain_error() -> None:
    with pytest.raises(RuleBroken) as raised:
        MarkingScheme((aspect(MarkingMethod.PANEL),)).aspect("nope")
    assert raised.value.code == "mark.unknown_aspect"


# --- totals ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("practical", "theory", "weight", "expected"),
    [
        ("80.1234", None, None, "80.12"),
        ("80.1250", None, None, "80.13"),
        ("80.1234", "90", "0.3", "83.09"),  # 27 + 56.08638
        ("80", None, "0.3", "56.00"),  # a missing theory score counts as 0
        ("100", "100", "0.25", "100.00"),
        ("70.005", "70.005", "0.2", "70.01"),  # 14.001 + 56.004 = 70.005 → half up
    ],
)
def test_overall_total_weights_theory_and_rounds_to_two_decimals(
    practical: str, theory: str | None, weight: str | None, expected: str
) -> None:
    result = overall_total(D(practical), None if theory is None else D(theory), None if weight is None else D(weight))
    assert result == D(expected)
    assert str(result) == expected


@pytest.mark.parametrize("value", [D("-0.5"), D("100.01"), D("50.00001")])
def test_theory_scores_outside_0_to_100_are_refused(value: Decimal) -> None:
    with pytest.raises(RuleBroken) as raised:
        validate_theory(value)
    assert raised.value.code == "theory.out_of_range"


QUARTER = D("0.25")


def small_scheme(theory_weight: Decimal | None = QUARTER) -> MarkingScheme:
    return MarkingScheme(
        (
            Aspect("F", D(10), MarkingMethod.FULL_OR_ZERO, module="A"),
            Aspect("T", D(15), MarkingMethod.TOLERANCE, module="A", nominal=D(25), bands=BANDS),
            Aspect("W", D(20), MarkingMethod.WORLDSKILLS, module="B"),
            Aspect("P", D(30), MarkingMethod.PANEL, module="B"),
            Aspect("M", D(25), MarkingMethod.MEAN, module="C", divergence_threshold=None),
        ),
        theory_weight=theory_weight,
    )


def test_compute_results_scores_each_method_and_sums_modules() -> None:
    marks = [
        MarkEntry("c1", "F", "r1", D(10)),
        MarkEntry("c1", "T", "r1", D("25.04")),  # 15 − 0.5
        *(MarkEntry("c1", "W", f"r{i}", D(v)) for i, v in enumerate("320")),  # 5/9 × 20 = 11.1111, divergent
        *(MarkEntry("c1", "P", f"r{i}", D(v)) for i, v in enumerate(["20", "25", "30", "10", "22"])),  # 22.3333
        *(MarkEntry("c1", "M", f"r{i}", D(v)) for i, v in enumerate(["20", "21"])),  # incomplete
    ]
    result = compute_results(small_scheme(), marks, {"c1": D(80)}, contestant_ids=["c2"])
    c1 = result["c1"]
    assert [a.mark for a in c1.aspects] == [D(10), D("14.5"), D("11.1111"), D("22.3333"), None]
    assert c1.module_scores == (D("24.5"), D("33.4444"), D(0))
    assert c1.practical == D("57.9444")
    assert c1.total == D("63.46")  # 20 + 43.4583 = 63.4583
    assert c1.divergent_aspects == ("W", "P")  # P: spread 20 > 20% of 30
    assert not c1.complete
    assert result["c2"].total == 0 and result["c2"].theory is None


def test_compute_results_refuses_duplicates_and_theory_without_a_theory_part() -> None:
    mark = MarkEntry("c1", "F", "r1", D(10))
    with pytest.raises(RuleBroken) as raised:
        compute_results(small_scheme(), [mark, mark])
    assert raised.value.code == "mark.duplicate"
    with pytest.raises(RuleBroken) as raised:
        compute_results(small_scheme(None), [mark], {"c1": D(50)})
    assert raised.value.code == "theory.not_in_scheme"


# --- the incremental tally ---------------------------------------------------------------------------------------


def test_tally_updates_an_aspect_and_the_totals_when_a_mark_changes() -> None:
    tally = SkillTally(small_scheme())
    for referee, value in zip(("r1", "r2", "r3"), (3, 3, 3), strict=True):
        tally.record("c1", "W", referee, value)
    assert tally.aspect("c1", "W").mark == D(20)
    assert tally.practical("c1") == D(20)
    tally.record("c1", "W", "r2", 0)  # a correction by the same referee replaces the value
    assert tally.aspect("c1", "W") == AspectResult("W", D("13.3333"), True, 3)
    assert tally.result("c1").divergent_aspects == ("W",)
    tally.withdraw("c1", "W", "r2")
    assert tally.aspect("c1", "W").mark is None
    assert tally.practical("c1") == 0
    assert tally.result("c1").divergent_aspects == ()
    tally.set_theory("c1", D(60))
    assert tally.total("c1") == D("15.00")


def test_tally_refuses_a_fourth_worldskills_referee_and_bad_values() -> None:
    tally = SkillTally(small_scheme())
    for referee in ("r1", "r2", "r3"):
        tally.record("c1", "W", referee, 2)
    with pytest.raises(RuleBroken) as raised:
        tally.record("c1", "W", "r4", 2)
    assert raised.value.code == "mark.too_many_referees"
    with pytest.raises(RuleBroken) as raised:
        tally.record("c1", "W", "r1", 5)
    assert raised.value.code == "mark.judgement_score_invalid"
    assert tally.aspect("c1", "W").mark == D("13.3333")


def test_tally_refuses_theory_when_the_skill_has_none() -> None:
    with pytest.raises(RuleBroken) as raised:
        SkillTally(small_scheme(None)).set_theory("c1", D(50))
    assert raised.value.code == "theory.not_in_scheme"


SCHEME = small_scheme()
CONTESTANTS = ("c1", "c2", "c3")
REFEREES = ("r1", "r2", "r3", "r4", "r5", "r6")


def _value_for(code: str) -> st.SearchStrategy[Decimal]:
    method = SCHEME.aspect(code).method
    cents = st.integers(0, int(SCHEME.aspect(code).max_mark * 100)).map(lambda n: D(n).scaleb(-2))
    return {
        MarkingMethod.FULL_OR_ZERO: st.sampled_from([D(0), D(10)]),
        MarkingMethod.TOLERANCE: st.integers(2480, 2520).map(lambda n: D(n).scaleb(-2)),
        MarkingMethod.WORLDSKILLS: st.integers(0, 3).map(D),
        MarkingMethod.PANEL: cents,
        MarkingMethod.MEAN: cents,
    }[method]


record_ops = st.sampled_from([a.code for a in SCHEME.aspects]).flatmap(
    lambda code: st.tuples(
        st.just("record"), st.sampled_from(CONTESTANTS), st.just(code), st.sampled_from(REFEREES), _value_for(code)
    )
)
withdraw_ops = st.tuples(
    st.just("withdraw"),
    st.sampled_from(CONTESTANTS),
    st.sampled_from([a.code for a in SCHEME.aspects]),
    st.sampled_from(REFEREES),
    st.none(),
)
theory_ops = st.tuples(
    st.just("theory"),
    st.sampled_from(CONTESTANTS),
    st.none(),
    st.none(),
    st.one_of(st.none(), st.integers(0, 10000).map(lambda n: D(n).scaleb(-2))),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(record_ops, record_ops, withdraw_ops, theory_ops), max_size=80))
def test_incremental_tally_equals_full_recomputation(
    ops: list[tuple[str, str, str | None, str | None, object]],
) -> None:
    tally = SkillTally(SCHEME)
    stored: dict[tuple[str, str], dict[str, Decimal]] = {}
    theory: dict[str, Decimal] = {}
    for kind, contestant, code, referee, value in ops:
        if kind == "record":
            assert code is not None and referee is not None and isinstance(value, Decimal)
            scores = stored.setdefault((contestant, code), {})
            if referee not in scores and len(scores) >= SCHEME.aspect(code).referee_count:
                with pytest.raises(RuleBroken):
                    tally.record(contestant, code, referee, value)
                continue
            scores[referee] = value
            tally.record(contestant, code, referee, value)
        elif kind == "withdraw":
            assert code is not None and referee is not None
            stored.get((contestant, code), {}).pop(referee, None)
            tally.withdraw(contestant, code, referee)
        else:
            assert value is None or isinstance(value, Decimal)
            tally.set_theory(contestant, value)
            if value is None:
                theory.pop(contestant, None)
            else:
                theory[contestant] = value
    marks = [MarkEntry(c, a, r, v) for (c, a), scores in stored.items() for r, v in scores.items()]
    expected = compute_results(SCHEME, marks, theory, contestant_ids=tally.contestants)
    assert tally.results() == expected
    for result in expected.values():
        assert result.practical == sum((a.mark for a in result.aspects if a.mark is not None), D(0))
        assert D(0) <= result.total <= D(100)


# --- the vectorised path (competitions.domain.standings) gives the same results ---------------------------------


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("scheme_name", ["panels", "every_method", "every_method_no_theory"])
def test_vectorised_standings_equal_the_pure_functions(seed: int, scheme_name: str) -> None:
    import numpy as np

    scheme = schemes.panels_scheme() if scheme_name == "panels" else schemes.every_method_scheme(
        theory=scheme_name == "every_method")
    if scheme_name == "every_method_no_theory":
        # Also exercise a switched-off threshold and the no-theory total.
        aspects = tuple(
            Aspect(a.code, a.max_mark, a.method, a.module, a.referees, a.nominal, a.bands, None)
            if a.method is MarkingMethod.MEAN else a
            for a in scheme.aspects
        )
        scheme = MarkingScheme(aspects, theory_weight=scheme.theory_weight)
    rng = np.random.default_rng(seed)
    contestants = 9
    values = schemes.random_marks(scheme, contestants, rng)
    # Edge values: full marks, zeros, and measurements exactly on band edges.
    values[0] = 0
    for index, item in enumerate(scheme.aspects):
        if item.method is MarkingMethod.WORLDSKILLS:
            values[1, index, :3] = 30000
        elif item.method is MarkingMethod.TOLERANCE:
            values[1, index, 0] = to_units(item.nominal + item.bands[seed % len(item.bands)].tolerance)
            values[0, index, 0] = to_units(item.nominal - item.bands[-1].tolerance - D("0.0001"))
        else:
            values[1, index, : item.referee_count] = to_units(item.max_mark)
    theory_units = None if scheme.theory_weight is None else rng.integers(0, 1_000_001, contestants)
    ids = [f"c{i}" for i in range(contestants)]
    vector = vectorised_standings(scheme, values, theory_units)
    theory = {} if theory_units is None else {ids[i]: from_units(int(t)) for i, t in enumerate(theory_units)}
    pure = compute_results(scheme, schemes.mark_entries(scheme, ids, values), theory)
    _assert_vector_equals_pure(vector, pure, ids)


def _assert_vector_equals_pure(vector: Any, pure: Any, ids: list[str]) -> None:
    """Every contestant's aspect marks, divergence, module scores, practical part and total, vectorised as the
    pure Decimal functions give them."""
    for i, contestant in enumerate(ids):
        result = pure[contestant]
        assert [a.mark for a in result.aspects] == [from_units(int(m)) for m in vector.marks[i]]
        assert [a.divergent for a in result.aspects] == vector.divergent[i].tolist()
        assert result.module_scores == tuple(from_units(int(m)) for m in vector.modules[i])
        assert result.practical == from_units(int(vector.practical[i]))
        assert result.total == from_units(int(vector.total_cents[i]), 2)


# --- the stats path: marks aggregated per (entry, aspect), as the database returns them, give the same results -----


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    contestants=st.integers(1, 7),
    scheme_name=st.sampled_from(["panels", "every_method", "every_method_no_theory"]),
)
def test_standings_from_aggregated_marks_equal_the_pure_functions(seed: int, contestants: int,
                                                                  scheme_name: str) -> None:
    """`standings_from_stats` over (count, sum, lowest, highest) rows in any order, exactly as the pure Decimal
    functions score every mark: aspect marks to 4 decimals, totals half up to 2, divergence."""
    import numpy as np

    from competitions.domain.standings import gather_stats, is_complete, standings_from_stats

    scheme = schemes.panels_scheme() if scheme_name == "panels" else schemes.every_method_scheme(
        theory=scheme_name == "every_method")
    rng = np.random.default_rng(seed)
    values = schemes.random_marks(scheme, contestants, rng)
    # The database's rows: one per (entry, aspect), in an arbitrary order.
    rows = [(c, a, item.referee_count, int(values[c, a, :item.referee_count].sum()),
             int(values[c, a, :item.referee_count].min()), int(values[c, a, :item.referee_count].max()))
            for c in range(contestants) for a, item in enumerate(scheme.aspects)]
    flat = np.array(rows, dtype=np.int64)[rng.permutation(len(rows))]
    stats = gather_stats(flat[:, 0], flat[:, 1], flat[:, 2], flat[:, 3], flat[:, 4], flat[:, 5],
                         (contestants, len(scheme.aspects)))
    assert is_complete(scheme, stats)
    theory_units = None if scheme.theory_weight is None else rng.integers(0, 1_000_001, contestants)
    vector = standings_from_stats(scheme, stats, theory_units)
    ids = [f"c{i}" for i in range(contestants)]
    theory = {} if theory_units is None else {ids[i]: from_units(int(t)) for i, t in enumerate(theory_units)}
    pure = compute_results(scheme, schemes.mark_entries(scheme, ids, values), theory)
    _assert_vector_equals_pure(vector, pure, ids)


def test_a_missing_or_extra_value_makes_the_stats_incomplete() -> None:
    import numpy as np

    from competitions.domain.standings import is_complete, stats_of

    scheme = schemes.panels_scheme()
    stats = stats_of(scheme, schemes.random_marks(scheme, 2, np.random.default_rng(1)))
    assert is_complete(scheme, stats)
    stats.count[1, 7] -= 1
    assert not is_complete(scheme, stats)
    stats.count[1, 7] += 2
    assert not is_complete(scheme, stats)

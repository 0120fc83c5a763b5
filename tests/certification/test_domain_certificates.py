"""Who may get a certificate and the status moves (certification.domain.certificates)."""

from __future__ import annotations

import pytest

from certification.domain.certificates import (
    STATUS_MOVES,
    Move,
    Status,
    appointment_refusal,
    batch_refusal,
    move,
    number_kind,
    promotion_refusal,
    reason_refusal,
)
from certification.domain.numbering import NumberKind
from core.errors import Conflict, RuleBroken


@pytest.mark.parametrize(("status", "action", "after"), [
    (Status.VALID, Move.REVOKE, Status.REVOKED),
    (Status.VALID, Move.SUPERSEDE, Status.SUPERSEDED),
])
def test_a_valid_certificate_is_revoked_or_superseded(status: Status, action: Move, after: Status) -> None:
    assert move(status, action) is after


@pytest.mark.parametrize("status", [Status.REVOKED, Status.SUPERSEDED])
@pytest.mark.parametrize("action", list(Move))
def test_revoked_and_superseded_are_final(status: Status, action: Move) -> None:
    with pytest.raises(Conflict):
        move(status, action)


def test_the_moves_table_only_leaves_valid() -> None:
    assert {s for s, _m in STATUS_MOVES} == {Status.VALID}


@pytest.mark.parametrize(("kwargs", "code"), [
    ({"results_published": True, "passed": True}, None),
    ({"results_published": False, "passed": True}, "certificate.results_not_published"),
    ({"results_published": True, "passed": None}, "certificate.outcome_pending"),
    ({"results_published": True, "passed": False, "failed_parts": ("理论知识考试",)}, "certificate.not_passed"),
    ({"results_published": True, "passed": True, "issued_number": "S000037000123264000001"},
     "certificate.already_issued"),
])
def test_batch_refusals(kwargs: dict[str, object], code: str | None) -> None:
    refusal = batch_refusal(**kwargs)  # type: ignore[arg-type]
    assert (refusal.code if refusal else None) == code


def test_a_failed_candidate_is_told_each_failing_part() -> None:
    refusal = batch_refusal(results_published=True, passed=False, failed_parts=("理论知识考试", "操作技能考核"))
    assert isinstance(refusal, RuleBroken)
    assert "理论知识考试、操作技能考核" in refusal.message


def test_promotion_and_appointment_refusals() -> None:
    assert promotion_refusal(is_promotion=True, withdrawn=False) is None
    assert promotion_refusal(is_promotion=False, withdrawn=False).code == "certificate.not_promoted"  # type: ignore[union-attr]
    assert promotion_refusal(is_promotion=True, withdrawn=True).code == "certificate.not_promoted"  # type: ignore[union-attr]
    assert promotion_refusal(is_promotion=True, withdrawn=False, issued_number="x").code == \
        "certificate.already_issued"  # type: ignore[union-attr]
    assert appointment_refusal(never_held=False) is None
    assert appointment_refusal(never_held=True).code == "certificate.not_appointed"  # type: ignore[union-attr]


def test_number_kind_follows_the_evaluation_kind() -> None:
    assert number_kind("enterprise") is NumberKind.ENTERPRISE
    assert number_kind("social") is NumberKind.SOCIAL


def test_a_reason_is_required() -> None:
    assert reason_refusal("  ").code == "certificate.reason_required"  # type: ignore[union-attr]
    assert reason_refusal("遗失") is None

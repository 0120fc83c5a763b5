"""Who may get a certificate, and the moves of a certificate's status (DESIGN.md "Certification" → "Certificates";
issue 13 items 1 and 7).

**Sources.** A certificate comes from exactly one of:
- a batch result (职业技能等级认定): the candidate's registration in a batch whose results are published, with an
  outcome of passed (certification.domain.results: every required part ≥ 60). Refused while the results are not
  published (graded or in review: the 公示 may still correct them), for a candidate who failed (every failing part
  named) or whose outcome is still pending;
- a competition promotion (竞赛晋级): a standing held level of source competition_promotion. Refused for a level
  of another source, or one withdrawn (its published result was corrected);
- an appointment (评聘 of 特级技师/首席技师): the enterprise's letter, level 1 with the title. Refused for an
  appointment ended on its first day (never held).
Each source gives one certificate: a second is refused "already issued" whatever the first's status (a revoked
certificate is a decision, not a gap to fill; a lost or changed one is re-issued, which keeps the source).

**Status** (`Status`, one table of moves `STATUS_MOVES`): valid (有效) → revoked (已撤销, with a reason) or
superseded (已换发, by a re-issue that points to its successor). Revoked and superseded are final: a revoked
certificate is not re-issued (the holder gets a new one only through a new source), a superseded one is replaced
by its successor, which is the one to revoke or re-issue again.

**Re-issue kinds**: 补证 (`lost`: the holder lost it; the facts are unchanged) and 换证 (`changed`: a fact on its
face changed, e.g. the holder's name after a correction of the real-name record). Both take a new number: the old
number stays in the records and verifies as superseded, pointing to the new one, so a found "lost" certificate can
never circulate as valid beside its replacement.

**Number kind**: `Y` for an enterprise's own evaluation (Batch.evaluation_kind enterprise) and for an
enterprise's appointment letter; `S` for a social evaluation body and for a promotion issued by the organizer (the
province's competition office is not an enterprise evaluating its own staff).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from certification.domain.numbering import NumberKind
from core.errors import Conflict, RuleBroken


class Status(StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class Move(StrEnum):
    REVOKE = "revoke"
    SUPERSEDE = "supersede"


STATUS_MOVES: Mapping[tuple[Status, Move], Status] = {
    (Status.VALID, Move.REVOKE): Status.REVOKED,
    (Status.VALID, Move.SUPERSEDE): Status.SUPERSEDED,
}


class ReissueKind(StrEnum):
    LOST = "lost"  # 补证
    CHANGED = "changed"  # 换证


class SourceKind(StrEnum):
    REGISTRATION = "registration"  # 批次成绩
    PROMOTION = "promotion"  # 竞赛晋级
    APPOINTMENT = "appointment"  # 评聘


def move(status: Status, action: Move) -> Status:
    """The status after `action`, or Conflict naming the status that does not allow it."""
    target = STATUS_MOVES.get((status, action))
    if target is None:
        raise Conflict(f"certificate.cannot_{action.value}", {"status": status.value},
                       "This certificate is {status} and cannot be changed so.")
    return target


def number_kind(evaluation_kind: str) -> NumberKind:
    """Y for an enterprise's own evaluation, S for a social body (module docstring)."""
    return NumberKind.ENTERPRISE if evaluation_kind == "enterprise" else NumberKind.SOCIAL


def already_issued(number: str) -> Conflict:
    return Conflict("certificate.already_issued", {"number": number},
                    "A certificate was already issued for this: {number}.")


def batch_refusal(*, results_published: bool, passed: bool | None, failed_parts: tuple[str, ...] = (),
                  issued_number: str | None = None) -> RuleBroken | Conflict | None:
    """Why a batch candidate gets no certificate, or None (module docstring: results published, passed, once)."""
    if issued_number is not None:
        return already_issued(issued_number)
    if not results_published:
        return Conflict("certificate.results_not_published", {}, "The batch's results are not published.")
    if passed is None:
        return RuleBroken("certificate.outcome_pending", {}, "The candidate's outcome is not settled.")
    if not passed:
        return RuleBroken("certificate.not_passed", {"parts": "、".join(failed_parts)},
                          "The candidate did not pass: {parts}.")
    return None


def promotion_refusal(*, is_promotion: bool, withdrawn: bool,
                      issued_number: str | None = None) -> RuleBroken | Conflict | None:
    """Why a held level gets no promotion certificate, or None."""
    if issued_number is not None:
        return already_issued(issued_number)
    if not is_promotion or withdrawn:
        return RuleBroken("certificate.not_promoted", {}, "This is not a standing competition promotion.")
    return None


def appointment_refusal(*, never_held: bool, issued_number: str | None = None) -> RuleBroken | Conflict | None:
    """Why an appointment gets no letter, or None."""
    if issued_number is not None:
        return already_issued(issued_number)
    if never_held:
        return RuleBroken("certificate.not_appointed", {}, "This appointment was ended before it was held.")
    return None


def no_real_name() -> RuleBroken:
    """A certificate carries the holder's real name (实名): an account without one gets none."""
    return RuleBroken("certificate.no_real_name", {}, "The holder has no real name on record.")


def reason_refusal(reason: str) -> RuleBroken | None:
    """A revocation or re-issue always says why."""
    if not reason.strip():
        return RuleBroken("certificate.reason_required", {}, "Give the reason.")
    return None


# Status lists (certcrypto publishes them as W3C Bitstring Status Lists): each certificate takes a random free
# index in the current list; a new list is opened once the current one is half full, so a random pick finds a free
# index in at most a few tries (each try succeeds with probability ≥ 1/2) and the index says nothing of the issue
# order.
STATUS_LIST_SIZE = 131_072
STATUS_LIST_FILL = STATUS_LIST_SIZE // 2


def list_full(used: int) -> bool:
    return used >= STATUS_LIST_FILL

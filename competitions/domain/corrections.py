"""Who may request and who may decide a correction of a signed-off mark (DESIGN.md "Corrections after sign-off":
two people for every correction).

Rule: the referee who entered the mark, or a chief referee of the skill on their behalf, requests it with a reason;
a chief referee of the skill other than the requester decides it (approves or rejects); where the requester is the
skill's only chief referee, the organizer's supervisor (监督) decides it instead.

Choices where DESIGN.md leaves room (each is tested):

- Rejecting is deciding too, so it also needs someone other than the requester: a requester who changed their mind
  asks the decider to reject, and the refusal is recorded like any decision.
- A supervisor decides only what no second chief referee could: a request made by a skill's only chief referee.
  Requests of referees, and of a chief where another chief exists, stay with the chief referees, so the supervisor
  is not a shortcut around the jury.
- A referee who is also a chief of the skill (both roles) counts as a chief: the requester still may not decide.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass

from core.errors import RuleBroken


@dataclass(frozen=True, slots=True)
class CorrectionRequest:
    """A pending correction as the rule sees it: who entered the mark and who asked to change it."""

    mark_referee_id: Hashable
    requested_by_id: Hashable


def request_refusal(requester_id: Hashable, mark_referee_id: Hashable,
                    chief_ids: Collection[Hashable]) -> RuleBroken | None:
    """Why `requester_id` may not ask to correct a mark entered by `mark_referee_id`, or None."""
    if requester_id == mark_referee_id or requester_id in chief_ids:
        return None
    return RuleBroken("correction.not_requester", {},
                      "Only the referee who entered the mark, or the chief referee, may request its correction.")


def decision_refusal(decider_id: Hashable, request: CorrectionRequest, chief_ids: Collection[Hashable], *,
                     supervisor: bool) -> RuleBroken | None:
    """Why `decider_id` may not approve or reject this request, or None. `chief_ids`: the skill's chief referees;
    `supervisor`: the decider is a supervisor (监督) of the event's organizer."""
    if decider_id == request.requested_by_id:
        return RuleBroken("correction.own_request", {}, "A correction is decided by someone other than its requester.")
    if decider_id in chief_ids:
        return None
    others = [c for c in chief_ids if c != request.requested_by_id]
    if supervisor and request.requested_by_id in chief_ids and not others:
        return None
    if supervisor:
        return RuleBroken("correction.for_chiefs", {},
                          "The chief referees decide this correction; the supervisor decides only what the skill's "
                          "only chief referee requested.")
    return RuleBroken("correction.not_decider", {}, "Only a chief referee or the supervisor may decide corrections.")

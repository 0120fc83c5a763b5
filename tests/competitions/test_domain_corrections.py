"""Two people for every correction (competitions.domain.corrections; DESIGN.md "Corrections after sign-off")."""

from __future__ import annotations

from competitions.domain.corrections import CorrectionRequest, decision_refusal, request_refusal

CHIEF, OTHER_CHIEF, REFEREE, SUPERVISOR, STRANGER = "chief", "chief2", "referee", "supervisor", "stranger"


def _code(refusal: object) -> str | None:
    return getattr(refusal, "code", None)


def test_the_marks_referee_or_a_chief_requests_and_nobody_else() -> None:
    assert request_refusal(REFEREE, REFEREE, {CHIEF}) is None
    assert request_refusal(CHIEF, REFEREE, {CHIEF}) is None
    assert _code(request_refusal(STRANGER, REFEREE, {CHIEF})) == "correction.not_requester"
    assert _code(request_refusal("another referee", REFEREE, {CHIEF})) == "correction.not_requester"


def test_nobody_decides_their_own_request() -> None:
    by_chief = CorrectionRequest(REFEREE, CHIEF)
    assert _code(decision_refusal(CHIEF, by_chief, {CHIEF, OTHER_CHIEF}, supervisor=False)) == "correction.own_request"
    assert _code(decision_refusal(REFEREE, CorrectionRequest(REFEREE, REFEREE), {CHIEF},
                                  supervisor=False)) == "correction.own_request"
    # Not even a chief who is also the supervisor of the organizer.
    assert _code(decision_refusal(CHIEF, by_chief, {CHIEF}, supervisor=True)) == "correction.own_request"


def test_a_chief_decides_a_referees_request_and_another_chief_a_chiefs() -> None:
    assert decision_refusal(CHIEF, CorrectionRequest(REFEREE, REFEREE), {CHIEF}, supervisor=False) is None
    assert decision_refusal(OTHER_CHIEF, CorrectionRequest(REFEREE, CHIEF), {CHIEF, OTHER_CHIEF},
                            supervisor=False) is None


def test_the_supervisor_decides_only_what_the_only_chief_requested() -> None:
    assert decision_refusal(SUPERVISOR, CorrectionRequest(REFEREE, CHIEF), {CHIEF}, supervisor=True) is None
    assert _code(decision_refusal(SUPERVISOR, CorrectionRequest(REFEREE, REFEREE), {CHIEF},
                                  supervisor=True)) == "correction.for_chiefs"
    assert _code(decision_refusal(SUPERVISOR, CorrectionRequest(REFEREE, CHIEF), {CHIEF, OTHER_CHIEF},
                                  supervisor=True)) == "correction.for_chiefs"
    assert _code(decision_refusal(STRANGER, CorrectionRequest(REFEREE, CHIEF), {CHIEF},
                                  supervisor=False)) == "correction.not_decider"

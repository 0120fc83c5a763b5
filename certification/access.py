"""Access to certification's objects: each function loads one object, checks the caller's right through
`accounts.permissions` (certification.permissions), and locks it when asked (DESIGN.md "Layout": access.py). The
API, the pages and the services call these; nobody else looks these objects up and checks rights by hand.

- `require_catalogue_view(user)`: anyone signed in (and scripts); 401/403 otherwise.
- `require_catalogue_manage(user)`: the platform admin (and scripts); 403 otherwise.
- `access_occupation(user, occupation_id, *, manage=False, lock=False)` → the occupation: 404 when missing; the
  right to read (or, with `manage`, to edit) the catalogue; `lock` locks its row (inside the caller's transaction).
- `access_person_levels(user, person_id)` → the person whose levels the caller reads: 404 for an unknown person or
  one of a unit the caller does not see (the engine's NotFound), 403 when seen but not allowed.
- `access_person_for_recording(user, person_id)` → the person to whom the caller records a level by hand.
- `access_held_level_for_withdrawal(user, held_id, *, lock=False)` → a level recorded by hand, to withdraw.
- `access_person_for_eligibility(user, person_id)` → the person whose eligibility the caller checks: the right to
  check, then the right to read the person's levels (the explanation shows them).
- `access_bank(user, occupation_id, level, *, manage=False)` → the `BankRef` of one occupation and level: 404 for
  an unknown occupation or a level it is not certified at; `BANK_VIEW` (counts, blueprint) or `BANK_MANAGE`.
- `access_question(user, question_id, *, lock=False)` → a question, with `BANK_MANAGE` (its text and answers).
- `access_paper(user, paper_id)` → a stored paper, with `BANK_MANAGE` (it shows the questions and answers).
- `access_enterprise_appointments(user, unit_id, *, manage=False)` → the unit whose appointments the caller reads
  (`APPOINTMENT_VIEW`) or records (`APPOINTMENT_MANAGE`): 404 for an unknown unit or one the caller does not see.
- `access_appointment(user, appointment_id, *, manage=False, lock=False)` → one appointment (with its evidence):
  404 when missing or of an enterprise the caller has no role in (even when the person is their member too).
- `access_person_for_appointment(user, enterprise, person_id)` → the person to appoint: 404 for a person the
  caller may not see (the rule then asks whether they are the enterprise's member).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accounts.models import Organization, User
from accounts.permissions import can, require
from certification.models import Appointment, HeldLevel, Occupation, OccupationLevel, Paper, Question
from certification.permissions import Action
from core.errors import PermissionDenied
from core.lookup import get_or_404


def require_catalogue_view(user: Any) -> None:
    require(user, Action.CATALOGUE_VIEW)


def require_catalogue_manage(user: Any) -> None:
    require(user, Action.CATALOGUE_MANAGE)


def access_occupation(user: Any, occupation_id: int, *, manage: bool = False, lock: bool = False) -> Occupation:
    require(user, Action.CATALOGUE_MANAGE if manage else Action.CATALOGUE_VIEW)
    queryset = Occupation.objects.select_for_update() if lock else Occupation.objects.all()
    return get_or_404(queryset, pk=occupation_id)


def _person(person_id: int) -> User:
    return get_or_404(User.objects.filter(is_active=True).prefetch_related("memberships"), pk=person_id)


def access_person_levels(user: Any, person_id: int) -> User:
    person = _person(person_id)
    require(user, Action.LEVEL_VIEW, person)
    return person


def access_person_for_recording(user: Any, person_id: int) -> User:
    person = _person(person_id)
    require(user, Action.LEVEL_RECORD, person)
    return person


def access_held_level_for_withdrawal(user: Any, held_id: int, *, lock: bool = False) -> HeldLevel:
    queryset = HeldLevel.objects.select_related("occupation", "person")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    held = get_or_404(queryset, pk=held_id)
    require(user, Action.LEVEL_RECORD, held.person)
    return held


def access_person_for_eligibility(user: Any, person_id: int) -> User:
    require(user, Action.ELIGIBILITY_CHECK)
    person = _person(person_id)
    require(user, Action.LEVEL_VIEW, person)
    return person


@dataclass(frozen=True, slots=True)
class BankRef:
    """The bank of one occupation and level (a bank has no row of its own: certification.models)."""

    occupation: Occupation
    level: int


def require_bank_view(user: Any) -> None:
    require(user, Action.BANK_VIEW)


def require_bank_manage(user: Any) -> None:
    require(user, Action.BANK_MANAGE)


def access_bank(user: Any, occupation_id: int, level: int, *, manage: bool = False) -> BankRef:
    require(user, Action.BANK_MANAGE if manage else Action.BANK_VIEW)
    found = get_or_404(OccupationLevel.objects.select_related("occupation"), occupation_id=occupation_id,
                       level=level)
    return BankRef(found.occupation, found.level)


def access_question(user: Any, question_id: int, *, lock: bool = False) -> Question:
    require(user, Action.BANK_MANAGE)
    queryset = Question.objects.select_related("occupation")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    return get_or_404(queryset, pk=question_id)


def access_paper(user: Any, paper_id: int) -> Paper:
    require(user, Action.BANK_MANAGE)
    return get_or_404(Paper.objects.select_related("occupation"), pk=paper_id)


def access_enterprise_appointments(user: Any, unit_id: int, *, manage: bool = False) -> Organization:
    unit = get_or_404(Organization.objects.all(), pk=unit_id)
    require(user, Action.APPOINTMENT_VIEW, unit)  # 404 for a unit the caller does not see; 403 below for a reader
    if manage and not can(user, Action.APPOINTMENT_MANAGE, unit):
        raise PermissionDenied()
    return unit


def access_appointment(user: Any, appointment_id: int, *, manage: bool = False, lock: bool = False) -> Appointment:
    queryset = Appointment.objects.select_related("person", "occupation", "enterprise")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    appointment = get_or_404(queryset, pk=appointment_id)
    require(user, Action.APPOINTMENT_VIEW, appointment)  # 404 across enterprises
    if manage and not can(user, Action.APPOINTMENT_MANAGE, appointment):
        # The person and organizer staff read it (so 403, not 404), but only the enterprise's HR manages it.
        raise PermissionDenied()
    return appointment


def access_person_for_appointment(user: Any, person_id: int) -> User:
    person = _person(person_id)
    require(user, Action.LEVEL_VIEW, person)
    return person

"""Eligibility (申报条件): the explanation of whether a person may apply for an occupation's level, every path and
condition in words (the same selector as the page)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from accounts.auth import signed_in_user
from certification import access, selectors
from certification.api.schemas import EligibilityIn
from certification.domain.ladder import SkillLevel
from core.schemas import errors

router = Router()


@router.post("/eligibility", response={200: selectors.EligibilityView, **errors(404)},
             summary="申报条件核查：每条申报条件及其各项是否满足 Explain eligibility")
def eligibility_check(request: HttpRequest, payload: EligibilityIn) -> selectors.EligibilityView:
    user = signed_in_user(request)
    person = access.access_person_for_eligibility(user, payload.person_id)
    occupation = access.access_occupation(user, payload.occupation_id)
    return selectors.eligibility_explanation(
        person=person, occupation=occupation, level=SkillLevel(payload.level), on=payload.on or timezone.localdate(),
        facts=selectors.Facts(years_in_trade=payload.years_in_trade,
                              apprenticeship_finished=payload.apprenticeship_finished, school=payload.school,
                              education=payload.education),
    )

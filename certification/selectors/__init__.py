"""Certification's reads shared by pages, API and exports (DESIGN.md "Layout": selectors/), one module per subject:
catalogue, levels (the one `held_level` selector), eligibility, bank, appointments."""

from certification.selectors.appointments import (
    AppointmentCandidate,
    AppointmentView,
    appointment_candidates,
    appointment_view,
    enterprise_appointments,
    person_appointments,
)
from certification.selectors.catalogue import (
    OccupationDetail,
    OccupationPage,
    OccupationView,
    RungView,
    ladder,
    occupation_choices,
    occupation_detail,
    occupation_page,
    occupations_all,
)
from certification.selectors.eligibility import EligibilityView, Facts, eligibility_explanation
from certification.selectors.levels import (
    HeldLevelView,
    PersonLevels,
    held_level,
    held_levels,
    held_rung,
    held_titles,
    person_levels,
)

__all__ = [
    "AppointmentCandidate", "AppointmentView", "appointment_candidates", "appointment_view",
    "enterprise_appointments", "held_rung", "held_titles", "person_appointments",
    "EligibilityView", "Facts", "HeldLevelView", "OccupationDetail", "OccupationPage", "OccupationView",
    "PersonLevels", "RungView", "eligibility_explanation", "held_level", "held_levels", "ladder",
    "occupation_choices", "occupation_detail", "occupation_page", "occupations_all", "person_levels",
]

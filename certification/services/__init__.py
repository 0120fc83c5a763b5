"""Certification's writes (DESIGN.md "Layout": services/), one module per subject: catalogue, levels, bank,
appointments. Every write validates, runs the pure domain function, saves in one transaction
and writes its audit entry."""

from certification.services.appointments import Term, appointment_end, appointment_record, appointment_renew
from certification.services.bank import (
    BankImportSummary,
    blueprint_set,
    new_seed,
    paper_assemble,
    question_create,
    question_retire,
    question_revise,
    questions_import,
)
from certification.services.catalogue import (
    ImportSummary,
    OccupationData,
    catalogue_import,
    occupation_create,
    occupation_rule_set,
    occupation_update,
)
from certification.services.levels import (
    PromotionRecord,
    competition_promotions_sync,
    held_level_record,
    held_level_withdraw,
)

__all__ = [
    "Term", "appointment_end", "appointment_record", "appointment_renew",
    "BankImportSummary", "blueprint_set", "new_seed", "paper_assemble", "question_create", "question_retire",
    "question_revise", "questions_import",
    "ImportSummary", "OccupationData", "PromotionRecord", "catalogue_import", "competition_promotions_sync",
    "held_level_record", "held_level_withdraw", "occupation_create", "occupation_rule_set", "occupation_update",
]

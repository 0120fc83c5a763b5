"""Writes of the occupation catalogue (issue 12 item 1): an occupation created or edited by hand, the catalogue
imported from Excel, an eligibility rule changed. Every write asks `Action.CATALOGUE_MANAGE` and is audited.

Choices where DESIGN.md is silent (tested in tests/certification/test_services_catalogue.py):
- the code is the occupation's identity: an import row whose code exists updates that occupation's name, levels and
  definition; an occupation is never deleted by an import (a file listing fewer occupations leaves the others);
- re-importing the same file changes nothing and writes no audit entry (idempotent); one summary entry
  `certification.catalogue.imported` names what was created and updated, beside one entry per changed occupation;
- a level added to an occupation gets DESIGN.md's default eligibility rule (certification.domain.eligibility); a
  level kept keeps its rule (a standard's own rule, set with `occupation_rule_set`, survives a re-import); a level
  dropped from the list is removed with its rule (the levels people hold are kept: they reference the occupation,
  not the level row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from accounts.actors import Actor
from audit.services import audit_record
from certification import access
from certification.domain import catalogue, eligibility
from certification.domain.ladder import SkillLevel
from certification.excel.sheets import CATALOGUE
from certification.models import Occupation, OccupationLevel
from core.errors import FieldError, ImportFailed, RowError, RuleBroken, ValidationFailed
from core.excel import check_unique, read_rows


@dataclass(frozen=True, slots=True)
class OccupationData:
    code: str
    name: str
    levels: tuple[SkillLevel, ...]
    description: str = ""


@dataclass(frozen=True, slots=True)
class ImportSummary:
    created: list[str]
    updated: list[str]
    unchanged: int


def _state(occupation: Occupation) -> dict[str, Any]:
    return {"code": occupation.code, "name": occupation.name, "description": occupation.description,
            "levels": sorted((v.level for v in occupation.levels.all()), reverse=True)}


def _set_levels(occupation: Occupation, levels: Sequence[SkillLevel]) -> None:
    wanted = {int(level) for level in levels}
    existing = {v.level for v in occupation.levels.all()}
    OccupationLevel.objects.filter(occupation=occupation).exclude(level__in=wanted).delete()
    OccupationLevel.objects.bulk_create([
        OccupationLevel(occupation=occupation, level=level,
                        eligibility=eligibility.rule_to_data(eligibility.default_rule(SkillLevel(level))))
        for level in sorted(wanted - existing, reverse=True)
    ])


def _errors(data: OccupationData) -> tuple[catalogue.OccupationCode | None, list[FieldError]]:
    errors = []
    parsed = None
    try:
        parsed = catalogue.parse_occupation_code(data.code)
    except RuleBroken as exc:
        errors.append(FieldError("code", exc.code, exc.params))
    if not data.name.strip():
        errors.append(FieldError("name", "field.required", label="职业名称"))
    if not data.levels:
        errors.append(FieldError("levels", "catalogue.no_levels"))
    return parsed, errors


def _write(occupation: Occupation | None, parsed: catalogue.OccupationCode, data: OccupationData) -> tuple[
        Occupation, dict[str, Any] | None, dict[str, Any]]:
    """Create or update one occupation; (occupation, old state or None when created, new state)."""
    before = None
    if occupation is None:
        occupation = Occupation(code=parsed.code)
    else:
        before = _state(occupation)
    occupation.name, occupation.description = data.name.strip(), data.description.strip()
    occupation.major_code, occupation.middle_code, occupation.minor_code = parsed.major, parsed.middle, parsed.minor
    occupation.save()
    _set_levels(occupation, data.levels)
    occupation = Occupation.objects.prefetch_related("levels").get(pk=occupation.pk)
    return occupation, before, _state(occupation)


def _changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after[k]]
    return {k: before[k] for k in changed}, {k: after[k] for k in changed}


@transaction.atomic(durable=True)
def occupation_create(*, actor: Actor, data: OccupationData) -> Occupation:
    """Add an occupation to the catalogue, with its levels and their default eligibility rules."""
    access.require_catalogue_manage(actor)
    parsed, errors = _errors(data)
    if parsed is not None and Occupation.objects.filter(code=parsed.code).exists():
        errors.append(FieldError("code", "catalogue.code_taken", {"code": parsed.code}))
    if errors or parsed is None:
        raise ValidationFailed(errors)
    occupation, _before, after = _write(None, parsed, data)
    audit_record(actor=actor, action="certification.occupation.created", target=occupation, new=after)
    return occupation


@transaction.atomic(durable=True)
def occupation_update(*, actor: Actor, occupation_id: int, data: OccupationData) -> Occupation:
    """Change an occupation's name, levels or definition (its code is its identity and does not change)."""
    occupation = access.access_occupation(actor, occupation_id, manage=True, lock=True)
    parsed, errors = _errors(OccupationData(occupation.code, data.name, data.levels, data.description))
    if errors or parsed is None:
        raise ValidationFailed(errors)
    occupation, before, after = _write(Occupation.objects.prefetch_related("levels").get(pk=occupation.pk),
                                       parsed, data)
    assert before is not None  # noqa: S101 - an update always has a state before
    old, new = _changes(before, after)
    if new:
        audit_record(actor=actor, action="certification.occupation.updated", target=occupation, old=old, new=new)
    return occupation


@transaction.atomic(durable=True)
def occupation_rule_set(*, actor: Actor, occupation_id: int, level: SkillLevel,
                        rule: eligibility.Rule) -> OccupationLevel:
    """Replace the eligibility rule of one level of an occupation (a standard that differs from the defaults)."""
    occupation = access.access_occupation(actor, occupation_id, manage=True, lock=True)
    stored = OccupationLevel.objects.filter(occupation=occupation, level=int(level)).first()
    if stored is None:
        raise ValidationFailed([FieldError("level", "eligibility.level_not_offered", {
            "occupation": occupation.name, "level": catalogue.level_label(level)})])
    old, new = stored.eligibility, eligibility.rule_to_data(rule)
    if old != new:
        stored.eligibility = new
        stored.save(update_fields=["eligibility"])
        audit_record(actor=actor, action="certification.eligibility.rule_set", target=occupation,
                     old={"level": int(level), "rule": old}, new={"level": int(level), "rule": new})
    return stored


@transaction.atomic(durable=True)
def catalogue_import(*, actor: Actor, data: bytes) -> ImportSummary:
    """Import the catalogue from Excel (module docstring): every bad cell named by sheet, row and column in one pass,
    nothing saved unless every row is good; re-importing the same file changes nothing."""
    access.require_catalogue_manage(actor)
    # Every row whose code parsed takes part in the check for repeats, even one with another bad cell.
    rows, errors = read_rows(data, CATALOGUE, partial=True)
    errors += check_unique([{**r, "code": r["code"].code} for r in rows if r["code"] is not None], CATALOGUE, "code")
    good = [r for r in rows if not r["_bad"]]
    if errors:
        raise ImportFailed(sorted(errors, key=_error_order))
    existing = {o.code: o for o in Occupation.objects.select_for_update()
                .filter(code__in=[r["code"].code for r in good]).prefetch_related("levels")}
    created, updated, unchanged = [], [], 0
    for row in good:
        parsed: catalogue.OccupationCode = row["code"]
        item = OccupationData(parsed.code, row["name"], row["levels"], row["description"] or "")
        found = existing.get(parsed.code)
        if found is not None and _state(found) == {"code": parsed.code, "name": item.name.strip(),
                                                   "description": item.description.strip(),
                                                   "levels": sorted((int(v) for v in item.levels), reverse=True)}:
            unchanged += 1
            continue
        occupation, before, after = _write(found, parsed, item)
        if before is None:
            created.append(parsed.code)
            audit_record(actor=actor, action="certification.occupation.created", target=occupation, new=after)
        else:
            updated.append(parsed.code)
            old, new = _changes(before, after)
            audit_record(actor=actor, action="certification.occupation.updated", target=occupation, old=old,
                         new=new)
    if created or updated:
        audit_record(actor=actor, action="certification.catalogue.imported", target=("certification.catalogue", 0),
                     new={"created": created, "updated": updated, "unchanged": unchanged})
    return ImportSummary(created=created, updated=updated, unchanged=unchanged)


def _error_order(error: RowError) -> tuple[int, int]:
    """Bad cells in the order people read the sheet: by row, then by column."""
    headers = [c.header for c in CATALOGUE.columns]
    return error.row, headers.index(error.column) if error.column in headers else -1

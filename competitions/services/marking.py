"""Marking schemes, marks, sign-off and corrections (DESIGN.md "Marking scheme", "Data flow of one mark";
issue 4 items 4–5).

`mark_record` is the hot path: one referee's value for one aspect of one entry, addressed by 工位号 and aspect code,
for the API and the marking page alike. Inside its one transaction it reads the aspect together with whether the
idempotency key was used (a retry is answered with the stored mark, nothing checked or written again), then asks
`competitions.access.access_entry_for_marking(..., lock=True)`, which locks the entry's row and its sheet of the
module, so two referees of one panel scoring the same contestant at the same moment cannot both compute their
delta from the same old scores, nor a sign-off lock the sheet between the check and the write; the same call
returns the panel's marks as they stand under the lock. It then checks, in this order, the idempotency key again
(a retry that raced its first attempt waited on the lock), the entry (approved, not withdrawn), the skill
(marking), the sheet (not signed off) and the value (competitions.domain.scoring.validate_mark); then it writes
the mark and its revision, moves the entry's cached totals (its module score, practical and total: one row) by
the aspect's delta, appends the audit entry naming the old and new value and the board's delta row
(competitions.services.stream), and after commit wakes this process's sequencer. Its first statement reads the
aspect, the idempotency check and the locked entry with its sheet together (`access.locate_for_marking`), which is
what pays for the delta row within the budget of 10 queries.
Its query budget is held by tests/competitions/test_mark_path.py.

Sign-off and the corrections are handed the object's id and call their access function themselves, inside their
transaction, with the lock (access.py: the one order of locks). After the chief referee signs a module's sheet
off, only `correction_request` + `correction_approve` change its marks; before that, a referee simply records a
new value (each kept as a `MarkRevision`).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from accounts.permissions import require
from audit.services import audit_record
from competitions import access
from competitions.adapters import domain_aspect
from competitions.domain import corrections, scoring
from competitions.live import publish_on_commit
from competitions.models import (
    JUDGEMENT_METHODS,
    Aspect,
    CorrectionStatus,
    Entry,
    EntryStatus,
    Mark,
    MarkCorrection,
    MarkingMethod,
    MarkingScheme,
    MarkRevision,
    Module,
    Sheet,
    SheetStatus,
    Skill,
    Status,
)
from competitions.permissions import Action
from competitions.selectors.marking import MarkView, aspect_for_mark, mark_replay, sheet_state
from competitions.services.results import published_results_correct
from competitions.services.standings import standings_check_sign_off
from competitions.services.stream import delta_append, wake_on_commit
from core import sql
from core.errors import Conflict, DomainError, FieldError, NotFound, PermissionDenied, RuleBroken, ValidationFailed

# --- schemes ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AspectData:
    code: str
    max_mark: Decimal
    method: MarkingMethod
    description: str = ""
    nominal: Decimal | None = None
    bands: tuple[tuple[Decimal, Decimal], ...] = ()
    referee_count: int | None = None
    divergence_threshold: Decimal | None = Decimal("0.20")


@dataclass(frozen=True, slots=True)
class ModuleData:
    code: str
    name: str
    aspects: tuple[AspectData, ...] = field(default_factory=tuple)


def scheme_data_problems(modules: Sequence[ModuleData], theory_weight: Decimal | None) -> list[RuleBroken]:
    """Every reason the scheme cannot be used: each aspect's own rules, duplicates, and the practical total 100."""
    problems: list[RuleBroken] = []
    built: list[scoring.Aspect] = []
    for module in modules:
        for a in module.aspects:
            try:
                built.append(scoring.Aspect(
                    code=a.code, max_mark=a.max_mark, method=scoring.MarkingMethod(a.method), module=module.code,
                    referees=a.referee_count, nominal=a.nominal,
                    bands=tuple(scoring.ToleranceBand(t, d) for t, d in a.bands),
                    divergence_threshold=a.divergence_threshold,
                ))
            except RuleBroken as exc:
                problems.append(exc)
    if problems:
        return problems
    try:
        scheme = scoring.MarkingScheme(tuple(built), theory_weight=theory_weight)
    except RuleBroken as exc:
        return [exc]
    return scoring.scheme_errors(scheme)


def _scheme_snapshot(scheme: MarkingScheme) -> list[dict[str, object]]:
    return [
        {"module": a.module.code, "code": a.code, "method": a.method, "max_mark": a.max_mark,
         "referee_count": a.referee_count}
        for a in scheme.aspects.select_related("module").order_by("module__position", "position")
    ]


@transaction.atomic(durable=True)
def scheme_save(*, actor: Actor, skill: Skill, modules: Sequence[ModuleData]) -> MarkingScheme:
    """Replace the skill's marking scheme (modules → aspects), refused once frozen; every problem is reported
    (DESIGN.md "Marking scheme": practical part totals 100). Replacing clears aspect-specific referee
    assignments, which name aspects of the old scheme."""
    return _scheme_save(actor=actor, skill=skill, modules=modules)


def _scheme_save(*, actor: Actor, skill: Skill, modules: Sequence[ModuleData]) -> MarkingScheme:
    """`scheme_save` inside a caller's transaction (a scheme import)."""
    skill = Skill.objects.select_for_update(of=("self",)).select_related("event").get(pk=skill.pk)
    require(actor, Action.SCHEME_MANAGE, skill)
    scheme, _created = MarkingScheme.objects.get_or_create(skill=skill)
    if scheme.frozen_at is not None:
        raise Conflict("scheme.frozen", {"frozen_at": timezone.localtime(scheme.frozen_at).strftime("%Y-%m-%d %H:%M")})
    problems = scheme_data_problems(modules, skill.theory_weight)
    if problems:
        raise ValidationFailed([FieldError("modules", p.code, p.params, p.default) for p in problems])
    old = _scheme_snapshot(scheme)
    scheme.aspects.all().delete()
    scheme.modules.all().delete()
    for m_pos, data in enumerate(modules):
        module = Module.objects.create(scheme=scheme, code=data.code, name=data.name, position=m_pos)
        Aspect.objects.bulk_create([
            Aspect(
                module=module, scheme=scheme, code=a.code, description=a.description, method=a.method,
                max_mark=a.max_mark, nominal=a.nominal, bands=[[str(t), str(d)] for t, d in a.bands],
                referee_count=a.referee_count, divergence_threshold=a.divergence_threshold, position=a_pos,
            )
            for a_pos, a in enumerate(data.aspects)
        ])
    audit_record(actor=actor, action="competitions.scheme.saved", target=scheme, old=old,
                 new=_scheme_snapshot(scheme))
    return scheme


def _stored(dom: scoring.Aspect, value: Decimal) -> Decimal:
    """The value as the database keeps it (four decimals); a measured value with more is refused, not rounded."""
    number = scoring.validate_mark(dom, value)
    stored = number.quantize(scoring.MARK_QUANTUM)
    if stored != number:
        raise RuleBroken("mark.too_many_decimals", {"aspect": dom.code, "value": number, "places": 4},
                          "Mark {value} has more than {places} decimals.")
    return stored


# --- marks --------------------------------------------------------------------------------------------------------


def _locked(entry_id: int, module_id: int) -> tuple[Entry, Sheet | None]:
    """The entry and its sheet of the module, both rows locked in one statement (the order of access.py's
    docstring), for a correction; the mark path locks them through `access.access_entry_for_marking`."""
    sheet = (
        Sheet.objects.select_for_update(of=("self", "entry")).select_related("entry")
        .filter(entry_id=entry_id, module_id=module_id).first()
    )
    if sheet is not None:
        return sheet.entry, sheet
    return Entry.objects.select_for_update(of=("self",)).get(pk=entry_id), None


def _apply(
    *, entry: Entry, aspect: Aspect, dom: scoring.Aspect, theory_weight: Decimal | None, referee_id: int,
    value: Decimal, key: UUID, written_by: User, panel: Mapping[int, Mark], correction: MarkCorrection | None = None,
) -> tuple[Mark, Decimal | None, scoring.AspectResult]:
    """Write one value and move the entry's cached totals (its module score, practical and total, one row) by the
    aspect's delta; the entry's row must be locked, so `panel` (the marks of this aspect and entry, read under
    the lock) is what the delta starts from."""
    before = {referee: m.value for referee, m in panel.items()}
    old_value = before.get(referee_id)
    old_result = scoring.score_aspect(dom, list(before.values()))
    new_result = scoring.score_aspect(dom, list({**before, referee_id: value}.values()))
    now = timezone.now()
    mark = panel.get(referee_id)
    # The rows are written through core.sql (statements composed once, as `save()` would write them): on the mark
    # path, composing these three statements with the ORM cost more CPU than the database took to run them.
    if mark is None:
        mark = sql.insert(Mark(entry_id=entry.pk, aspect_id=aspect.pk, referee_id=referee_id, value=value,
                               idempotency_key=key, created_at=now, updated_at=now))
    else:
        mark.value, mark.idempotency_key, mark.updated_at = value, key, now
        sql.update(mark, ["value", "idempotency_key", "updated_at"])
    sql.insert(MarkRevision(mark=mark, value=value, idempotency_key=key, written_by=written_by, written_at=now,
                            via_correction=correction))
    delta = (new_result.mark or Decimal(0)) - (old_result.mark or Decimal(0))
    if delta:
        entry.move_module_score(aspect.module_id, delta)
        entry.total = scoring.overall_total(entry.practical, entry.theory_score, theory_weight)
        sql.update(entry, ["module_scores", "practical", "total"])
    return mark, old_value, new_result


def _panel_marks(entry_id: int, aspect_id: int) -> dict[int, Mark]:
    return {m.referee_id: m for m in Mark.objects.filter(entry_id=entry_id, aspect_id=aspect_id)}


def _entry_figures(entry: Entry, skill: Skill) -> dict[str, object]:
    """The entry's figures as a board shows them, absolute (never an increment: DESIGN.md "Live scoring"), keyed
    by 工位号 within the skill: never the entry's id, which follows the registrations and would join a 工位号 to a
    person before decryption (competitions.selectors.anonymity). The total carries the theory score, recorded by
    name, so it comes only once the skill is decrypted (competitions.selectors.results, "Before decryption")."""
    figures: dict[str, object] = {"workstation_no": entry.workstation_no, "module_scores": dict(entry.module_scores),
                                  "practical": str(entry.practical)}
    if skill.decrypted_at is not None:
        figures["total"] = str(entry.total)
    return figures


def _mark_delta(skill: Skill, entry: Entry, aspect: Aspect, result: scoring.AspectResult,
                panel: Mapping[int, Decimal], *, signed_off: bool) -> None:
    """The board's delta of one aspect's new value (a mark or an approved correction), in the writer's transaction
    (competitions.services.stream): the entry's new totals, the aspect's mark, and the panel's values by referee,
    which competitions.domain.stream keeps from the public until sign-off for judgement aspects."""
    delta_append(event_id=skill.event_id, entry_id=entry.pk, kind="mark", payload={
        "kind": "mark", "skill": skill.pk, **_entry_figures(entry, skill), "aspect": aspect.code,
        "module": aspect.module.code, "aspect_mark": None if result.mark is None else str(result.mark),
        "complete": result.mark is not None, "divergent": result.divergent,
        "judgement": aspect.method in JUDGEMENT_METHODS, "signed_off": signed_off,
        "decrypted": skill.decrypted_at is not None,
        "scores": [{"referee": referee, "value": str(value)} for referee, value in sorted(panel.items())],
    })
    wake_on_commit()


def mark_record(
    *, referee: User, skill_id: int, workstation_no: str, aspect_code: str, value: Decimal, idempotency_key: UUID,
) -> MarkView:
    """Record or change one referee's value for one aspect of one entry, addressed by 工位号 and aspect code
    (module docstring; DESIGN.md "Data flow of one mark"). A retry of a used key answers with the stored mark
    (`replayed`), checked and written no more. A referee refused the mark (recused, another group's workstation,
    not on the panel) is answered with one neutral refusal (`access.MarkRefused`), and the refused attempt is
    audited with its reason, after the mark's transaction rolled back (DESIGN.md "Recusal without a leak")."""
    try:
        return _mark_record(referee=referee, skill_id=skill_id, workstation_no=workstation_no,
                            aspect_code=aspect_code, value=value, idempotency_key=idempotency_key)
    except access.MarkRefused as refused:
        _mark_refusal_record(referee=referee, skill_id=skill_id, workstation_no=workstation_no,
                             aspect_code=aspect_code, refused=refused)
        raise


@transaction.atomic(durable=True)
def _mark_refusal_record(
    *, referee: User, skill_id: int, workstation_no: str, aspect_code: str, refused: access.MarkRefused
) -> None:
    """The audit entry of a refused mark: who tried which 工位号 and aspect, and why it was refused. Its target is
    the skill, never the entry (the entry would join the 工位号 to a registration)."""
    audit_record(actor=referee, action="competitions.mark.refused", target=("competitions.skill", skill_id),
                 new={"aspect": aspect_code, "workstation_no": workstation_no, "refusal": refused.code},
                 reason=refused.reason)


@transaction.atomic(durable=True)
def _mark_record(
    *, referee: User, skill_id: int, workstation_no: str, aspect_code: str, value: Decimal, idempotency_key: UUID,
) -> MarkView:
    """`mark_record` in its one transaction. Its first statement reads the aspect, the idempotency check and the
    locked entry with its sheet together (`access.locate_for_marking`); when one of them is missing, the aspect
    and the check are read alone, as before, so a retry of a used key is answered whatever else changed."""
    located = access.locate_for_marking(skill_id, workstation_no, aspect_code, idempotency_key, lock=True)
    if located is not None:
        aspect: Aspect | None = located.aspect
        key_used = located.key_used
    else:
        aspect, key_used = aspect_for_mark(skill_id=skill_id, aspect_code=aspect_code,
                                           idempotency_key=idempotency_key)
    if key_used:
        replayed = mark_replay(referee=referee, idempotency_key=idempotency_key, skill_id=skill_id,
                               workstation_no=workstation_no, aspect_code=aspect_code)
        if replayed is not None:
            return replayed
    if aspect is None:
        raise NotFound()
    target = access.access_entry_for_marking(referee, skill_id, workstation_no, aspect_code, lock=True,
                                             aspect=aspect, located=located)
    entry, sheet, skill, panel = target.entry, target.sheet, target.entry.skill, target.marks
    mine = panel.get(referee.pk)
    if mine is not None and mine.idempotency_key == idempotency_key:
        # A retry that raced its first attempt waited on the lock above and finds that attempt's mark now.
        return MarkView(mine.pk, entry.workstation_no, aspect.code, mine.value, mine.updated_at, replayed=True)
    if entry.status != EntryStatus.APPROVED:
        raise Conflict("entry.withdrawn")
    if skill.status != Status.MARKING:
        raise Conflict("mark.not_marking")
    if sheet is None or sheet.status != SheetStatus.OPEN:
        raise Conflict("mark.sheet_locked")
    number = _stored(target.scoring_aspect, value)
    mark, old_value, result = _apply(
        entry=entry, aspect=aspect, dom=target.scoring_aspect, theory_weight=skill.theory_weight,
        referee_id=referee.pk, value=number, key=idempotency_key, written_by=referee, panel=panel,
    )
    audit_record(
        actor=referee, action="competitions.mark.recorded", target=mark,
        old=None if old_value is None else {"value": old_value},
        new={"value": number, "aspect": aspect.code, "workstation_no": entry.workstation_no,
             "idempotency_key": idempotency_key},
    )
    _mark_delta(skill, entry, aspect, result, {**{r: m.value for r, m in panel.items()}, referee.pk: number},
                signed_off=False)
    return MarkView(mark.pk, entry.workstation_no, aspect.code, mark.value, mark.updated_at)


# --- sign-off -----------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def sheet_sign_off(*, chief: User, sheet_id: int, confirmations: Mapping[str, str] | None = None) -> Sheet:
    """The chief referee signs one module of one workstation off, locking it (DESIGN.md "Marking scheme").
    Refused while an aspect lacks scores, or diverges without the chief's confirmation with a reason in
    `confirmations` (aspect code → reason)."""
    return _sign_off(chief, access.access_sheet_for_sign_off(chief, sheet_id, lock=True), confirmations)


@dataclass(frozen=True, slots=True)
class BulkSignOff:
    """What a sign-off of several sheets did: the sheets signed, and those left open with the reason (a mark
    changed since the page was shown: an aspect now incomplete or divergent, or signed off meanwhile)."""

    signed: list[Sheet]
    left_open: list[tuple[Sheet, DomainError]]


@transaction.atomic(durable=True)
def sheets_sign_off_clean(*, chief: User, skill_id: int, sheet_ids: Sequence[int]) -> BulkSignOff:
    """Sign off together the sheets the chief referee saw complete and without divergence (the sign-off page's
    "all clean sheets" button sends the ids it showed, so nothing is signed that the chief did not see). Each
    sheet goes through the one sign-off rule; one that no longer qualifies is left open and reported, the others
    are signed. No divergence is confirmed here: a sheet that needs a confirmation is signed alone, with its reason.
    Sheets are locked in id order, so two bulk sign-offs never deadlock; each takes one sheet lock as a single
    sign-off does (the mark path's order: entry, then sheet)."""
    skill = access.access_skill_for_sign_off(chief, skill_id)
    wanted = sorted(set(sheet_ids))
    if not wanted:
        raise ValidationFailed([FieldError("sheet_ids", "sheet.none_selected")])
    sheets = list(Sheet.objects.select_related("entry__skill__event", "module").select_for_update(of=("self",))
                  .filter(pk__in=wanted, entry__skill=skill).order_by("pk"))
    if len(sheets) != len(wanted):
        raise NotFound()
    signed: list[Sheet] = []
    left_open: list[tuple[Sheet, DomainError]] = []
    for sheet in sheets:
        try:
            with transaction.atomic():
                signed.append(_sign_off(chief, sheet, None))
        except Conflict as refused:
            left_open.append((sheet, refused))
    return BulkSignOff(signed, left_open)


def _sign_off(chief: User, sheet: Sheet, confirmations: Mapping[str, str] | None) -> Sheet:
    if sheet.status != SheetStatus.OPEN:
        raise Conflict("sheet.already_signed")
    state = sheet_state(sheet)
    if state.incomplete:
        raise Conflict("sheet.incomplete", {"aspects": "、".join(state.incomplete)})
    confirmed = {**sheet.confirmed_divergences}
    for code, reason in (confirmations or {}).items():
        if code in state.divergent and reason.strip():
            confirmed[code] = {"reason": reason.strip(), "by": chief.pk, "at": timezone.now().isoformat()}
    unconfirmed = [code for code in state.divergent if code not in confirmed]
    if unconfirmed:
        raise Conflict("sheet.divergent", {"aspects": "、".join(unconfirmed)})
    sheet.status = SheetStatus.SIGNED_OFF
    sheet.signed_by, sheet.signed_at = chief, timezone.now()
    sheet.confirmed_divergences = {code: confirmed[code] for code in state.divergent}
    sheet.save(update_fields=["status", "signed_by", "signed_at", "confirmed_divergences"])
    audit_record(
        actor=chief, action="competitions.sheet.signed_off", target=sheet,
        old={"status": SheetStatus.OPEN},
        new={"status": sheet.status, "module": sheet.module.code, "workstation_no": sheet.entry.workstation_no,
             "score": sheet.entry.module_score(sheet.module_id),
             "confirmed_divergences": {c: v["reason"] for c, v in sheet.confirmed_divergences.items()}},
    )
    standings_check_sign_off(actor=chief, sheet=sheet)  # a mismatch is stored and shown, not raised
    publish_on_commit(sheet.entry.skill.event_id, {
        "kind": "sheet.signed_off", "skill": sheet.entry.skill_id, "workstation_no": sheet.entry.workstation_no,
        "module": sheet.module.code,
    })
    skill = sheet.entry.skill
    delta_append(event_id=skill.event_id, entry_id=sheet.entry_id, kind="sheet.signed_off", payload={
        "kind": "sheet.signed_off", "skill": skill.pk, **_entry_figures(sheet.entry, skill),
        "module": sheet.module.code, "signed_off": True, "signed_by": chief.pk,
        "decrypted": skill.decrypted_at is not None,
    })
    wake_on_commit()
    return sheet


# --- corrections --------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def correction_request(*, actor: User, mark_id: int, new_value: Decimal, reason: str) -> MarkCorrection:
    """Ask to change a mark on a signed-off sheet; the mark's referee or the chief referee, with a reason."""
    mark = access.access_mark_for_correction(actor, mark_id)
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "correction.reason_required")])
    sheet = Sheet.objects.get(entry=mark.entry, module_id=mark.aspect.module_id)
    if sheet.status != SheetStatus.SIGNED_OFF:
        raise Conflict("sheet.not_signed")
    number = _stored(domain_aspect(mark.aspect), new_value)
    if number == mark.value:
        raise ValidationFailed([FieldError("new_value", "correction.same_value")])
    correction = MarkCorrection.objects.create(
        mark=mark, old_value=mark.value, new_value=number, reason=reason.strip(), requested_by=actor
    )
    audit_record(actor=actor, action="competitions.correction.requested", target=correction,
                 old={"value": mark.value}, new={"value": number, "mark": mark.pk}, reason=correction.reason)
    return correction


def _pending(decider: User, correction_id: int) -> MarkCorrection:
    """The pending correction, locked, when `decider` may decide it: someone other than its requester
    (competitions.domain.corrections)."""
    correction = access.access_correction_for_decision(decider, correction_id, lock=True)
    if correction.status != CorrectionStatus.PENDING:
        raise Conflict("correction.not_pending")
    skill = correction.mark.entry.skill
    refusal = corrections.decision_refusal(
        decider.pk, corrections.CorrectionRequest(correction.mark.referee_id, correction.requested_by_id),
        access.chief_ids_of(skill), supervisor=access.may_supervise(decider, skill),
    )
    if refusal is not None:
        raise PermissionDenied(refusal.code, refusal.params)
    return correction


@transaction.atomic(durable=True)
def correction_approve(*, chief: User, correction_id: int, reason: str = "") -> MarkCorrection:
    """The chief referee approves a correction: the mark takes the new value (totals follow), audited with the
    old and new value; the sheet stays signed off. A published skill gets a new version of its published results
    (competitions.services.results.published_results_correct)."""
    correction = _pending(chief, correction_id)
    mark, aspect, skill = correction.mark, correction.mark.aspect, correction.mark.entry.skill
    entry, sheet = _locked(mark.entry_id, aspect.module_id)
    if sheet is None:
        raise Conflict("sheet.not_signed")
    old_value = mark.value
    mark, _old, result = _apply(
        entry=entry, aspect=aspect, dom=domain_aspect(aspect), theory_weight=skill.theory_weight,
        referee_id=mark.referee_id, value=correction.new_value, key=uuid.uuid4(), written_by=chief,
        panel=_panel_marks(entry.pk, aspect.pk), correction=correction,
    )
    correction.status, correction.decided_by, correction.decided_at = CorrectionStatus.APPROVED, chief, timezone.now()
    correction.decision_reason = reason
    correction.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(actor=chief, action="competitions.mark.corrected", target=mark, old={"value": old_value},
                 new={"value": mark.value, "correction": correction.pk}, reason=correction.reason)
    audit_record(actor=chief, action="competitions.correction.approved", target=correction,
                 old={"status": CorrectionStatus.PENDING}, new={"status": correction.status}, reason=reason)
    # Published results change only here, as a new audited version (competitions.services.results).
    published_results_correct(actor=chief, skill_id=skill.pk, correction=correction)
    panel = {r: m.value for r, m in _panel_marks(entry.pk, aspect.pk).items()}
    _mark_delta(skill, entry, aspect, result, panel, signed_off=True)
    return correction


@transaction.atomic(durable=True)
def correction_reject(*, chief: User, correction_id: int, reason: str) -> MarkCorrection:
    """The chief referee refuses a correction, with a reason; the mark keeps its value."""
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "correction.reason_required")])
    correction = _pending(chief, correction_id)
    correction.status, correction.decided_by, correction.decided_at = CorrectionStatus.REJECTED, chief, timezone.now()
    correction.decision_reason = reason.strip()
    correction.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(actor=chief, action="competitions.correction.rejected", target=correction,
                 old={"status": CorrectionStatus.PENDING}, new={"status": correction.status}, reason=reason)
    return correction

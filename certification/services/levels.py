"""Writes of people's levels (issue 12 item 2): a level recorded by hand with its evidence (a certificate issued
before the platform), withdrawn by hand, and the competition promotions of a published skill recorded here.

**Competition promotions** (`competition_promotions_sync`, called by competitions inside its publication's and its
corrections' transactions; certification never imports competitions, so the caller hands over plain records and
the source objects): each promotion of a published result becomes a held level with source "竞赛晋级", pointing at
the published entry, obtained on the publication day. The call names every source of the skill (every ranked
entry), so it is a reconciliation, not an append:
- a promotion already recorded for the same person, source and level is left alone: publishing again records
  nothing twice (also guarded by a partial unique constraint on the standing row per person and source);
- a published result corrected later (DESIGN.md "Corrections after sign-off"; competitions stores the next version
  of the published results) moves its promotions with it. Real practice: the promotion is an administrative
  consequence of the published result (the 人社 department confirms promotions from the published list), so when
  the list is officially corrected, a promotion it no longer supports is withdrawn (never deleted: the row stays
  with the correction's reason and time, and `held_level` stops counting it) and one it now supports is recorded,
  obtained on the correction's day; an unchanged promotion keeps its original date;
- every record and withdrawal is audited (`certification.promotion.recorded` / `.withdrawn`), with the actor of
  the publication or correction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.actors import Actor
from accounts.models import User
from accounts.permissions import require
from audit.services import audit_record
from certification import access
from certification.domain.ladder import SkillLevel
from certification.models import Appointment, HeldLevel, Occupation, SourceKind
from certification.permissions import Action
from certification.signals import certificates_changed_on_commit
from core.errors import Conflict, FieldError, ValidationFailed


def _snapshot(h: HeldLevel) -> dict[str, object]:
    return {"person": h.person_id, "occupation": h.occupation_id, "level": h.level, "source_kind": h.source_kind,
            "source": None if h.source_id is None else f"{h.source_type.app_label}.{h.source_type.model}:{h.source_id}"
            if h.source_type else None,
            "source_label": h.source_label, "evidence": h.evidence, "obtained_on": h.obtained_on,
            **({"title": h.title, "held_until": h.held_until} if h.title else {})}


@transaction.atomic(durable=True)
def held_level_record(*, actor: Actor, person_id: int, occupation_id: int, level: SkillLevel, obtained_on: date,
                      evidence: str) -> HeldLevel:
    """Record by hand a level a person holds (a certificate issued before the platform), with the evidence it rests
    on (certificate number, issuing body); audited. Refused without evidence or with a date in the future."""
    person = access.access_person_for_recording(actor, person_id)
    occupation = access.access_occupation(actor, occupation_id)
    errors = []
    if not evidence.strip():
        errors.append(FieldError("evidence", "held_level.evidence_required"))
    if obtained_on > timezone.localdate():
        errors.append(FieldError("obtained_on", "held_level.future_date"))
    if errors:
        raise ValidationFailed(errors)
    held = HeldLevel.objects.create(
        person=person, occupation=occupation, level=int(level), source_kind=SourceKind.CERTIFICATE,
        evidence=evidence.strip(), obtained_on=obtained_on, recorded_by=actor if isinstance(actor, User) else None,
        recorded_at=timezone.now(),
    )
    audit_record(actor=actor, action="certification.level.recorded", target=held, new=_snapshot(held))
    certificates_changed_on_commit([held.person_id])
    return held


@transaction.atomic(durable=True)
def held_level_withdraw(*, actor: User, held_id: int, reason: str) -> HeldLevel:
    """Withdraw a level recorded by hand (recorded by mistake, a certificate found void), with a reason; the row
    stays, `held_level` no longer counts it. Promotions move only with their published results (module docstring)."""
    held = access.access_held_level_for_withdrawal(actor, held_id, lock=True)
    if held.source_kind in (SourceKind.PROMOTION, SourceKind.APPOINTMENT):
        raise Conflict("held_level.not_by_hand")
    if held.withdrawn_at is not None:
        raise Conflict("held_level.already_withdrawn")
    if not reason.strip():
        raise ValidationFailed([FieldError("reason", "held_level.reason_required")])
    held.withdrawn_at, held.withdrawn_reason = timezone.now(), reason.strip()
    held.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    audit_record(actor=actor, action="certification.level.withdrawn", target=held,
                 old={"withdrawn_at": None}, new={"withdrawn_at": held.withdrawn_at}, reason=held.withdrawn_reason)
    certificates_changed_on_commit([held.person_id])
    return held


@dataclass(frozen=True, slots=True)
class PromotionRecord:
    """One promotion of a published result: who, in which occupation, to which level, from which source."""

    person_id: int
    level: SkillLevel
    source: models.Model
    label: str  # the result in words: 第二届…大赛 焊工（职工组）第 1 名


def competition_promotions_sync(*, actor: Actor, occupation_id: int, sources: Sequence[models.Model],
                                promotions: Sequence[PromotionRecord], obtained_on: date,
                                reason: str = "") -> list[HeldLevel]:
    """Reconcile the promotions recorded for `sources` (every published entry of a skill) with `promotions` (module
    docstring): record what is missing, withdraw what is no longer supported, leave the rest. Runs inside the
    caller's transaction (publication or correction); returns the levels recorded now."""
    if not connection.in_atomic_block:
        raise RuntimeError("competition_promotions_sync runs inside the publication's transaction")
    require(actor, Action.PROMOTION_RECORD)
    occupation = Occupation.objects.get(pk=occupation_id)
    by_type: dict[int, ContentType] = {}
    keys: set[tuple[int, int]] = set()
    for source in sources:
        content_type = ContentType.objects.get_for_model(source)
        by_type[content_type.pk] = content_type
        keys.add((content_type.pk, int(source.pk)))
    wanted: dict[tuple[int, int, int], PromotionRecord] = {}
    for p in promotions:
        content_type = ContentType.objects.get_for_model(p.source)
        wanted[(p.person_id, content_type.pk, int(p.source.pk))] = p
    # Two publications of one skill cannot run at once (the skill's row is locked by its transition), so the
    # standing rows read here are the ones to reconcile.
    standing = list(HeldLevel.objects.select_for_update().filter(
        source_kind=SourceKind.PROMOTION, withdrawn_at__isnull=True,
        source_type_id__in=list(by_type), source_id__in=[key[1] for key in keys],
    ).select_related("source_type"))
    now = timezone.now()
    kept: set[tuple[int, int, int]] = set()
    for held in standing:
        assert held.source_type_id is not None and held.source_id is not None  # noqa: S101 - a promotion's source
        if (held.source_type_id, held.source_id) not in keys:
            continue
        key = (held.person_id, held.source_type_id, held.source_id)
        promotion = wanted.get(key)
        if promotion is not None and int(promotion.level) == held.level and held.occupation_id == occupation.pk:
            kept.add(key)
            continue
        held.withdrawn_at = now
        held.withdrawn_reason = reason or "公布成绩已更正"
        held.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        audit_record(actor=actor, action="certification.promotion.withdrawn", target=held,
                     old={"withdrawn_at": None, "level": held.level}, new={"withdrawn_at": now}, reason=reason)
    recorded = []
    for key, promotion in wanted.items():
        if key in kept:
            continue
        held = HeldLevel.objects.create(
            person_id=promotion.person_id, occupation=occupation, level=int(promotion.level),
            source_kind=SourceKind.PROMOTION, source_type=by_type.get(key[1])
            or ContentType.objects.get_for_model(promotion.source), source_id=key[2], source_label=promotion.label,
            obtained_on=obtained_on, recorded_by=actor if isinstance(actor, User) else None, recorded_at=now,
        )
        audit_record(actor=actor, action="certification.promotion.recorded", target=held, new=_snapshot(held),
                     reason=reason)
        recorded.append(held)
    return recorded


def appointment_level_record(*, actor: Actor, appointment: Appointment) -> HeldLevel:
    """The level an appointment gives (DESIGN.md "A person's levels": source "评聘"): the title, resting on 一级,
    held from the term's start to its end. Runs inside the appointment's transaction (its service checked the
    right and the rule); audited as a recorded level."""
    if not connection.in_atomic_block:
        raise RuntimeError("appointment_level_record runs inside the appointment's transaction")
    held = HeldLevel.objects.create(
        person_id=appointment.person_id, occupation_id=appointment.occupation_id, level=int(SkillLevel.ONE),
        source_kind=SourceKind.APPOINTMENT, source_type=ContentType.objects.get_for_model(Appointment),
        source_id=appointment.pk, title=appointment.title, held_until=appointment.term_end,
        source_label=f"{appointment.enterprise.name} {appointment.document_no}",
        obtained_on=appointment.term_start, recorded_by=actor if isinstance(actor, User) else None,
        recorded_at=timezone.now(),
    )
    audit_record(actor=actor, action="certification.level.recorded", target=held, new=_snapshot(held))
    certificates_changed_on_commit([held.person_id])
    return held


def appointment_level_end(*, actor: Actor, appointment: Appointment, reason: str) -> HeldLevel:
    """An appointment ended early stops its level: held up to the day before the ending takes effect, or, ended
    on its first day, never held (withdrawn). Runs inside the ending's transaction; audited."""
    if not connection.in_atomic_block:
        raise RuntimeError("appointment_level_end runs inside the appointment's transaction")
    assert appointment.ended_on is not None  # noqa: S101 - the caller has ended it
    held = HeldLevel.objects.select_for_update().get(
        source_type=ContentType.objects.get_for_model(Appointment), source_id=appointment.pk,
        withdrawn_at__isnull=True)
    old = {"held_until": held.held_until, "withdrawn_at": None}
    if appointment.ended_on <= held.obtained_on:
        held.withdrawn_at, held.withdrawn_reason = timezone.now(), reason
        held.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        audit_record(actor=actor, action="certification.level.withdrawn", target=held, old=old,
                     new={"withdrawn_at": held.withdrawn_at}, reason=reason)
    else:
        held.held_until = appointment.ended_on - timedelta(days=1)
        held.save(update_fields=["held_until"])
        audit_record(actor=actor, action="certification.level.ended", target=held, old=old,
                     new={"held_until": held.held_until}, reason=reason)
    certificates_changed_on_commit([held.person_id])
    return held


def certificate_level_record(*, actor: Actor, certificate: models.Model, person_id: int, occupation_id: int,
                             level: SkillLevel, obtained_on: date, label: str) -> HeldLevel:
    """The level a batch result's certificate gives (DESIGN.md "A person's levels": source "职业技能等级证书"),
    pointing at the certificate, obtained on its issue day. Runs inside the issuance's transaction (its service
    checked the right and the rule); audited as a recorded level."""
    if not connection.in_atomic_block:
        raise RuntimeError("certificate_level_record runs inside the issuance's transaction")
    held = HeldLevel.objects.create(
        person_id=person_id, occupation_id=occupation_id, level=int(level), source_kind=SourceKind.CERTIFICATE,
        source_type=ContentType.objects.get_for_model(certificate), source_id=certificate.pk, source_label=label,
        obtained_on=obtained_on, recorded_by=actor if isinstance(actor, User) else None, recorded_at=timezone.now(),
    )
    audit_record(actor=actor, action="certification.level.recorded", target=held, new=_snapshot(held))
    certificates_changed_on_commit([held.person_id])
    return held


def certificate_level_withdraw(*, actor: Actor, held_id: int, reason: str) -> HeldLevel | None:
    """A revoked certificate withdraws the level it gave (the row stays, `held_level` stops counting it); None
    when it was already withdrawn. Runs inside the revocation's transaction; audited."""
    if not connection.in_atomic_block:
        raise RuntimeError("certificate_level_withdraw runs inside the revocation's transaction")
    held = HeldLevel.objects.select_for_update().get(pk=held_id)
    if held.withdrawn_at is not None:
        return None
    held.withdrawn_at, held.withdrawn_reason = timezone.now(), reason
    held.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    audit_record(actor=actor, action="certification.level.withdrawn", target=held, old={"withdrawn_at": None},
                 new={"withdrawn_at": held.withdrawn_at}, reason=reason)
    certificates_changed_on_commit([held.person_id])
    return held

"""The person edits their own talent profile (我的人才档案, issue 14 item 2): city, education, years, open to
offers, chains, skill points with rungs, summary and the contact data enterprises see once the person consents.
Intake owns the rest (sources, holdings, best award). Audited as `talentpool.profile.updated` with the fields that
changed (the contact data's values are not written to the log, only that they changed)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.actors import SystemActor
from accounts.identity import normalise_mobile
from accounts.models import User
from audit.services import audit_record
from core.errors import FieldError, ValidationFailed
from talentpool import access_pool
from talentpool.models import City, Education, IndustryChain, PoolVersion, SkillPoint, Talent, TalentSkill

_LANDLINE_CHARS = set("0123456789-")


@dataclass(frozen=True, slots=True)
class SkillEntry:
    name: str
    rung: int | None = None


@dataclass(frozen=True, slots=True)
class ProfileData:
    city: str = ""
    education: int = 0
    years_experience: int | None = None  # None: not given
    open_to_offers: bool = False
    chain_ids: tuple[int, ...] = ()
    summary: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    skills: tuple[SkillEntry, ...] = field(default_factory=tuple)


def skill_point_name(name: str) -> str:
    """The stored form of a skill point's name: NFKC, spaces removed (SkillPoint's docstring)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _phone(value: str) -> str:
    """A mobile number (11 digits), or a landline like 0531-88886666; anything else is refused."""
    value = value.strip()
    if not value:
        return ""
    try:
        return normalise_mobile(value)
    except Exception:  # noqa: BLE001 - InvalidMobile: try a landline
        digits = unicodedata.normalize("NFKC", value).replace(" ", "")
        if set(digits) <= _LANDLINE_CHARS and digits.startswith("0") and 10 <= len(digits.replace("-", "")) <= 12:
            return digits
        raise ValidationFailed([FieldError("contact_phone", "talentpool.profile.phone_invalid")]) from None


def _check(data: ProfileData) -> tuple[str, str, dict[str, int | None]]:
    errors: list[FieldError] = []
    phone = ""
    try:
        phone = _phone(data.contact_phone)
    except ValidationFailed as exc:
        errors.extend(exc.field_errors)
    email = data.contact_email.strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(FieldError("contact_email", "talentpool.profile.email_invalid"))
    if data.city and data.city not in City.values:
        errors.append(FieldError("city", "talentpool.profile.city_unknown"))
    if data.education not in Education.values:
        errors.append(FieldError("education", "talentpool.profile.education_unknown"))
    if data.years_experience is not None and not 0 <= data.years_experience <= 60:
        errors.append(FieldError("years_experience", "talentpool.profile.years_range"))
    if len(data.summary) > 2000:
        errors.append(FieldError("summary", "talentpool.profile.summary_long"))
    skills: dict[str, int | None] = {}
    for i, entry in enumerate(data.skills):
        name = skill_point_name(entry.name)
        if not name:
            continue
        if len(name) > 100:
            errors.append(FieldError(f"skills.{i}.name", "talentpool.profile.skill_long"))
        if entry.rung is not None and not 1 <= entry.rung <= 8:
            errors.append(FieldError(f"skills.{i}.rung", "talentpool.profile.rung_unknown"))
        skills[name] = entry.rung
    if len(skills) > 30:
        errors.append(FieldError("skills", "talentpool.profile.too_many_skills"))
    known = set(IndustryChain.objects.filter(pk__in=data.chain_ids).values_list("pk", flat=True))
    if known != set(data.chain_ids):
        errors.append(FieldError("chain_ids", "talentpool.profile.chain_unknown"))
    if errors:
        raise ValidationFailed(errors)
    return phone, email, skills


@transaction.atomic(durable=True)
def talent_profile_update(*, actor: User | SystemActor, data: ProfileData, person_id: int | None = None) -> Talent:
    """Save the person's own profile (module docstring); refused field by field with clear messages. The system
    actor (the demo) names the person with `person_id`."""
    talent = access_pool.access_own_talent(actor, lock=True, person_id=person_id)
    phone, email, skills = _check(data)
    before = {"city": talent.city, "education": talent.education, "years_experience": talent.years_experience,
              "open_to_offers": talent.open_to_offers, "summary": talent.summary,
              "chains": sorted(talent.chains.values_list("pk", flat=True)),
              "skills": dict(sorted(talent.skills.values_list("skill_point__name", "rung")))}
    contact_before = (talent.contact_phone, talent.contact_email)
    talent.city, talent.education, talent.years_experience = data.city, data.education, data.years_experience
    talent.open_to_offers, talent.summary = data.open_to_offers, data.summary.strip()
    talent.contact_phone, talent.contact_email = phone, email
    talent.updated_at = timezone.now()
    talent.save()
    talent.chains.set(sorted(set(data.chain_ids)))
    points = {}
    for name in skills:
        points[name], _created = SkillPoint.objects.get_or_create(name=name)
    TalentSkill.objects.filter(talent=talent).exclude(skill_point__name__in=list(skills)).delete()
    for name, rung in skills.items():
        TalentSkill.objects.update_or_create(talent=talent, skill_point=points[name], defaults={"rung": rung})
    after = {"city": talent.city, "education": talent.education, "years_experience": talent.years_experience,
             "open_to_offers": talent.open_to_offers, "summary": talent.summary,
             "chains": sorted(set(data.chain_ids)), "skills": dict(sorted(skills.items()))}
    changed = {k for k in after if after[k] != before[k]}
    if contact_before != (phone, email):
        changed.add("contact")
    if changed:
        audit_record(actor=actor, action="talentpool.profile.updated", target=talent,
                     old={k: before[k] for k in changed if k in before},
                     new={**{k: after[k] for k in changed if k in after},
                          **({"contact": "changed"} if "contact" in changed else {})})
        PoolVersion.bump()
    return talent

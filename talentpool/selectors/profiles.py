"""A talent's profile as every reader sees it (issue 14 item 2): pages, API and Excel export all take it from here,
so the consent rule is decided once.

Contact data (the person's phone and e-mail for enterprises) is in the view ONLY when the reader is the person, or
the reader is HR of an enterprise holding an accepted, unrevoked contact request of this talent (the acceptance is
the consent; revoking it masks again at once, since nothing is cached). Otherwise `contact` is None — the value is
not in the object at all — and the pages show `CONTACT_HIDDEN`. Organizer staff and the admin read profiles but
not contact data: the consent is given to an enterprise, not to the platform's staff.

Certificates are verified through the certificates app (its selector gives the number, the status valid /
revoked / superseded and the `/verify/…` address the QR code carries); the pool shows them as verified or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.permissions import units_of
from certification.selectors.certificates import my_certificates
from talentpool.domain.intake import RUNG_LABELS
from talentpool.models import (
    AwardKind,
    City,
    ContactRequest,
    ContactStatus,
    Education,
    SourceKind,
    Talent,
    TalentStatus,
)

CONTACT_HIDDEN = _("已隐藏，需本人同意")


def rung_label(rung: int | None) -> str:
    return RUNG_LABELS.get(rung, "") if rung else ""


@dataclass(frozen=True, slots=True)
class Contact:
    phone: str
    email: str


@dataclass(frozen=True, slots=True)
class HoldingView:
    occupation_code: str
    occupation_name: str
    rung: int
    rung_label: str


@dataclass(frozen=True, slots=True)
class SkillView:
    skill_point_id: int
    name: str
    rung: int | None
    rung_label: str


@dataclass(frozen=True, slots=True)
class SourceView:
    kind: str
    kind_label: str
    label: str
    award: int
    obtained_on: date
    standing: bool
    withdrawn_reason: str


@dataclass(frozen=True, slots=True)
class CertificateLine:
    number: str
    occupation_name: str
    level_label: str
    title: str
    issuer_name: str
    issued_on: date
    status: str  # valid, revoked, superseded
    status_label: str
    verified: bool  # valid and signed: what the verification page says of it
    verify_path: str  # /verify/… (the QR code's address, on this site)


@dataclass(frozen=True, slots=True)
class TalentProfile:
    id: int
    person_id: int
    name: str
    status: str
    status_label: str
    city: str
    city_label: str
    education: int
    education_label: str
    years_experience: int | None  # None: not given
    open_to_offers: bool
    chains: list[tuple[int, str]]
    summary: str
    best_award: int
    best_award_label: str
    holdings: list[HoldingView]
    skills: list[SkillView]
    awards: list[SourceView]  # standing competition and title sources
    sources: list[SourceView]  # everything that brought the person in, withdrawn ones with their reason
    certificates: list[CertificateLine]
    entered_at: datetime
    left_reason: str
    contact: Contact | None  # None unless the reader may see it (module docstring)
    own: bool


def consenting_enterprises(talent_ids: Iterable[int], enterprise_ids: Iterable[int]) -> set[int]:
    """The talents (of `talent_ids`) who accepted a contact request of one of `enterprise_ids`: one query."""
    units, ids = sorted(set(enterprise_ids)), sorted(set(talent_ids))
    if not units or not ids:
        return set()
    return set(ContactRequest.objects.filter(talent_id__in=ids, enterprise_id__in=units,
                                             status=ContactStatus.ACCEPTED).values_list("talent_id", flat=True))


def contact_visible_for(reader: Any, talents: Iterable[Talent]) -> set[int]:
    """The ids of `talents` whose contact data `reader` may see (module docstring)."""
    talents = list(talents)
    own = {t.pk for t in talents if t.person_id == getattr(reader, "pk", None)}
    units = units_of(reader, [Role.ENTERPRISE_HR]) if getattr(reader, "is_authenticated", False) else frozenset()
    return own | consenting_enterprises([t.pk for t in talents if t.pk not in own], units)


def contact_of(talent: Talent, visible: bool) -> Contact | None:
    return Contact(talent.contact_phone, talent.contact_email) if visible else None


def _source_view(s: Any) -> SourceView:
    return SourceView(kind=s.kind, kind_label=str(SourceKind(s.kind).label), label=s.label, award=s.award,
                      obtained_on=s.obtained_on, standing=s.withdrawn_at is None, withdrawn_reason=s.withdrawn_reason)


def _certificate_lines(person: Any) -> list[CertificateLine]:
    lines = []
    for c in my_certificates(person):
        lines.append(CertificateLine(
            number=c.number, occupation_name=c.occupation_name, level_label=c.level_label, title=c.title,
            issuer_name=c.issuer_name, issued_on=c.issued_on, status=c.status, status_label=c.status_label,
            verified=c.status == "valid", verify_path=urlsplit(c.verification_url).path or c.verification_url))
    return lines


def talent_profile(reader: Any, talent: Talent) -> TalentProfile:
    """The profile of `talent` as `reader` may see it (the caller checked the right to read it: access_pool)."""
    sources = [_source_view(s) for s in talent.sources.order_by("-obtained_on", "pk")]
    skills = [SkillView(s.skill_point_id, s.skill_point.name, s.rung, rung_label(s.rung))
              for s in talent.skills.select_related("skill_point").order_by(F("rung").desc(nulls_last=True),
                                                                           "skill_point__name")]
    holdings = [HoldingView(h.occupation_code, h.occupation_name, h.rung, rung_label(h.rung))
                for h in talent.holdings.order_by("-rung", "occupation_code")]
    visible = bool(contact_visible_for(reader, [talent]))
    return TalentProfile(
        id=talent.pk, person_id=talent.person_id, name=str(talent.person), status=talent.status,
        status_label=str(TalentStatus(talent.status).label), city=talent.city,
        city_label=str(City(talent.city).label) if talent.city else "", education=talent.education,
        education_label=str(Education(talent.education).label), years_experience=talent.years_experience,
        open_to_offers=talent.open_to_offers,
        chains=[(c.pk, c.name) for c in talent.chains.order_by("position", "pk")], summary=talent.summary,
        best_award=talent.best_award, best_award_label=str(AwardKind(talent.best_award).label),
        holdings=holdings, skills=skills,
        awards=[s for s in sources if s.standing and s.kind in (SourceKind.COMPETITION, SourceKind.TITLE)
                and (s.award or s.kind == SourceKind.TITLE)],
        sources=sources, certificates=_certificate_lines(talent.person), entered_at=talent.entered_at,
        left_reason=talent.left_reason, contact=contact_of(talent, visible), own=talent.person_id == reader.pk,
    )


@dataclass(frozen=True, slots=True)
class ContactRequestView:
    id: int
    enterprise_id: int
    enterprise_name: str
    talent_id: int
    talent_name: str
    post_id: int | None
    post_title: str
    message: str
    status: str
    status_label: str
    requested_by_name: str
    requested_at: datetime
    decided_at: datetime | None
    revoked_at: datetime | None
    reason: str
    contact: Contact | None  # the enterprise's list: the data while the consent stands


def _post_title(r: ContactRequest) -> str:
    return r.post.name if r.post else ""


def contact_request_view(r: ContactRequest, *, with_contact: bool) -> ContactRequestView:
    return ContactRequestView(
        id=r.pk, enterprise_id=r.enterprise_id, enterprise_name=r.enterprise.name, talent_id=r.talent_id,
        talent_name=str(r.talent.person), post_id=r.post_id, post_title=_post_title(r), message=r.message,
        status=r.status, status_label=str(ContactStatus(r.status).label), requested_by_name=str(r.requested_by),
        requested_at=r.requested_at, decided_at=r.decided_at, revoked_at=r.revoked_at, reason=r.reason,
        contact=contact_of(r.talent, with_contact and r.status == ContactStatus.ACCEPTED),
    )


def _requests() -> Any:
    return ContactRequest.objects.select_related("enterprise", "talent__person", "post", "requested_by")


def talent_inbox(talent: Talent) -> list[ContactRequestView]:
    """The person's 联系请求: every request made to them, newest first."""
    return [contact_request_view(r, with_contact=False) for r in _requests().filter(talent=talent)]


def enterprise_requests(enterprise_id: int) -> list[ContactRequestView]:
    """An enterprise's 我的联系请求, newest first, with the contact data where the consent stands."""
    return [contact_request_view(r, with_contact=True) for r in _requests().filter(enterprise_id=enterprise_id)]


def open_request_of(enterprise_ids: Iterable[int], talent: Talent) -> ContactRequestView | None:
    """The open (pending or accepted) request of the reader's enterprise to the talent, if any."""
    found = _requests().filter(talent=talent, enterprise_id__in=sorted(set(enterprise_ids)),
                               status__in=[ContactStatus.PENDING, ContactStatus.ACCEPTED]).first()
    return contact_request_view(found, with_contact=True) if found else None

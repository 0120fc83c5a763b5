"""Reads of appointments (评聘 of 特级技师 and 首席技师, issue 12 item 10), shared by the enterprise's page, the
person's levels page and the API; the caller has loaded and checked the enterprise or the person
(certification.access).

Masking: an appointee's ID number is whole only for a reader who may see it (accounts.permissions
`can_view_pii`: the person, their units' staff, the admin); organizer staff, who oversee every enterprise's
appointments, read it masked. On a person's record each appointment shows only to a reader who may see it
(`APPOINTMENT_VIEW`): another enterprise's staff see the title among the levels, not the enterprise's document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.identity import shown_id_number
from accounts.models import Organization, User
from accounts.permissions import can, can_view_pii
from certification.domain.appointments import Status, last_day_held, status_on
from certification.models import AppointedTitle, Appointment, AppointmentEndKind, SourceKind
from certification.permissions import Action
from certification.selectors.levels import standing_levels

STATUS_LABELS = {Status.UPCOMING: _("未开始"), Status.ACTIVE: _("在聘"), Status.EXPIRED: _("已期满"),
                 Status.ENDED: _("已解除")}


@dataclass(frozen=True, slots=True)
class AppointmentView:
    """One appointment as the reader may see it; `last_day` is the last day the title is held through it."""

    id: int
    person_id: int
    person_name: str
    person_id_number: str
    masked: bool
    occupation_id: int
    occupation_code: str
    occupation_name: str
    title: str
    title_label: str
    enterprise_id: int
    enterprise_name: str
    term_start: date
    term_end: date
    last_day: date
    status: str
    status_label: str
    document_no: str
    evidence_name: str
    evidence_type: str
    evidence_size: int
    reason: str
    renews_id: int | None
    renewed: bool
    recorded_at: datetime
    ended_on: date | None
    end_kind: str
    end_kind_label: str
    end_reason: str


def appointment_view(a: Appointment, *, viewer: Any, on: date, renewed: bool | None = None) -> AppointmentView:
    status = status_on(term_start=a.term_start, term_end=a.term_end, ended_on=a.ended_on, on=on)
    full = can_view_pii(viewer, a.person)
    return AppointmentView(
        id=a.pk, person_id=a.person_id, person_name=str(a.person),
        person_id_number=shown_id_number(a.person.id_number, full=full), masked=not full,
        occupation_id=a.occupation_id, occupation_code=a.occupation.code, occupation_name=a.occupation.name,
        title=a.title, title_label=str(AppointedTitle(a.title).label), enterprise_id=a.enterprise_id,
        enterprise_name=a.enterprise.name, term_start=a.term_start, term_end=a.term_end,
        last_day=last_day_held(a.term_end, a.ended_on), status=status.value, status_label=str(STATUS_LABELS[status]),
        document_no=a.document_no, evidence_name=a.evidence_name, evidence_type=a.evidence_type,
        evidence_size=a.evidence_size, reason=a.reason, renews_id=a.renews_id,
        renewed=Appointment.objects.filter(renews=a).exists() if renewed is None else renewed,
        recorded_at=a.recorded_at, ended_on=a.ended_on, end_kind=a.end_kind,
        end_kind_label=str(AppointmentEndKind(a.end_kind).label) if a.end_kind else "", end_reason=a.end_reason,
    )


def _listed(queryset: QuerySet[Appointment], *, viewer: Any, on: date) -> list[AppointmentView]:
    rows = list(queryset.select_related("person", "occupation", "enterprise")
                .prefetch_related("person__memberships").order_by("-term_start", "-pk"))
    renewed = set(Appointment.objects.filter(renews__in=rows).values_list("renews_id", flat=True))
    return [appointment_view(a, viewer=viewer, on=on, renewed=a.pk in renewed) for a in rows]


def enterprise_appointments(*, viewer: Any, enterprise: Organization, on: date) -> list[AppointmentView]:
    """Every appointment of the enterprise, latest term first (the caller checked `APPOINTMENT_VIEW` on it)."""
    return _listed(Appointment.objects.filter(enterprise=enterprise), viewer=viewer, on=on)


def person_appointments(*, viewer: Any, person: User, on: date) -> list[AppointmentView]:
    """The person's appointments the reader may see (module docstring), latest term first."""
    rows = _listed(Appointment.objects.filter(person=person), viewer=viewer, on=on)
    return [r for r in rows if can(viewer, Action.APPOINTMENT_VIEW, _Owned(r.person_id, r.enterprise_id))]


@dataclass(frozen=True, slots=True)
class _Owned:
    """An appointment as the permission engine asks about it, without loading the row again."""

    owner: int
    enterprise: int

    def permission_owner_id(self) -> int:
        return self.owner

    def permission_unit_ids(self) -> frozenset[int]:
        return frozenset({self.enterprise})


@dataclass(frozen=True, slots=True)
class AppointmentCandidate:
    """A member of the enterprise as the appointment form offers them: whether (and where) they hold 一级 today
    from a certificate or a promotion, what an appointment must rest on."""

    person_id: int
    name: str
    id_number: str
    holds_level_one: bool
    level_one_in: list[str]  # occupation names, with codes


def appointment_candidates(*, viewer: Any, enterprise: Organization, on: date) -> list[AppointmentCandidate]:
    """The enterprise's members (any role), 一级 holders first, then by name; two queries."""
    people = list(User.objects.filter(is_active=True, memberships__organization=enterprise).distinct()
                  .prefetch_related("memberships").order_by("real_name", "username"))
    level_one: dict[int, list[str]] = {}
    for person_id, code, name in (standing_levels(on).filter(person_id__in=[p.pk for p in people], level=1)
                                  .exclude(source_kind=SourceKind.APPOINTMENT).order_by("occupation__code")
                                  .values_list("person_id", "occupation__code", "occupation__name").distinct()):
        level_one.setdefault(person_id, []).append(f"{name}（{code}）")
    found = [AppointmentCandidate(p.pk, str(p), shown_id_number(p.id_number, full=can_view_pii(viewer, p)),
                                  p.pk in level_one, level_one.get(p.pk, [])) for p in people]
    return sorted(found, key=lambda c: not c.holds_level_one)


"""The Excel exports of competitions: roster, scheme and official results, built on the shared selectors with the
reader's masking decided by `accounts.permissions` exactly as for pages and API (rules in
`competitions.excel.sheets`)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identity import InvalidIdNumber, Sex, mask_id_number, mask_mobile
from accounts.identity import parse_id_number as parse_id
from accounts.models import User
from accounts.permissions import can, can_view_pii, require
from certification.domain.ladder import SkillLevel
from competitions import access, selectors
from competitions.domain import awards, titles
from competitions.excel.sheets import (
    GROUP_LABELS,
    METHOD_LABELS,
    RESULTS,
    ROSTER_EXPORT,
    SCHEME,
    THEORY,
    format_bands,
    plain,
)
from competitions.models import (
    Entry,
    EntryMember,
    EntryStatus,
    Event,
    MarkingScheme,
    Skill,
    Status,
    TitleProposal,
)
from competitions.permissions import Action
from core.errors import Conflict, NotFound
from core.excel import (
    Sheet,
    write_workbook,
)


def may_see_numbers(viewer: Any, entry: Entry, person: User) -> bool:
    """Unmasked ID and mobile numbers of an entrant (module docstring): the permission module decides, asked on the
    person and on the entry (whose units are the organizer's and the nominating unit's)."""
    return can_view_pii(viewer, person) or can_view_pii(viewer, entry)


def roster_export(*, viewer: Any, skill: Skill) -> bytes:
    """The skill's registrations the viewer may see (all for the organizer, a unit's own for its staff), in the
    import's columns, so an exported roster imports into another skill as it is."""
    skill = Skill.objects.select_related("event").get(pk=skill.pk)
    if not (can(viewer, Action.ENTRY_REVIEW, skill.event) or can(viewer, Action.ENTRY_VIEW)):
        require(viewer, Action.ENTRY_REVIEW, skill.event)
    entries = selectors.entries_visible(viewer=viewer, skill=skill).prefetch_related("coaches__person")
    rows = []
    for number, entry in enumerate(entries, start=1):
        coaches = list(entry.coaches.all())
        for position, member in enumerate(entry.members.all()):
            person = member.person
            full = may_see_numbers(viewer, entry, person)
            coach = coaches[position].person if position < len(coaches) else None
            rows.append({
                "team": number if skill.team_size > 1 else None,
                "name": person.real_name or person.username,
                "id_number": person.id_number if full else mask_id_number(person.id_number),
                "mobile": person.mobile if full else mask_mobile(person.mobile),
                "unit": entry.unit.name,
                "group": GROUP_LABELS.get(member.group, member.group),
                "coach_id": (coach.id_number if full else mask_id_number(coach.id_number)) if coach else None,
                "status": entry.get_status_display(),
            })
    return write_workbook([(ROSTER_EXPORT, rows)])


def scheme_export(*, viewer: Any, skill: Skill) -> bytes:
    """The skill's scheme in the import's sheets: for those who manage it and the referees assigned to it."""
    skill = Skill.objects.select_related("event").get(pk=skill.pk)
    if skill.pk not in access.assigned_skill_ids(viewer):
        require(viewer, Action.SCHEME_MANAGE, skill)
    scheme = MarkingScheme.objects.filter(skill=skill).first()
    if scheme is None:
        raise NotFound()
    rows = [
        {
            "module_code": a.module.code, "module_name": a.module.name, "aspect_code": a.code,
            "description": a.description, "method": METHOD_LABELS[a.method], "max_mark": plain(a.max_mark),
            "nominal": plain(a.nominal), "bands": format_bands(a.bands) if a.bands else None,
            "referee_count": a.referee_count,
            "divergence_threshold": plain(a.divergence_threshold) if a.divergence_threshold is not None else "无",
        }
        for a in scheme.aspects.select_related("module").order_by("module__position", "position", "id")
    ]
    weight = plain(skill.theory_weight) if skill.theory_weight is not None else "无"
    return write_workbook([(SCHEME, rows), (THEORY, [{"theory_weight": weight}])])


def _sex(id_number: str) -> str:
    """性别 as the ID number encodes it (odd 17th digit: male)."""
    try:
        info = parse_id(id_number, today=timezone.localdate())
    except InvalidIdNumber:
        return ""
    return "男" if info.sex is Sex.MALE else "女"


def results_export(*, viewer: Any, event: Event, skill: Skill | None = None) -> bytes:
    """The official results of one skill, or of every skill of the event whose names are known (module
    docstring); for the jury of the event (organizer staff, its chief referees, the platform admin)."""
    require(viewer, Action.COMPETITION_JURY_VIEW, event)
    skills = [Skill.objects.select_related("event").get(pk=skill.pk)] if skill is not None \
        else list(selectors.skills_of(event))
    named = [s for s in skills if s.decrypted_at is not None or s.status in (Status.PUBLISHED, Status.ARCHIVED)]
    if not named:
        raise Conflict("export.not_decrypted", {"skill": "、".join(s.name for s in skills)})
    rows: list[dict[str, Any]] = []
    for s in named:
        rows += _skill_result_rows(viewer, s)
    spec = RESULTS
    if all(row["standardised_score"] is None for row in rows):
        spec = Sheet(RESULTS.name, [c for c in RESULTS.columns if c.key != "standardised_score"])
    return write_workbook([(spec, rows)])


def _skill_result_rows(viewer: Any, skill: Skill) -> list[dict[str, Any]]:
    entries = list(
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED)
        .select_related("unit", "skill__event")
        .prefetch_related(Prefetch("members", queryset=EntryMember.objects.select_related("person").order_by("id")))
        .order_by("workstation_no", "pk")
    )
    standings = selectors.skill_standings(skill, names=True, entries=entries)
    by_id = {e.pk: e for e in entries}
    approved = {
        (entry_id, person_id)
        for entry_id, person_id in TitleProposal.objects.filter(
            entry__skill=skill, approved_at__isnull=False
        ).values_list("entry_id", "person_id")
    }
    rows = []
    for standing in standings.rows:
        entry = by_id[standing.entry_id]
        for member in entry.members.all():
            person = member.person
            full = may_see_numbers(viewer, entry, person)
            title = ""
            if standing.title_scope:
                state = _("已核准") if (entry.pk, person.pk) in approved else _("待核准")
                title = f"{titles.TitleScope(standing.title_scope).label_zh}（{state}）"
            rows.append({
                "place": standing.place,
                "name": person.real_name or person.username,
                "sex": _sex(person.id_number),
                "id_number": person.id_number if full else mask_id_number(person.id_number),
                "unit": entry.unit.name,
                "event": skill.event.name,
                "skill": skill.name,
                "group": GROUP_LABELS.get(skill.group, skill.group),
                "theory": plain(standing.theory),
                "practical": standing.practical,
                "total": standing.total,
                # The report sent upward keeps the Chinese names whatever the exporter's interface language.
                "award": awards.AwardCode(standing.award).label_zh if standing.award else "",
                "standardised_score": standing.standardised_score,
                "title": title,
                "promotion": (SkillLevel(standing.promotion_level).label_zh
                              if standing.promotion_level is not None else ""),
            })
    return rows

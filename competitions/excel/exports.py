"""The Excel exports of competitions: roster, scheme and official results. The roster and the results are written
from the selectors' lines (`selectors.roster_lines`, `selectors.official_results`), which decide who may export
and mask the numbers for the reader exactly as for pages and API; this module only puts them into the sheets of
`competitions.excel.sheets`, with the sheets' labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.identity import Sex
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
    Event,
    MarkingScheme,
    Skill,
)
from core.errors import NotFound
from core.excel import (
    Sheet,
    write_workbook,
)


def roster_export(*, viewer: Any, skill: Skill) -> bytes:
    """The skill's registrations the viewer may see (`selectors.roster_lines`), in the import's columns, so an
    exported roster imports into another skill as it is."""
    rows = [
        {
            "team": line.team, "name": line.name, "id_number": line.id_number, "mobile": line.mobile,
            "unit": line.unit, "group": GROUP_LABELS.get(line.group, line.group), "coach_id": line.coach_id_number,
            "status": line.status_label,
        }
        for line in selectors.roster_lines(viewer=viewer, skill=skill)
    ]
    return write_workbook([(ROSTER_EXPORT, rows)])


def scheme_export(*, viewer: Any, skill: Skill) -> bytes:
    """The skill's scheme in the import's sheets: for those who manage it and the referees assigned to it."""
    skill = access.access_skill_for_scheme(viewer, skill.pk)
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


_SEX_LABELS = {Sex.MALE: "男", Sex.FEMALE: "女"}


def results_export(*, viewer: Any, event: Event, skill: Skill | None = None) -> bytes:
    """The official results of one skill, or of every skill of the event whose names are known
    (`selectors.official_results`, which decides who may export and masks the numbers). The report sent upward
    keeps the Chinese names of awards, titles and levels whatever the exporter's interface language."""
    rows: list[dict[str, Any]] = []
    for line in selectors.official_results(viewer=viewer, event=event, skill=skill):
        title = ""
        if line.title_scope:
            state = _("已核准") if line.title_approved else _("待核准")
            title = f"{titles.TitleScope(line.title_scope).label_zh}（{state}）"
        rows.append({
            "place": line.place,
            "name": line.name,
            "sex": _SEX_LABELS[line.sex] if line.sex else "",
            "id_number": line.id_number,
            "unit": line.unit,
            "event": line.event,
            "skill": line.skill,
            "group": GROUP_LABELS.get(line.group, line.group),
            "theory": str(_("缺考")) if line.theory_absent else line.theory,
            "practical": line.practical,
            "total": line.total,
            "award": awards.AwardCode(line.award).label_zh if line.award else "",
            "standardised_score": line.standardised_score,
            "title": title,
            "promotion": SkillLevel(line.promotion_level).label_zh if line.promotion_level is not None else "",
        })
    spec = RESULTS
    if all(row["standardised_score"] is None for row in rows):
        spec = Sheet(RESULTS.name, [c for c in RESULTS.columns if c.key != "standardised_score"])
    return write_workbook([(spec, rows)])

"""The theory part of a skill as the organizer records it (DESIGN.md "Marking scheme": a theory part of 0–100 with
a weight; an entrant absent from it is recorded 缺考 with a reason, counts 0 and is shown as 缺考).

The theory exam is sat under the entrant's name (it is not the anonymous practical part), so the organizer's page
lists approved entries by 检录号 with their names; only whoever manages the skill's scheme reads it, and before
decryption nobody on the skill's jury (`access.require_theory_recorder`; competitions.selectors.results, "Before
decryption").
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from competitions import access
from competitions.models import Entry, EntryStatus, Skill, Status


@dataclass(frozen=True, slots=True)
class TheoryRowView:
    """One approved entry's theory result: a score, 缺考 with its reason, or nothing yet."""

    entry_id: int
    checkin_no: int | None
    names: str
    unit: str
    score: Decimal | None
    absent_reason: str
    total: Decimal


@dataclass(frozen=True, slots=True)
class TheorySheetView:
    skill_id: int
    skill_name: str
    theory_weight: Decimal | None
    editable: bool  # before the results are under review
    missing: int  # approved entries with neither a score nor 缺考
    rows: list[TheoryRowView]


def theory_row(entry: Entry) -> TheoryRowView:
    names = "、".join(str(m.person) for m in entry.members.all())
    return TheoryRowView(entry.pk, entry.checkin_no, names, str(entry.unit), entry.theory_score,
                         entry.theory_absent_reason, entry.total)


def skill_theory(*, viewer: object, skill: Skill) -> TheorySheetView:
    """The skill's approved entries with their theory results, by 检录号 (then registration order)."""
    access.require_theory_recorder(viewer, skill)
    entries = (
        Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED).select_related("unit")
        .prefetch_related("members__person").order_by("checkin_no", "pk")
    )
    rows = [theory_row(e) for e in entries]
    return TheorySheetView(
        skill.pk, skill.name, skill.theory_weight,
        skill.status not in (Status.REVIEW, Status.PUBLISHED, Status.ARCHIVED),
        sum(1 for r in rows if r.score is None and not r.absent_reason), rows,
    )

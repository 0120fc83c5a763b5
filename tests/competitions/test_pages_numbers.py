"""Marks on the pages as referees write them (issue 10): "40", "12.5", "0", never "40.0000", on the sign-off
page, the correction pages and the theory page, while a total keeps its two decimals (DESIGN.md "Ranking")."""

from __future__ import annotations

from decimal import Decimal

from competitions import services
from competitions.models import Mark, MarkCorrection, Sheet, Skill
from tests.competitions.steps import Scenario, mark_entry, marked_and_decrypted


def _cell(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</td>", 1)[0]


def test_marks_and_module_scores_show_without_trailing_zeros(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    entry = s.entries_b[0]
    # A1 20 (full marks), A2 measured 60.3 (within tolerance: 30), J1 2·2·3 → 7/9 × 30 = 23.3333, J2 mean 16.
    mark_entry(s, entry, j1=(2, 2, 3), j2=("15", "16", "17"))
    chief = client_of(s.chief)
    sheets_url = f"/competitions/skills/{s.skill.pk}/sheets/"
    html = chief.get(sheets_url).content.decode()
    m1, m2 = (Sheet.objects.get(entry=entry, module__code=code) for code in ("M1", "M2"))
    assert _cell(html.split(f'data-sheet="{m1.pk}"', 1)[1], "data-label=\"成绩\">") == "50"
    assert _cell(html.split(f'data-sheet="{m2.pk}"', 1)[1], "data-label=\"成绩\">") == "39.3333"
    other = Sheet.objects.get(entry=s.entries_b[1], module__code="M1")  # nothing marked yet
    assert _cell(html.split(f'data-sheet="{other.pk}"', 1)[1], "data-label=\"成绩\">") == "0"
    assert ".0000" not in html

    services.sheet_sign_off(chief=s.chief, sheet_id=m1.pk)
    correction_url = f"/competitions/sheets/{m1.pk}/correction/"
    page = chief.get(correction_url).content.decode()
    assert "<td>20</td>" in page and "<td>60.3</td>" in page and ".0000" not in page
    a2 = Mark.objects.get(entry=entry, aspect=s.aspects["A2"])
    chief.post(correction_url, {"mark_id": a2.pk, "new_value": "61.25", "reason": "复测坡口角度"})
    assert MarkCorrection.objects.get().new_value == Decimal("61.25")
    listing = chief.get(f"/competitions/skills/{s.skill.pk}/corrections/").content.decode()
    assert "<td>60.3</td><td><strong>61.25</strong></td>" in listing


def test_the_theory_page_shows_scores_as_typed_and_a_missing_one_as_a_dash(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    Skill.objects.filter(pk=s.skill.pk).update(theory_weight=Decimal("0.25"))
    client = client_of(s.organizer)
    url = f"/competitions/skills/{s.skill.pk}/theory/"
    first, second = s.entries[0], s.entries[1]
    client.post(url, {"entry_id": first.pk, "score": "86.5", "absent_reason": ""})
    client.post(url, {"entry_id": second.pk, "score": "0", "absent_reason": ""})
    page = client.get(url).content.decode()
    assert "理论成绩 × 0.25 " in page
    assert 'name="score" inputmode="decimal" class="short" value="86.5"' in page
    assert 'name="score" inputmode="decimal" class="short" value="0"' in page  # a zero is a score, not a blank
    assert ".0000" not in page


def test_the_results_show_a_theory_score_as_typed_a_zero_as_zero_and_totals_with_two_decimals(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of
) -> None:
    s = scenario
    marked_and_decrypted(s)
    first, second, *others = s.entries
    services.entry_theory_record(actor=s.organizer, entry=first, score=Decimal("86.5"))
    services.entry_theory_record(actor=s.organizer, entry=second, score=Decimal(0))
    for entry in others:
        services.entry_theory_record(actor=s.organizer, entry=entry, score=Decimal(70))
    html = client_of(s.organizer).get(f"/competitions/events/{s.event.pk}/results/").content.decode()
    theory = sorted(part.split("</td>", 1)[0] for part in html.split('<td data-col="theory">')[1:])
    assert theory == sorted(["86.5", "0"] + ["70"] * len(others))
    totals = [part.split("</strong>", 1)[0] for part in html.split('<td data-col="total"><strong>')[1:]]
    assert len(totals) == len(s.entries) and all(len(t.split(".")[1]) == 2 for t in totals), totals

"""The theory part (DESIGN.md "Marking scheme"; issue 9 item 6): a skill with a theory part cannot go to review
while a ranked entrant has no theory score, unless the organizer records them absent (缺考) with a reason, which
counts 0; scores and absences are recorded on the organizer's theory page and through the API, and no longer
change once the results are under review."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from competitions import services
from competitions.models import Entry, Skill, Status
from core.errors import Conflict, PermissionDenied
from tests.accounts.steps import bearer
from tests.competitions.steps import Scenario, marked_and_decrypted

API = "/api/v1/competitions"


def test_review_waits_for_every_theory_score_or_a_recorded_absence(scenario: Scenario) -> None:
    s = scenario
    marked_and_decrypted(s)
    first, *others = s.entries
    for entry in others:
        services.entry_theory_record(actor=s.organizer, entry=entry, score=Decimal(70))
    with pytest.raises(Conflict) as refused:  # the first entrant has neither: a silent 0 would move places
        services.event_transition(actor=s.organizer, event=s.event, target=Status.REVIEW)
    assert "理论成绩（1 名选手未录入，或登记缺考）" in refused.value.message
    services.entry_theory_record(actor=s.organizer, entry=first, score=None, absent_reason="因病未参加理论考试")
    first.refresh_from_db()
    assert first.theory_score is None and first.theory_absent_reason == "因病未参加理论考试"
    assert first.total == (first.practical * Decimal("0.7")).quantize(Decimal("0.01"))  # absent counts 0
    services.event_transition(actor=s.organizer, event=s.event, target=Status.REVIEW)
    s.skill.refresh_from_db()
    assert s.skill.status == Status.REVIEW
    with pytest.raises(Conflict) as fixed:
        services.entry_theory_record(actor=s.organizer, entry=first, score=Decimal(90))
    assert fixed.value.code == "theory.results_fixed"


def test_the_theory_api_records_a_score_or_an_absence_and_refuses_both(scenario: Scenario, client: Client) -> None:
    s = scenario
    Skill.objects.filter(pk=s.skill.pk).update(theory_weight=Decimal("0.3"))
    entry = s.entries[0]
    url = f"{API}/entries/{entry.pk}/theory"
    both = client.put(url, {"score": "60", "absent_reason": "缺考"}, content_type="application/json",
                      **bearer(s.organizer))
    assert both.status_code == 422 and "absent_reason" in both.json()["fields"]
    scored = client.put(url, {"score": "86.5"}, content_type="application/json", **bearer(s.organizer))
    assert scored.status_code == 200 and scored.json()["score"] == "86.5000"
    absent = client.put(url, {"absent_reason": "迟到超过 15 分钟"}, content_type="application/json",
                        **bearer(s.organizer))
    assert absent.status_code == 200 and absent.json()["score"] is None
    assert absent.json()["absent_reason"] == "迟到超过 15 分钟"
    sheet = client.get(f"{API}/skills/{s.skill.pk}/theory", **bearer(s.organizer)).json()
    assert sheet["missing"] == len(s.entries) - 1
    assert client.put(url, {"score": "60"}, content_type="application/json", **bearer(s.r1)).status_code in (403, 404)
    assert client.get(f"{API}/skills/{s.skill.pk}/theory", **bearer(s.referee_a)).status_code in (403, 404)
    entry.refresh_from_db()
    assert entry.theory_absent_reason == "迟到超过 15 分钟"


def test_the_organizer_records_theory_on_the_page(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    Skill.objects.filter(pk=s.skill.pk).update(theory_weight=Decimal("0.3"))
    client = client_of(s.organizer)
    manage = client.get(f"/competitions/events/{s.event.pk}/manage/").content.decode()
    url = f"/competitions/skills/{s.skill.pk}/theory/"
    assert url in manage
    page = client.get(url).content.decode()
    assert f'data-code="theory.missing" data-count="{len(s.entries)}"' in page and "csrfmiddlewaretoken" in page
    first, second = s.entries[0], s.entries[1]
    client.post(url, {"entry_id": first.pk, "score": "75", "absent_reason": ""})
    client.post(url, {"entry_id": second.pk, "score": "", "absent_reason": "因病缺考"})
    bad = client.post(url, {"entry_id": second.pk, "score": "abc", "absent_reason": ""}, follow=True)
    assert "0–100 的数字" in bad.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.theory_score == 75 and second.theory_absent_reason == "因病缺考"
    page = client.get(url).content.decode()
    assert f'data-entry="{second.pk}" data-state="absent"' in page
    assert f'data-entry="{first.pk}" data-state="scored"' in page
    assert Entry.objects.filter(skill=s.skill, theory_score__isnull=True, theory_absent_reason="").count() == len(
        s.entries) - 2


def test_the_skill_s_jury_reads_no_theory_by_name_before_decryption(scenario: Scenario, client: Client) -> None:
    """The theory page lists entrants by name: the skill's chief referee, who ranks its workstations, is refused it
    until decryption (competitions.access.require_theory_recorder), so a withdrawal seen there cannot be set beside
    the workstation that left the practical standings."""
    s = scenario
    url = f"{API}/skills/{s.skill.pk}/theory"
    assert client.get(url, **bearer(s.chief)).status_code == 403
    assert client.get(url, **bearer(s.organizer)).status_code == 200
    entry = s.entries[0]
    with pytest.raises(PermissionDenied) as refused:
        services.entry_theory_record(actor=s.chief, entry=entry, score=Decimal(80))
    assert refused.value.code == "theory.jury"
    with pytest.raises(PermissionDenied):
        services.entry_completion_time_record(actor=s.chief, entry=entry, completion_time=timedelta(minutes=90))


def test_an_absence_reads_缺考_on_the_results_live_and_published_and_in_the_export(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of
) -> None:
    """DESIGN.md "Marking scheme": absent counts 0 and is shown as 缺考. Recording the absence when there was no
    score moves neither the score nor the total, so the standings watermark must follow the reason itself."""
    import io

    from openpyxl import load_workbook

    from competitions.excel import sheets as workbooks
    from tests.competitions import steps

    s = scenario
    marked_and_decrypted(s)
    first, *others = s.entries
    for entry in others:
        services.entry_theory_record(actor=s.organizer, entry=entry, score=Decimal(70))
    client = client_of(s.organizer)
    page = f"/competitions/events/{s.event.pk}/results/"

    def theory_cells() -> list[str]:
        html = client.get(page).content.decode()
        return sorted(part.split("</td>", 1)[0] for part in html.split('<td data-col="theory">')[1:])

    assert theory_cells() == sorted(["—"] + ["70"] * len(others))  # the snapshot is built now, without a score
    services.entry_theory_record(actor=s.organizer, entry=first, score=None, absent_reason="因病未参加理论考试")
    assert theory_cells() == sorted(["缺考"] + ["70"] * len(others))
    services.event_transition(actor=s.organizer, event=s.event, target=Status.REVIEW)
    steps.publish(s)
    assert theory_cells() == sorted(["缺考"] + ["70"] * len(others))  # the frozen published document keeps it
    data = client.get(f"{API}/skills/{s.skill.pk}/results/export").content
    sheet = load_workbook(io.BytesIO(data))[workbooks.RESULTS.name]
    values = list(sheet.iter_rows(values_only=True))
    column = [str(h) for h in values[0]].index(next(c.header for c in workbooks.RESULTS.columns if c.key == "theory"))
    assert sorted(str(row[column]) for row in values[1:]) == sorted(["缺考"] + ["70"] * len(others))

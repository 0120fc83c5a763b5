"""Pages of the review stage: the chief referee's corrections and objections, the organizer's 技术能手 approval,
objections overview and nominations, and a contestant's real-name objection from "我的竞赛"."""

from __future__ import annotations

from decimal import Decimal

from accounts.models import Role
from competitions import services
from competitions.models import CorrectionStatus, Mark, MarkCorrection, Nomination, Objection, Sheet, TitleProposal
from tests.accounts.factories import person
from tests.competitions import steps
from tests.competitions.steps import Scenario, mark_entry, marking_cell_html


def _signed_off(s: Scenario) -> Sheet:
    entry = s.entries_b[0]
    mark_entry(s, entry)
    sheet = Sheet.objects.get(entry=entry, module__code="M1")
    services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    return sheet


def test_chief_requests_and_the_supervisor_rejects_and_approves_corrections_on_pages(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of
) -> None:
    """The skill has one chief referee: the chief's own request goes to the organizer's supervisor (监督), never
    back to the chief (two people for every correction)."""
    s = scenario
    supervisor = person(Role.SUPERVISOR, s.event.organizer, username="supervisor")
    sheet = _signed_off(s)
    client = client_of(s.chief)
    sheets_page = client.get(f"/competitions/skills/{s.skill.pk}/sheets/").content.decode()
    assert f"/competitions/sheets/{sheet.pk}/correction/" in sheets_page
    page = client.get(f"/competitions/sheets/{sheet.pk}/correction/").content.decode()
    assert "csrfmiddlewaretoken" in page and sheet.entry.workstation_no in page
    assert sheet.entry.members.get().person.real_name not in page  # still 工位号 only
    mark = Mark.objects.get(entry=sheet.entry, aspect=s.aspects["A1"])
    url = f"/competitions/sheets/{sheet.pk}/correction/"
    nameless = client.post(url, {"mark_id": mark.pk, "new_value": "0", "reason": " "}, follow=True)
    # The words themselves once (translations): the page shows the translated reason, not only its code.
    assert "必须填写原因" in nameless.content.decode() and not MarkCorrection.objects.exists()
    client.post(url, {"mark_id": mark.pk, "new_value": "0", "reason": "复核发现余高超差"})
    first = MarkCorrection.objects.get()
    listing = client.get(f"/competitions/skills/{s.skill.pk}/corrections/").content.decode()
    assert "复核发现余高超差" in listing
    assert 'data-testid="not-decidable"' in listing and 'name="decision"' not in listing  # not the chief's own
    decide = f"/competitions/corrections/{first.pk}/decide/"
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    first.refresh_from_db()
    assert first.status == CorrectionStatus.PENDING

    watcher = client_of(supervisor)
    listing = watcher.get(f"/competitions/skills/{s.skill.pk}/corrections/").content.decode()
    assert 'name="decision"' in listing and "csrfmiddlewaretoken" in listing
    refused = watcher.post(decide, {"decision": "reject", "reason": ""}, follow=True)
    assert 'data-code="correction.reason_required"' in refused.content.decode()
    watcher.post(decide, {"decision": "reject", "reason": "录像显示合格"})
    first.refresh_from_db()
    assert first.status == CorrectionStatus.REJECTED and first.decision_reason == "录像显示合格"
    assert first.decided_by == supervisor
    mark.refresh_from_db()
    assert mark.value == 20

    client_of(s.chief).post(url, {"mark_id": mark.pk, "new_value": "0", "reason": "二次复核：余高超差"})
    second = MarkCorrection.objects.get(status=CorrectionStatus.PENDING)
    assert client_of(s.r1).post(f"/competitions/corrections/{second.pk}/decide/",
                                {"decision": "approve"}).status_code == 403
    assert client_of(s.r1).get(f"/competitions/skills/{s.skill.pk}/corrections/").status_code == 403
    client_of(supervisor).post(f"/competitions/corrections/{second.pk}/decide/", {"decision": "approve"})
    mark.refresh_from_db()
    assert mark.value == Decimal(0)


def test_a_referee_requests_a_correction_from_the_marking_page_and_the_chief_decides(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of
) -> None:
    s = scenario
    sheet = _signed_off(s)
    referee = s.panel(sheet.entry)[0]  # entered A1 (full or zero) on this sheet
    mark = Mark.objects.get(entry=sheet.entry, aspect=s.aspects["A1"], referee=referee)
    client = client_of(referee)
    marking = client.get(f"/competitions/skills/{s.skill.pk}/marking/").content.decode()
    correction_url = f"/competitions/marks/{mark.pk}/correction/"
    cell = marking_cell_html(marking, sheet.entry.workstation_no, "A1")
    assert correction_url in cell and 'data-code="sheet.signed_off"' in cell and 'data-state="locked"' in cell
    assert 'name="value"' not in cell and "<form" not in cell  # read-only: no input for a signed-off sheet
    page = client.get(correction_url).content.decode()
    assert sheet.entry.workstation_no in page and sheet.entry.members.get().person.real_name not in page
    client.post(correction_url, {"new_value": "0", "reason": "复测焊缝尺寸超差"})
    correction = MarkCorrection.objects.get()
    assert correction.requested_by == referee and correction.status == CorrectionStatus.PENDING
    assert 'data-code="correction.pending"' in client.get(correction_url).content.decode()
    # Another referee's mark is not theirs to correct; the referee cannot decide their own request.
    other = Mark.objects.filter(entry=sheet.entry).exclude(referee=referee).first()
    assert client.get(f"/competitions/marks/{other.pk}/correction/").status_code == 403
    assert client.post(f"/competitions/corrections/{correction.pk}/decide/",
                       {"decision": "approve"}).status_code == 403
    client_of(s.chief).post(f"/competitions/corrections/{correction.pk}/decide/", {"decision": "approve"})
    mark.refresh_from_db()
    assert mark.value == Decimal(0)


def test_contestant_objects_on_my_competitions_and_the_chief_answers(scenario: Scenario, client_of, hr_of_a) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    entry = s.entries[3]
    contestant = entry.members.get().person
    assert 'data-testid="objection-form"' not in client_of(contestant).get("/competitions/mine/").content.decode()
    steps.bring_to_review_with_a_tie(s)
    mine = client_of(contestant).get("/competitions/mine/").content.decode()
    assert mine.count('data-testid="objection-form"') == 1 and f"/competitions/entries/{entry.pk}/objections/" in mine
    assert client_of(contestant).post(f"/competitions/entries/{s.entries[0].pk}/objections/",
                                      {"text": "别人的成绩"}).status_code == 404
    client_of(contestant).post(f"/competitions/entries/{entry.pk}/objections/", {"text": "A1 漏评，请复核"})
    objection = Objection.objects.get()
    assert objection.filed_by == contestant and objection.entry == entry
    assert 'data-testid="my-objection" data-answered="false"' in client_of(contestant).get("/competitions/mine/")\
        .content.decode()

    chief = client_of(s.chief)
    page = chief.get(f"/competitions/skills/{s.skill.pk}/objections/").content.decode()
    assert "A1 漏评，请复核" in page and contestant.real_name in page and "csrfmiddlewaretoken" in page
    assert client_of(s.r1).post(f"/competitions/objections/{objection.pk}/answer/",
                                {"answer": "维持"}).status_code == 403
    empty = client_of(s.chief).post(f"/competitions/objections/{objection.pk}/answer/", {"answer": ""}, follow=True)
    assert 'data-code="objection.answer_required"' in empty.content.decode()
    client_of(s.chief).post(f"/competitions/objections/{objection.pk}/answer/", {"answer": "经复核，维持原成绩。"})
    objection.refresh_from_db()
    assert objection.answered_by == s.chief

    overview = client_of(s.organizer).get(f"/competitions/events/{s.event.pk}/objections/").content.decode()
    assert "经复核，维持原成绩。" in overview
    assert client_of(hr_of_a).get(f"/competitions/events/{s.event.pk}/objections/").status_code == 404
    answered = client_of(contestant).get("/competitions/mine/").content.decode()
    assert 'data-testid="my-objection" data-answered="true"' in answered and "经复核，维持原成绩。" in answered


def test_organizer_approves_titles_on_the_titles_page(scenario: Scenario, client_of, hr_of_b) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    steps.bring_to_review_with_a_tie(s)
    steps.publish(s)
    manage = client_of(s.organizer).get(f"/competitions/events/{s.event.pk}/manage/").content.decode()
    assert f"/competitions/events/{s.event.pk}/titles/" in manage
    page = client_of(s.organizer).get(f"/competitions/events/{s.event.pk}/titles/").content.decode()
    proposal = TitleProposal.objects.order_by("place", "pk").first()
    assert proposal is not None and proposal.person.real_name in page and "省技术能手" in page
    assert f"/competitions/titles/{proposal.pk}/approve/" in page and "csrfmiddlewaretoken" in page
    assert client_of(hr_of_b).post(f"/competitions/titles/{proposal.pk}/approve/").status_code == 404
    done = client_of(s.organizer).post(f"/competitions/titles/{proposal.pk}/approve/", follow=True).content.decode()
    assert 'data-code="done"' in done
    proposal.refresh_from_db()
    assert proposal.approved_by == s.organizer


def test_organizer_lists_nominations_sent_and_received(scenario: Scenario, client_of, hr_of_a) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    target = steps.national_welding(s)
    steps.link_nomination(s, target, 1)
    steps.bring_to_review_with_a_tie(s)
    steps.publish(s)
    (nomination,) = Nomination.objects.all()
    name = nomination.from_entry.members.get().person.real_name
    sent = client_of(s.organizer).get(f"/competitions/events/{s.event.pk}/nominations/").content.decode()
    received = client_of(s.organizer).get(f"/competitions/events/{target.event_id}/nominations/").content.decode()
    assert name in sent and target.name in sent and name in received
    assert client_of(hr_of_a).get(f"/competitions/events/{s.event.pk}/nominations/").status_code == 404

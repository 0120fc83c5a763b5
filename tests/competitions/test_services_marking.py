"""Marks: the hot path, its refusals, recusal and panels, private entry, incremental totals, sign-off and
corrections (issue 4 items 3–5 and "Bad input")."""

from __future__ import annotations

import random
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from accounts.models import User
from audit.models import AuditEntry
from competitions import selectors, services
from competitions.adapters import domain_aspect
from competitions.domain import scoring
from competitions.live import event_group
from competitions.models import Entry, Mark, MarkRevision, Sheet, SheetStatus, StreamDelta
from competitions.selectors import MarkView
from competitions.services.stream import stream_sequence
from core.errors import Conflict, NotFound, PermissionDenied, RuleBroken
from tests.competitions.steps import Scenario, mark, mark_entry


def _listen(event_id: int) -> tuple[object, str]:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(event_group(event_id), channel)
    return layer, channel


def _nothing_changed(before: tuple[int, int, int]) -> None:
    assert (Mark.objects.count(), MarkRevision.objects.count(), AuditEntry.objects.count()) == before


def _counts() -> tuple[int, int, int]:
    return Mark.objects.count(), MarkRevision.objects.count(), AuditEntry.objects.count()


def _record(referee: User, entry: Entry, aspect_code: str, *, value: Decimal, idempotency_key: UUID) -> MarkView:
    return services.mark_record(referee=referee, skill_id=entry.skill_id, workstation_no=entry.workstation_no,
                                aspect_code=aspect_code, value=value, idempotency_key=idempotency_key)


def test_mark_record_saves_the_mark_audits_it_and_publishes_after_commit(
    scenario: Scenario, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    """The mark's board delta is a row of its transaction (competitions.services.stream); once the sequencer
    numbers it, the event's group is woken with the new seq, and nothing else leaves the mark's path."""
    s = scenario
    entry = s.entries_b[0]
    layer, channel = _listen(s.event.pk)
    key = uuid4()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        saved = _record(s.referee_a, entry, "A1", value=Decimal(20),
                                     idempotency_key=key)
    assert len(callbacks) == 1  # the sequencer's wake-up, in this process
    assert Mark.objects.get(pk=saved.id).value == Decimal(20) and saved.replayed is False
    audit = AuditEntry.objects.get(action="competitions.mark.recorded", target_id=str(saved.id))
    assert audit.old is None and audit.new["value"] == "20.0000" and audit.actor == s.referee_a
    delta = StreamDelta.objects.get(event=s.event)
    assert delta.kind == "mark" and delta.payload["workstation_no"] == entry.workstation_no
    assert delta.payload["practical"] == "20.0000" and delta.seq is None
    assert "total" not in delta.payload  # before decryption: the practical part alone (it carries no theory)
    assert "names" not in delta.payload  # the delta is anonymous: 工位号 only
    with django_capture_on_commit_callbacks(execute=True):
        assert stream_sequence(event_id=s.event.pk).numbered == 1
    message = async_to_sync(layer.receive)(channel)
    assert message["type"] == "stream.wake" and message["seq"] == 1

    # Changing the value before sign-off: the audit names old and new, the revision history keeps both.
    _record(s.referee_a, entry, "A1", value=Decimal(0), idempotency_key=uuid4())
    change = AuditEntry.objects.filter(action="competitions.mark.recorded", target_id=str(saved.id)).last()
    assert change.old == {"value": "20.0000"} and change.new["value"] == "0.0000"
    assert list(MarkRevision.objects.filter(mark_id=saved.id).values_list("value", flat=True)) == [20, 0]
    entry.refresh_from_db()
    assert entry.total == Decimal(0)


def test_a_retried_mark_with_the_same_key_changes_nothing(scenario: Scenario) -> None:
    s = scenario
    entry = s.entries_b[0]
    key = uuid4()
    first = _record(s.referee_a, entry, "A1", value=Decimal(20), idempotency_key=key)
    before = _counts()
    # The retry as the API and the page answer it, before anything else is read ...
    replayed = selectors.mark_replay(referee=s.referee_a, idempotency_key=key, skill_id=s.skill.pk,
                                     workstation_no=entry.workstation_no, aspect_code="A1")
    assert replayed is not None and replayed.id == first.id and replayed.replayed is True
    # ... and as the service answers a retry that raced its first attempt past that check.
    again = _record(s.referee_a, entry, "A1", value=Decimal(20), idempotency_key=key)
    assert again.id == first.id and again.replayed is True and again.value == first.value
    _nothing_changed(before)
    # The same key for another aspect is a client bug, not a retry.
    with pytest.raises(Conflict) as refused:
        selectors.mark_replay(referee=s.referee_a, idempotency_key=key, skill_id=s.skill.pk,
                              workstation_no=entry.workstation_no, aspect_code="A2")
    assert refused.value.code == "mark.idempotency_conflict"
    with pytest.raises(Conflict) as refused:
        _record(s.referee_a, entry, "A2", value=Decimal(60), idempotency_key=key)
    assert refused.value.code == "mark.idempotency_conflict"
    _nothing_changed(before)


def _refusal_audit(referee: User) -> AuditEntry:
    return AuditEntry.objects.filter(action="competitions.mark.refused", actor=referee).latest("pk")


def test_recused_referee_cannot_mark_own_unit_and_the_next_referee_fills_the_panel(scenario: Scenario) -> None:
    s = scenario
    own = s.entries_a[0]  # enterprise A, referee_a's employer
    marks_before = (Mark.objects.count(), MarkRevision.objects.count())
    with pytest.raises(PermissionDenied) as refused:
        mark(s.referee_a, own, s.aspects["J1"], 2)
    # Told as neutrally as any cell not theirs; the audit entry, not the answer, names the reason.
    assert refused.value.code == "mark.not_assigned" and "同属一个单位" not in refused.value.message
    assert (Mark.objects.count(), MarkRevision.objects.count()) == marks_before
    entry = _refusal_audit(s.referee_a)
    assert entry.reason == "recusal.same_organization" and entry.target_type == "competitions.skill"
    assert entry.new == {"aspect": "J1", "workstation_no": own.workstation_no, "refusal": "mark.not_assigned"}
    # r3 is fourth in priority: on A's panel (replacing referee_a), not on B's.
    mark(s.r3, own, s.aspects["J1"], 2)
    with pytest.raises(PermissionDenied) as not_on_panel:
        mark(s.r3, s.entries_b[0], s.aspects["J1"], 2)
    assert not_on_panel.value.code == "mark.not_assigned"


def test_declared_relationship_recuses_anywhere(scenario: Scenario) -> None:
    s = scenario
    entry = s.entries_b[0]
    services.relationship_declare(referee=s.r1, person=entry.members.get().person, reason="师徒关系")
    with pytest.raises(PermissionDenied) as refused:
        mark(s.r1, entry, s.aspects["J1"], 2)
    assert refused.value.code == "mark.not_assigned" and "申报" not in refused.value.message
    assert _refusal_audit(s.r1).reason == "recusal.declared_relationship"
    assert AuditEntry.objects.filter(action="competitions.relationship.declared").exists()


@pytest.mark.parametrize(
    ("aspect", "value", "code"),
    [("A1", "7", "mark.not_full_or_zero"), ("J1", "2.5", "mark.judgement_score_invalid"),
     ("J1", "4", "mark.judgement_score_invalid"), ("J2", "21", "mark.out_of_range"),
     ("J2", "-1", "mark.out_of_range")],
)
def test_values_outside_the_aspect_are_refused_and_change_nothing(
    scenario: Scenario, aspect: str, value: str, code: str
) -> None:
    s = scenario
    entry = s.entries_b[0]
    before = _counts()
    with pytest.raises(RuleBroken) as refused:
        mark(s.referee_a, entry, s.aspects[aspect], Decimal(value))
    assert refused.value.code == code and refused.value.status == 422
    _nothing_changed(before)


def test_unassigned_and_withdrawn_are_refused(scenario: Scenario, outsider, hr_of_b) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    entry = s.entries_b[0]
    before = _counts()
    with pytest.raises(NotFound):
        mark(outsider, entry, s.aspects["A1"], 20)  # not a referee of the skill: as the API has always answered
    with pytest.raises(PermissionDenied) as chief:
        mark(s.chief, entry, s.aspects["A1"], 20)  # the chief referee signs off, he is not on a panel
    assert chief.value.code == "mark.not_assigned"
    _nothing_changed((before[0], before[1], before[2] + 1))  # the refused attempt is audited, nothing else
    assert _refusal_audit(s.chief).reason == "mark.not_covered"
    services.entry_withdraw(actor=hr_of_b, entry=entry, reason="选手因伤退赛")
    before = _counts()
    with pytest.raises(Conflict) as refused:
        mark(s.referee_a, entry, s.aspects["A1"], 20)
    assert refused.value.code == "entry.withdrawn"
    _nothing_changed(before)


def test_private_entry_hides_other_panel_scores_until_my_own(scenario: Scenario) -> None:
    s = scenario
    entry, j1 = s.entries_b[0], s.aspects["J1"]
    mark(s.referee_a, entry, j1, 3)
    with pytest.raises(PermissionDenied) as hidden:
        selectors.aspect_scores(referee=s.r1, entry=entry, aspect=j1)
    assert hidden.value.code == "mark.scores_hidden"
    sheet = selectors.marking_sheet(referee=s.r1, skill=s.skill)
    no = entry.workstation_no
    cell = next(c for w in sheet.workstations if w.workstation_no == no for c in w.cells if c.aspect_code == "J1")
    assert cell.others is None and cell.my_value is None
    mark(s.r1, entry, j1, 2)
    assert sorted(selectors.aspect_scores(referee=s.r1, entry=entry, aspect=j1)) == [2, 3]
    sheet = selectors.marking_sheet(referee=s.r1, skill=s.skill)
    cell = next(c for w in sheet.workstations if w.workstation_no == no for c in w.cells if c.aspect_code == "J1")
    assert cell.others == [Decimal(3)] and cell.my_value == Decimal(2)
    # Referees see workstations, never names nor the entry behind a workstation: the view has no such field.
    assert not hasattr(sheet.workstations[0], "names") and not hasattr(sheet.workstations[0], "entry_id")


def test_incremental_totals_equal_a_full_recomputation(scenario: Scenario) -> None:
    s = scenario
    rng = random.Random(7)
    for entry in s.entries:
        mark_entry(s, entry, a1=rng.choice([0, 20]), a2=str(Decimal(60) + Decimal(rng.randint(-25, 25)) / 10),
                   j1=tuple(rng.randint(1, 2) for _ in range(3)),  # type: ignore[arg-type]
                   j2=tuple(str(rng.randint(1000, 2000) / 100) for _ in range(3)))  # type: ignore[arg-type]
    # Some changes of mind before sign-off.
    for entry in s.entries:
        panel = s.panel(entry)
        mark(panel[1], entry, s.aspects["J2"], Decimal(rng.randint(0, 2000)) / 100)
        mark(panel[0], entry, s.aspects["A1"], rng.choice([0, 20]))
    cached = dict(Entry.objects.filter(skill=s.skill).values_list("pk", "total"))
    assert selectors.skill_full_recompute(s.skill) == cached  # numpy path: every score set complete
    for entry in Entry.objects.filter(skill=s.skill):  # each module's cached score is its aspects' recomputed sum
        recomputed_modules: dict[str, Decimal] = {}
        for aspect in s.aspects.values():
            values = list(Mark.objects.filter(entry=entry, aspect=aspect).values_list("value", flat=True))
            result = scoring.score_aspect(domain_aspect(aspect), values).mark or Decimal(0)
            key = str(aspect.module_id)
            recomputed_modules[key] = recomputed_modules.get(key, Decimal(0)) + result
        assert {k: entry.module_score(int(k)) for k in recomputed_modules} == {
            k: v.quantize(Decimal("0.0001")) for k, v in recomputed_modules.items()}
        assert entry.practical == sum(entry.module_score(int(k)) for k in recomputed_modules)
    # An incomplete skill goes through the Decimal path and still agrees.
    Mark.objects.filter(entry=s.entries[0], aspect=s.aspects["J1"]).first().delete()
    recomputed = selectors.skill_full_recompute(s.skill)
    assert recomputed[s.entries[1].pk] == cached[s.entries[1].pk]


def test_sign_off_blocks_on_incomplete_and_divergent_aspects_until_the_chief_confirms(scenario: Scenario) -> None:
    s = scenario
    entry = s.entries_b[0]
    sheet = Sheet.objects.get(entry=entry, module__code="M2")
    with pytest.raises(Conflict) as incomplete:
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    assert incomplete.value.code == "sheet.incomplete"
    mark_entry(s, entry, j1=(0, 1, 3))  # max − min = 3 > 1: divergent
    with pytest.raises(Conflict) as divergent:
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    assert divergent.value.code == "sheet.divergent" and "J1" in divergent.value.message
    with pytest.raises(PermissionDenied):
        services.sheet_sign_off(chief=s.referee_a, sheet_id=sheet.pk, confirmations={"J1": "ok"})
    signed = services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk, confirmations={"J1": "复核录像，评分有据"})
    assert signed.status == SheetStatus.SIGNED_OFF and signed.signed_by == s.chief
    audit = AuditEntry.objects.get(action="competitions.sheet.signed_off", target_id=str(sheet.pk))
    assert audit.new["confirmed_divergences"] == {"J1": "复核录像，评分有据"}


def test_a_locked_sheet_changes_only_through_an_approved_correction(scenario: Scenario) -> None:
    s = scenario
    entry = s.entries_b[0]
    mark_entry(s, entry)
    sheet = Sheet.objects.get(entry=entry, module__code="M1")
    services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    before = _counts()
    with pytest.raises(Conflict) as locked:
        mark(s.referee_a, entry, s.aspects["A1"], 0)
    assert locked.value.code == "mark.sheet_locked"
    _nothing_changed(before)

    a1 = Mark.objects.get(entry=entry, aspect=s.aspects["A1"])
    with pytest.raises(Exception) as no_reason:
        services.correction_request(actor=s.referee_a, mark_id=a1.pk, new_value=Decimal(0), reason=" ")
    assert getattr(no_reason.value, "code", "") == "validation_failed"
    correction = services.correction_request(actor=s.referee_a, mark_id=a1.pk, new_value=Decimal(0),
                                             reason="复测焊缝尺寸超差")
    with pytest.raises(PermissionDenied):
        services.correction_approve(chief=s.referee_a, correction_id=correction.pk)
    entry.refresh_from_db()
    total_before = entry.total
    services.correction_approve(chief=s.chief, correction_id=correction.pk)
    a1.refresh_from_db()
    entry.refresh_from_db()
    assert a1.value == 0 and entry.total == total_before - 20
    corrected = AuditEntry.objects.get(action="competitions.mark.corrected", target_id=str(a1.pk))
    assert corrected.old == {"value": "20.0000"} and corrected.new["value"] == "0.0000"
    assert corrected.reason == "复测焊缝尺寸超差"
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SIGNED_OFF
    with pytest.raises(Conflict):
        services.correction_approve(chief=s.chief, correction_id=correction.pk)

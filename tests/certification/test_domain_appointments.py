"""The rule of appointments (certification.domain.appointments): every failure named by its field, the evidence's
kind read from its bytes, the term's days inclusive, endings within the term."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certification.domain.appointments import (
    MAX_EVIDENCE_BYTES,
    Evidence,
    EvidenceKind,
    Period,
    Proposal,
    Status,
    Title,
    check_appointment,
    check_ending,
    evidence_kind,
    last_day_held,
    renewal_start,
    status_on,
)
from certification.domain.ladder import Rung, SkillLevel

PDF = Evidence("聘任文件.pdf", 2048, b"%PDF-1.7\n%\xe2\xe3")
GOOD = Proposal(title=Title.PRINCIPAL, term_start=date(2025, 1, 1), term_end=date(2027, 12, 31),
                document_no="鲁重机人〔2025〕3号", evidence=PDF, enterprise_is_enterprise=True,
                member_of_enterprise=True, certified_on_start=SkillLevel.ONE, titles_on_start=frozenset(),
                titles_day_before=frozenset())


def codes(p: Proposal) -> dict[str, str]:
    return {e.field: e.code for e in check_appointment(p)}


def test_a_one_holder_member_with_a_term_and_evidence_may_be_appointed() -> None:
    assert check_appointment(GOOD) == []


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"certified_on_start": SkillLevel.TWO}, "person", "appointment.needs_level_one"),
    ({"certified_on_start": None}, "person", "appointment.needs_level_one"),
    ({"member_of_enterprise": False}, "person", "appointment.not_a_member"),
    ({"enterprise_is_enterprise": False}, "enterprise", "appointment.not_an_enterprise"),
    ({"term_end": date(2025, 1, 1)}, "term_end", "appointment.term_end_before_start"),
    ({"term_end": date(2024, 6, 1)}, "term_end", "appointment.term_end_before_start"),
    ({"document_no": "  "}, "document_no", "appointment.document_no_required"),
    ({"evidence": None}, "evidence", "appointment.evidence_required"),
    ({"evidence": Evidence("a.pdf", 0, b"")}, "evidence", "appointment.evidence_required"),
    ({"evidence": Evidence("a.pdf", MAX_EVIDENCE_BYTES + 1, b"%PDF-1.4")}, "evidence",
     "appointment.evidence_too_large"),
    ({"evidence": Evidence("a.exe", 100, b"MZ\x90\x00")}, "evidence", "appointment.evidence_type"),
    ({"same_title": (Period(date(2022, 1, 1), date(2025, 1, 1)),)}, "term_start", "appointment.overlaps"),
    ({"title": Title.CHIEF}, "title", "appointment.chief_needs_principal"),
])
def test_each_failure_names_its_field(change: dict[str, object], field: str, code: str) -> None:
    assert codes(replace(GOOD, **change)) == {field: code}  # type: ignore[arg-type]


def test_every_failure_is_reported_at_once() -> None:
    bad = replace(GOOD, title=Title.CHIEF, certified_on_start=None, member_of_enterprise=False,
                  term_end=date(2024, 1, 1), document_no="", evidence=None)
    assert [e.code for e in check_appointment(bad)] == [
        "appointment.not_a_member", "appointment.needs_level_one", "appointment.chief_needs_principal",
        "appointment.term_end_before_start", "appointment.document_no_required", "appointment.evidence_required"]
    message = check_appointment(replace(GOOD, certified_on_start=SkillLevel.TWO))[0].message
    assert "特级技师" in message and "2025-01-01" in message and "二级/技师" in message


def test_a_chief_needs_a_standing_principal_title_or_continues_as_chief() -> None:
    chief = replace(GOOD, title=Title.CHIEF)
    assert codes(replace(chief, titles_on_start=frozenset({Title.PRINCIPAL}))) == {}
    assert codes(replace(chief, titles_day_before=frozenset({Title.CHIEF}))) == {}  # a renewal
    assert codes(replace(chief, titles_day_before=frozenset({Title.PRINCIPAL}))) == {
        "title": "appointment.chief_needs_principal"}  # 特级技师 lapsed the day before the start
    assert Title.CHIEF.rung.requires_for_appointment() is Rung.PRINCIPAL


def test_terms_of_a_title_may_touch_but_not_overlap() -> None:
    current = Period(date(2022, 1, 1), date(2024, 12, 31))
    assert codes(replace(GOOD, same_title=(current,))) == {}  # the renewal starts the day after
    assert codes(replace(GOOD, same_title=(Period(date(2027, 12, 31), date(2030, 1, 1)),))) == {
        "term_start": "appointment.overlaps"}
    assert renewal_start(date(2024, 12, 31)) == date(2025, 1, 1)


@pytest.mark.parametrize(("name", "head", "kind"), [
    ("a.pdf", b"%PDF-1.4", EvidenceKind.PDF), ("A.PDF", b"%PDF-1.4", EvidenceKind.PDF),
    ("a.png", b"\x89PNG\r\n\x1a\n\0", EvidenceKind.PNG), ("a.jpg", b"\xff\xd8\xff\xe0", EvidenceKind.JPEG),
    ("a.jpeg", b"\xff\xd8\xff\xe1", EvidenceKind.JPEG),
    ("a.png", b"%PDF-1.4", None),  # renamed: the content decides, the name must agree
    ("a.pdf", b"<html><script>", None), ("a.svg", b"<svg", None), ("a.pdf", b"", None),
])
def test_the_evidence_kind_is_read_from_its_bytes(name: str, head: bytes, kind: EvidenceKind | None) -> None:
    assert evidence_kind(Evidence(name, 10, head)) is kind


def test_ending_early_falls_within_the_term_with_a_reason() -> None:
    term = {"term_start": date(2025, 1, 1), "term_end": date(2027, 12, 31)}
    assert check_ending(**term, ended_on=None, effective_on=date(2026, 3, 1), reason="本人辞职") == []
    assert check_ending(**term, ended_on=None, effective_on=date(2025, 1, 1), reason="登记后即解聘") == []
    assert {e.field for e in check_ending(**term, ended_on=None, effective_on=date(2028, 1, 1), reason="")} == {
        "effective_on", "reason"}
    assert [e.code for e in check_ending(**term, ended_on=date(2026, 1, 1), effective_on=date(2026, 3, 1),
                                         reason="x")] == ["appointment.already_ended"]


def test_status_and_last_day_on_each_side_of_the_term() -> None:
    term = {"term_start": date(2025, 1, 1), "term_end": date(2027, 12, 31)}
    assert status_on(**term, ended_on=None, on=date(2024, 12, 31)) is Status.UPCOMING
    assert status_on(**term, ended_on=None, on=date(2027, 12, 31)) is Status.ACTIVE
    assert status_on(**term, ended_on=None, on=date(2028, 1, 1)) is Status.EXPIRED
    assert status_on(**term, ended_on=date(2026, 3, 1), on=date(2026, 2, 28)) is Status.ACTIVE
    assert status_on(**term, ended_on=date(2026, 3, 1), on=date(2026, 3, 1)) is Status.ENDED
    assert last_day_held(date(2027, 12, 31), None) == date(2027, 12, 31)
    assert last_day_held(date(2027, 12, 31), date(2026, 3, 1)) == date(2026, 2, 28)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(days, days, days, days)
def test_overlap_is_symmetric_and_means_a_shared_day(a: date, b: date, c: date, d: date) -> None:
    (a, b), (c, d) = sorted((a, b)), sorted((c, d))
    shared = max(a, c) <= min(b, d)
    assert Period(a, b).overlaps(c, d) is shared is Period(c, d).overlaps(a, b)

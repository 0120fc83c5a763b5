"""The pieces of "no route from a 工位号 to a person before decryption" (issue 9 item 1), one at a time, on the small
welding scenario: sheets made in the draw's order, marking-stage objects owned by the organizer, the audit log's
redaction for whoever is not on the jury, and the salt that keeps a redacted entry's leaf from being guessed.
tests/competitions/test_no_deanonymisation.py walks everything the organizer and the admin read on the demo."""

from __future__ import annotations

from django.core.management import call_command
from django.test import Client

from accounts.models import Organization, Role, User
from audit import merkle
from audit.chain import EntryRecord
from audit.models import AuditEntry
from audit.redaction import REDACTED
from audit.sealing import audit_verify
from competitions import services
from competitions.domain.draws import workstation_sort_key
from competitions.models import Sheet
from competitions.selectors.anonymity import marking_stage_redactions
from tests.accounts.factories import person
from tests.accounts.steps import bearer
from tests.competitions import steps
from tests.competitions.steps import Scenario


def _signed_off_sheet(s: Scenario) -> Sheet:
    entry = s.entries_b[0]
    steps.mark_entry(s, entry)
    sheet = Sheet.objects.select_related("module").get(entry=entry, module__code="M1")
    services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    return sheet


def test_sheets_are_made_in_the_workstation_draws_order_not_the_entries(scenario: Scenario) -> None:
    sheets = list(Sheet.objects.select_related("entry", "module").order_by("pk"))
    stations = [sheet.entry.workstation_no for sheet in sheets]
    assert stations == sorted(stations, key=workstation_sort_key)
    assert [s.module.code for s in sheets] == ["M1", "M2"] * len(scenario.entries)
    # the draw did not happen to follow registration, or the check above would say nothing
    by_entry = sorted(scenario.entries, key=lambda e: e.pk)
    assert [e.workstation_no for e in by_entry] != sorted(e.workstation_no for e in by_entry)


def test_workstation_numbers_sort_naturally() -> None:
    assert sorted(["H10", "H2", "H1", "G3", "12", "3"], key=workstation_sort_key) == \
        ["3", "12", "G3", "H1", "H2", "H10"]


def test_the_nominating_units_staff_cannot_tell_their_sheets_and_marks_from_others(
    scenario: Scenario, enterprise_b: Organization, client: Client,
) -> None:
    """A sheet's and a mark's history belongs to the organizer: a 404 for the nominating unit's staff, as for any
    other sheet, so their own workstations are not answered one id at a time."""
    sheet = _signed_off_sheet(scenario)
    staff_of_b = person(Role.ORGANIZER_STAFF, enterprise_b, username="staff_b")
    mark = AuditEntry.objects.filter(action="competitions.mark.recorded").first()
    assert mark is not None
    for target_type, target_id in (("competitions.sheet", sheet.pk), ("competitions.mark", mark.target_id)):
        query = {"target_type": target_type, "target_id": target_id}
        assert client.get("/api/v1/audit/entries", query, **bearer(staff_of_b)).status_code == 404
        assert client.get("/api/v1/audit/entries", query, **bearer(scenario.organizer)).status_code == 200


def test_the_organizer_reads_sign_offs_and_marks_without_their_workstation_until_decryption(
    scenario: Scenario, client: Client, client_of,  # type: ignore[no-untyped-def]
) -> None:
    s = scenario
    sheet = _signed_off_sheet(s)
    query = {"target_type": "competitions.sheet", "target_id": sheet.pk}
    [signed] = client.get("/api/v1/audit/entries", query, **bearer(s.organizer)).json()
    assert signed["new"]["workstation_no"] == REDACTED and signed["redacted"] == ["workstation_no"]
    assert signed["new"]["module"] == "M1" and signed["new"]["status"] == "signed_off"  # the rest as written
    stored = AuditEntry.objects.get(pk=signed["id"])
    assert stored.new["workstation_no"] == sheet.entry.workstation_no  # the entry itself is untouched
    html = client_of(s.organizer).get("/audit/", query).content.decode()
    ws = sheet.entry.workstation_no
    # The page's labelled fields: 工位号 listed with the notice in place of its value, which appears nowhere.
    assert f">{ws}<" not in html and 'data-testid="audit-redacted"' in html
    assert '<tr data-key="workstation_no" data-redacted="true"><th scope="row">工位号</th>' in html
    assert f'<td data-col="new">{REDACTED}</td>' in html
    marks = AuditEntry.objects.filter(action="competitions.mark.recorded", new__workstation_no=ws)
    for entry in marks:
        query = {"target_type": entry.target_type, "target_id": entry.target_id}
        for shown in client.get("/api/v1/audit/entries", query, **bearer(s.organizer)).json():
            assert shown["new"]["workstation_no"] == REDACTED


def test_the_jury_and_the_encryption_officer_are_shown_the_workstation(scenario: Scenario) -> None:
    s = scenario
    _signed_off_sheet(s)
    entries = list(AuditEntry.objects.filter(action__in=["competitions.sheet.signed_off",
                                                          "competitions.mark.recorded"]))
    assert marking_stage_redactions(s.organizer, entries).keys() == {e.pk for e in entries}
    assert marking_stage_redactions(s.chief, entries) == {}
    assert marking_stage_redactions(s.r1, entries) == {}
    assert marking_stage_redactions(s.encryptor, entries) == {}


def test_after_decryption_everyone_who_reads_the_log_sees_the_workstation(
    scenario: Scenario, platform_admin: User,
) -> None:
    s = scenario
    for entry in s.entries:
        if not entry.marks.exists():
            steps.mark_entry(s, entry)
    for sheet in Sheet.objects.filter(entry__skill=s.skill, status="open"):
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    entries = list(AuditEntry.objects.filter(action="competitions.sheet.signed_off"))
    assert marking_stage_redactions(platform_admin, entries).keys() == {e.pk for e in entries}
    services.skill_decrypt(officer=s.encryptor, skill=s.skill)
    assert marking_stage_redactions(platform_admin, entries) == {}
    assert marking_stage_redactions(s.organizer, entries) == {}


def test_a_redacted_entrys_proof_withholds_its_salt_and_a_whole_one_opens_its_leaf(
    scenario: Scenario, client: Client,
) -> None:
    s = scenario
    _signed_off_sheet(s)
    call_command("audit_seal")
    signed = AuditEntry.objects.get(action="competitions.sheet.signed_off")
    proof = client.get(f"/api/v1/audit/entries/{signed.pk}/proof", **bearer(s.organizer)).json()
    assert proof["salt"] is None and signed.salt  # written with a salt, not handed to a reader shown it redacted
    # Without the salt, no workstation number of the skill reproduces the leaf: the hidden value cannot be guessed.
    for station in s.skill.workstations.values_list("number", flat=True):
        guess = EntryRecord(id=signed.pk, created_at=signed.created_at, actor_id=signed.actor_id,
                            actor_label=signed.actor_label, action=signed.action, target_type=signed.target_type,
                            target_id=signed.target_id, old=signed.old, new={**signed.new, "workstation_no": station},
                            reason=signed.reason, request_id=signed.request_id)
        assert merkle.leaf_hash(guess.leaf_data()).hex() != proof["leaf_hash"]
    whole = AuditEntry.objects.filter(action="competitions.scheme.frozen").get()
    opened = client.get(f"/api/v1/audit/entries/{whole.pk}/proof", **bearer(s.organizer)).json()
    record = EntryRecord(id=whole.pk, created_at=whole.created_at, actor_id=whole.actor_id,
                         actor_label=whole.actor_label, action=whole.action, target_type=whole.target_type,
                         target_id=whole.target_id, old=whole.old, new=whole.new, reason=whole.reason,
                         request_id=whole.request_id, salt=opened["salt"])
    assert opened["salt"] and merkle.leaf_hash(record.leaf_data()).hex() == opened["leaf_hash"]
    assert audit_verify().problem is None


def test_the_admin_sites_audit_page_shows_no_workstation_before_decryption(
    scenario: Scenario, platform_admin: User, client_of,  # type: ignore[no-untyped-def]
) -> None:
    s = scenario
    sheet = _signed_off_sheet(s)
    signed = AuditEntry.objects.get(action="competitions.sheet.signed_off")
    html = client_of(platform_admin).get(f"/admin/audit/auditentry/{signed.pk}/change/").content.decode()
    ws = sheet.entry.workstation_no
    assert f"workstation_no&quot;: &quot;{REDACTED}&quot;" in html and "signed_off" in html
    assert f"workstation_no&quot;: &quot;{ws}&quot;" not in html and signed.salt not in html

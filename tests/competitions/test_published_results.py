"""Published results do not move (issue 9 item 3): frozen at publication, read by the page, the API, the export and
a contestant's own results; changed only by an approved correction, as a new audited version."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from openpyxl import load_workbook

from accounts import services as accounts_services
from accounts.models import Organization, User
from audit.models import AuditEntry
from competitions import excel as workbooks
from competitions import selectors, services
from competitions.models import Entry, Event, PublishedResults
from competitions.selectors.standings import snapshot_refresh
from core.errors import Conflict
from tests.competitions import steps
from tests.competitions.steps import Scenario

API = "/api/v1/competitions/events/{}/results"
PAGE = "/competitions/events/{}/results/"


def _export_rows(s: Scenario) -> list[dict[str, object]]:
    sheet = load_workbook(io.BytesIO(workbooks.results_export(viewer=s.organizer, event=s.event,
                                                              skill=s.skill)))[workbooks.RESULTS.name]
    values = list(sheet.iter_rows(values_only=True))
    key_of = {c.header: c.key for c in workbooks.RESULTS.columns}
    keys = [key_of[str(h)] for h in values[0]]
    return [dict(zip(keys, row, strict=True)) for row in values[1:]]


def _first(s: Scenario) -> tuple[Entry, User, Organization]:
    entry = Entry.objects.select_related("unit").get(pk=s.entries[0].pk)
    return entry, entry.members.get().person, entry.unit


def test_renaming_a_contestant_and_a_unit_after_publication_changes_no_published_result(
    scenario: Scenario, client: Client, platform_admin: User
) -> None:
    s = scenario
    steps.mark_review_publish(s)
    entry, contestant, unit = _first(s)
    old_name, old_unit = contestant.real_name, unit.name
    page_before = client.get(PAGE.format(s.event.pk)).content.decode()
    api_before = client.get(API.format(s.event.pk)).json()
    export_before = _export_rows(s)
    assert old_name in page_before and old_unit in page_before

    accounts_services.person_update(actor=platform_admin, user=contestant,
                                    changes=accounts_services.PersonChanges(real_name="改名后"), reason="更名")
    Organization.objects.filter(pk=unit.pk).update(name="改名后的单位")  # what the admin site's save does
    snapshot_refresh(s.skill, force=True)  # any rebuild (a check, a cache fill) now reads the new names

    page = client.get(PAGE.format(s.event.pk)).content.decode()
    assert old_name in page and old_unit in page
    assert "改名后" not in page
    api = client.get(API.format(s.event.pk)).json()
    assert api == api_before
    export = _export_rows(s)
    assert [(r["name"], r["unit"], r["total"], r["place"]) for r in export] == [
        (r["name"], r["unit"], r["total"], r["place"]) for r in export_before]
    assert "改名后" not in str(export) and old_name in str(export)
    # The contestant's own results still show the published place.
    mine = selectors.my_entry_results(person=contestant)
    assert [m.place for m in mine if m.id == entry.pk] == [api_before["skills"][0]["rows"][0]["place"]]


def test_editing_the_event_rules_after_publication_changes_no_published_figure(scenario: Scenario,
                                                                                client: Client) -> None:
    s = scenario
    steps.mark_review_publish(s)
    before = client.get(API.format(s.event.pk)).json()
    assert any(r["award"] for r in before["skills"][0]["rows"])
    Event.objects.filter(pk=s.event.pk).update(min_total=Decimal(99))  # nobody would get an award any more
    assert client.get(API.format(s.event.pk)).json() == before


def test_publication_stores_version_1_and_audits_its_hash(scenario: Scenario) -> None:
    s = scenario
    steps.mark_review_publish(s)
    published = PublishedResults.objects.get(skill=s.skill)
    assert published.version == 1 and published.reason == "" and published.published_by == s.organizer
    entry, contestant, unit = _first(s)
    row = next(r for r in published.document["rows"] if r["entry"] == entry.pk)
    assert row["names"] == [contestant.real_name] and row["unit"] == unit.name
    assert row["members"] == [{"person": contestant.pk, "name": contestant.real_name}]
    assert [m["name"] for m in published.document["modules"]] == ["测量", "评价"]
    audit = AuditEntry.objects.get(action="competitions.results.published", target_id=str(s.skill.pk))
    assert audit.new == {"version": 1, "content_hash": published.content_hash, "rows": len(s.entries)}


def test_published_versions_cannot_be_changed_in_the_database(scenario: Scenario) -> None:
    s = scenario
    steps.mark_review_publish(s)
    with pytest.raises(DatabaseError), transaction.atomic():
        PublishedResults.objects.filter(skill=s.skill).update(reason="rewritten")
    assert PublishedResults.objects.get(skill=s.skill).reason == ""


def test_an_approved_correction_after_publication_makes_a_new_audited_version_the_results_show(
    scenario: Scenario, client: Client, platform_admin: User
) -> None:
    s = scenario
    steps.mark_review_publish(s)
    entry, contestant, _unit = _first(s)
    old_name = contestant.real_name
    accounts_services.person_update(actor=platform_admin, user=contestant,
                                    changes=accounts_services.PersonChanges(real_name="改名后"), reason="更名")
    before = client.get(API.format(s.event.pk)).json()["skills"][0]
    a1 = entry.marks.get(aspect=s.aspects["A1"])
    referee = User.objects.get(pk=a1.referee_id)
    correction = services.correction_request(actor=referee, mark_id=a1.pk, new_value=Decimal(0),
                                             reason="复核发现焊缝尺寸超差")
    services.correction_approve(chief=s.chief, correction_id=correction.pk)

    latest = PublishedResults.objects.filter(skill=s.skill).order_by("-version").first()
    assert latest is not None and latest.version == 2 and latest.correction == correction
    assert latest.reason == "复核发现焊缝尺寸超差"
    audit = AuditEntry.objects.get(action="competitions.results.corrected")
    first = PublishedResults.objects.get(skill=s.skill, version=1)
    assert audit.reason == "复核发现焊缝尺寸超差" and audit.actor_id == s.chief.pk
    assert audit.old == {"version": 1, "content_hash": first.content_hash}
    assert audit.new["version"] == 2 and audit.new["content_hash"] == latest.content_hash
    assert {(c["workstation_no"], c["field"]) for c in audit.new["changed"]} >= {(entry.workstation_no, "total")}

    after = client.get(API.format(s.event.pk)).json()["skills"][0]
    row = next(r for r in after["rows"] if r["workstation_no"] == entry.workstation_no)
    old_row = next(r for r in before["rows"] if r["workstation_no"] == entry.workstation_no)
    assert Decimal(row["total"]) == Decimal(old_row["total"]) - 20
    assert row["names"] == [old_name]  # who competed stays as published
    assert after["published_version"] == 2
    assert [c["reason"] for c in after["corrections"]] == ["复核发现焊缝尺寸超差"]
    page = client.get(PAGE.format(s.event.pk)).content.decode()
    assert 'data-testid="corrected"' in page and "复核发现焊缝尺寸超差" in page and "改名后" not in page
    export = _export_rows(s)
    assert Decimal(str(next(r for r in export if r["name"] == old_name)["total"])) == Decimal(row["total"])


def test_a_correction_before_publication_stores_no_published_version(scenario: Scenario) -> None:
    s = scenario
    steps.bring_to_review(s)
    a1 = s.entries[0].marks.get(aspect=s.aspects["A1"])
    correction = services.correction_request(actor=User.objects.get(pk=a1.referee_id), mark_id=a1.pk,
                                             new_value=Decimal(0), reason="复测超差")
    services.correction_approve(chief=s.chief, correction_id=correction.pk)
    assert not PublishedResults.objects.filter(skill=s.skill).exists()


def test_completion_time_is_fixed_once_results_are_under_review(scenario: Scenario) -> None:
    s = scenario
    steps.bring_to_review(s)
    with pytest.raises(Conflict) as refused:
        services.entry_completion_time_record(actor=s.organizer, entry=s.entries[0], completion_time=None)
    assert refused.value.code == "completion_time.results_fixed"
    assert Entry.objects.get(pk=s.entries[0].pk).completion_time == s.entries[0].completion_time

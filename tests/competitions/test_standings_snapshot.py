"""The standings snapshot (competitions.selectors.standings, competitions.services.standings; issue 8 item 5): it
equals a full recomputation from the marks after a stream of marks, corrections and publication; the mark path
writes nothing of it; a corrupted snapshot or cache is reported to the chief referee, logged, audited and blocks
the move, never silently replaced; the results answer carries an ETag (304) and has a query budget."""

from __future__ import annotations

import gzip
import json
import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from competitions import selectors, services
from competitions.models import Entry, Mark, Sheet, Skill, StandingsCheck, StandingsSnapshot, Status
from competitions.selectors.standings import CHECKED_FIELDS, rows_from_marks
from core.errors import Conflict
from tests.accounts.steps import bearer
from tests.competitions import steps
from tests.competitions.steps import Scenario, mark, mark_entry

URL = "/api/v1/competitions/events/{}/results"


def _snapshot_rows(s: Scenario) -> list[dict[str, Any]]:
    skill = type(s.skill).objects.select_related("event", "scheme").get(pk=s.skill.pk)
    return selectors.skill_snapshot(skill).rows


def _assert_snapshot_equals_full_recompute(s: Scenario) -> None:
    skill = type(s.skill).objects.select_related("event", "scheme").get(pk=s.skill.pk)
    stored = selectors.skill_snapshot(skill).rows
    _codes, recomputed = rows_from_marks(skill)
    assert [{k: r[k] for k in ("entry", *CHECKED_FIELDS)} for r in stored] == [
        {k: r[k] for k in ("entry", *CHECKED_FIELDS)} for r in recomputed]


def _random_marks(s: Scenario, rng: random.Random) -> None:
    for entry in s.entries:
        mark_entry(s, entry, a1=rng.choice([0, 20]), a2=str(Decimal(60) + Decimal(rng.randint(-25, 25)) / 10),
                   j1=tuple(rng.randint(1, 3) for _ in range(3)),  # type: ignore[arg-type]
                   j2=tuple(str(rng.randint(1000, 2000) / 100) for _ in range(3)))  # type: ignore[arg-type]


def test_the_snapshot_equals_the_full_recompute_through_marks_corrections_and_publication(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    rng = random.Random(20260901)
    mark_entry(s, s.entries[0])  # one entry marked: the others incomplete (the Decimal path)
    _assert_snapshot_equals_full_recompute(s)
    _random_marks(s, rng)
    _assert_snapshot_equals_full_recompute(s)
    for _round in range(3):  # changes of mind before sign-off, each read in between
        for entry in s.entries:
            panel = s.panel(entry)
            mark(rng.choice(panel), entry, s.aspects["J2"], Decimal(rng.randint(0, 2000)) / 100)
            mark(panel[0], entry, s.aspects["A1"], rng.choice([0, 20]))
        _assert_snapshot_equals_full_recompute(s)
    services.entry_completion_time_record(actor=s.organizer, entry=s.entries[1], completion_time=timedelta(hours=3))
    _assert_snapshot_equals_full_recompute(s)
    for sheet in Sheet.objects.filter(entry__skill=s.skill):  # random panels diverge: the chief confirms
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk, confirmations={"J1": "已复核", "J2": "已复核"})
    snapshot = StandingsSnapshot.objects.get(skill=s.skill)
    assert snapshot.check_status == StandingsCheck.AGREES and snapshot.check_scope == "sign_off:skill"
    # A correction after sign-off (two people) moves the standings; the snapshot follows on the next read.
    a1 = Mark.objects.filter(entry=s.entries[2], aspect=s.aspects["A1"]).get()
    correction = services.correction_request(actor=s.panel(s.entries[2])[0], mark_id=a1.pk,
                                             new_value=Decimal(20) - a1.value, reason="复测")
    services.correction_approve(chief=s.chief, correction_id=correction.pk)
    _assert_snapshot_equals_full_recompute(s)
    row = next(r for r in _snapshot_rows(s) if r["entry"] == s.entries[2].pk)
    assert row["total"] == str(Entry.objects.get(pk=s.entries[2].pk).total)
    services.skill_decrypt(officer=s.encryptor, skill=s.skill)
    services.event_transition(actor=s.organizer, event=s.event, target=Status.REVIEW)
    steps.publish(s)
    _assert_snapshot_equals_full_recompute(s)
    snapshot.refresh_from_db()
    assert snapshot.check_status == StandingsCheck.AGREES and snapshot.check_scope == Status.PUBLISHED
    public = client.get(URL.format(s.event.pk)).json()["skills"][0]["rows"]
    assert [(r["place"], r["total"]) for r in public] == [(r["place"], r["total"]) for r in _snapshot_rows(s)]


def test_the_mark_path_writes_nothing_of_the_snapshot(scenario: Scenario) -> None:
    """The choice of the module docstring: a mark touches no per-skill row; the trigger moves its own entry."""
    s = scenario
    mark_entry(s, s.entries[0])
    _snapshot_rows(s)
    before = Entry.objects.get(pk=s.entries[1].pk).standings_seq
    with CaptureQueriesContext(connection) as queries:
        mark(s.panel(s.entries[1])[0], s.entries[1], s.aspects["A1"], 20)
    assert not [q for q in queries.captured_queries if "standingssnapshot" in q["sql"].lower()]
    assert Entry.objects.get(pk=s.entries[1].pk).standings_seq == before + 1
    assert StandingsSnapshot.objects.get(skill=s.skill).watermark_seq != sum(
        Entry.objects.filter(skill=s.skill).values_list("standings_seq", flat=True))


def test_the_watermark_counts_changes_the_standings_read_and_only_the_database_writes_it(scenario: Scenario) -> None:
    s = scenario
    entry = s.entries[0]
    seq = Entry.objects.get(pk=entry.pk).standings_seq
    Entry.objects.filter(pk=entry.pk).update(review_reason="不影响成绩")
    assert Entry.objects.get(pk=entry.pk).standings_seq == seq
    services.entry_completion_time_record(actor=s.organizer, entry=entry, completion_time=timedelta(hours=2))
    assert Entry.objects.get(pk=entry.pk).standings_seq == seq + 1
    Entry.objects.filter(pk=entry.pk).update(standings_seq=0)  # the application cannot move it back
    assert Entry.objects.get(pk=entry.pk).standings_seq == seq + 1


def _corrupt_total(s: Scenario, entry: Entry) -> str:
    snapshot = StandingsSnapshot.objects.get(skill=s.skill)
    rows = snapshot.rows
    row = next(r for r in rows if r["entry"] == entry.pk)
    row["total"] = "99.99"
    # The row is edited, the watermark left alone: the snapshot still claims to be current.
    StandingsSnapshot.objects.filter(skill=s.skill).update(rows=rows)
    return str(row["workstation_no"])


def test_a_corrupted_snapshot_is_reported_to_the_chief_at_sign_off_and_never_replaced(
    scenario: Scenario, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    s = scenario
    for entry in s.entries:
        mark_entry(s, entry)
    _snapshot_rows(s)
    entry = s.entries[1]
    workstation = _corrupt_total(s, entry)
    sheet = Sheet.objects.filter(entry=entry).order_by("module__position").first()
    assert sheet is not None
    with caplog.at_level(logging.ERROR, logger="competitions.standings"):
        answer = client.post(f"/api/v1/competitions/sheets/{sheet.pk}/sign-off", data={},
                             content_type="application/json", **bearer(s.chief))
    assert answer.status_code == 200
    check = answer.json()["standings_check"]
    assert check["status"] == "mismatch"
    assert {"workstation_no": workstation, "field": "total", "snapshot": "99.99",
            "recomputed": str(Entry.objects.get(pk=entry.pk).total)} in check["mismatches"]
    assert any("disagrees" in r.getMessage() for r in caplog.records)
    assert AuditEntry.objects.filter(action="competitions.standings.mismatch", target_id=str(s.skill.pk)).exists()
    # Never silently replaced: the snapshot still holds what it held.
    assert next(r for r in StandingsSnapshot.objects.get(skill=s.skill).rows if r["entry"] == entry.pk)[
        "total"] == "99.99"
    client.force_login(s.chief)
    page = client.get(f"/competitions/skills/{s.skill.pk}/sheets/").content.decode()
    assert 'data-testid="standings-mismatch"' in page and workstation in page
    # The skill cannot go to review while the last check disagrees.
    for other in Sheet.objects.filter(entry__skill=s.skill, status="open"):
        services.sheet_sign_off(chief=s.chief, sheet_id=other.pk)
    services.skill_decrypt(officer=s.encryptor, skill=s.skill)
    with pytest.raises(Conflict) as refused:
        services.event_transition(actor=s.organizer, event=s.event, target=Status.REVIEW)
    assert "成绩快照" in str(refused.value.params)


def test_a_cache_that_drifted_from_the_marks_refuses_review(
    scenario: Scenario, caplog: pytest.LogCaptureFixture
) -> None:
    """The whole-skill check at the move to review catches a cached total moved wrongly (here by hand)."""
    s = scenario
    for entry in s.entries:
        mark_entry(s, entry)
    for sheet in Sheet.objects.filter(entry__skill=s.skill):
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    services.skill_decrypt(officer=s.encryptor, skill=s.skill)
    Entry.objects.filter(pk=s.entries[0].pk).update(total=Decimal("12.34"))
    with caplog.at_level(logging.ERROR, logger="competitions.standings"), pytest.raises(Conflict) as refused:
        services.event_transition(actor=s.organizer, event=s.event, target=Status.REVIEW)
    assert refused.value.code == "standings.mismatch"
    assert s.entries[0].workstation_no in refused.value.params["workstations"]
    assert any("disagrees" in r.getMessage() for r in caplog.records)
    s.refresh()
    assert s.skill.status == Status.MARKING


def test_the_results_answer_carries_an_etag_and_answers_304_until_the_standings_change(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    steps.bring_to_review(s)
    url = URL.format(s.event.pk)
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag and "private" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(packed.content)) == first.json()
    # A correction under review moves a total: a new version, a new body.
    a1 = Mark.objects.filter(entry=s.entries[0], aspect=s.aspects["A1"]).get()
    correction = services.correction_request(actor=s.panel(s.entries[0])[0], mark_id=a1.pk, new_value=Decimal(0),
                                             reason="复测")
    services.correction_approve(chief=s.chief, correction_id=correction.pk)
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    row = next(r for r in changed.json()["skills"][0]["rows"] if r["workstation_no"] == s.entries[0].workstation_no)
    assert row["total"] == str(Entry.objects.get(pk=s.entries[0].pk).total)
    # The answer still tells no entry id (results module docstring).
    assert all("entry" not in r and "entry_id" not in r for r in changed.json()["skills"][0]["rows"])


def test_the_jury_and_the_public_never_share_an_answer(scenario: Scenario, client: Client) -> None:
    s = scenario
    mark_entry(s, s.entries[0])
    url = URL.format(s.event.pk)
    jury = client.get(url, **bearer(s.chief))
    assert jury.status_code == 200
    assert client.get(url, HTTP_IF_NONE_MATCH=jury["ETag"]).status_code == 404  # the public sees nothing yet


def test_the_results_read_has_a_query_budget(
    scenario: Scenario, client: Client, django_assert_max_num_queries: Any
) -> None:
    s = scenario
    steps.mark_review_publish(s)
    url = URL.format(s.event.pk)
    etag = client.get(url)["ETag"]  # the snapshot is current from here on
    with django_assert_max_num_queries(1):
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200
    selectors.standings.ENCODED.clear()
    with django_assert_max_num_queries(2):  # the encoded answer dropped: the rows are read once more
        assert client.get(url).status_code == 200


@contextmanager
def _snapshot_locked_elsewhere(skill: Skill) -> Iterator[None]:
    """Another transaction, on its own connection, holds the skill's snapshot row locked (as a rebuild does) until
    the block ends; this connection waits at most 2 s for any lock meanwhile (PostgreSQL)."""
    import threading

    from django.db import connections, transaction

    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        try:
            with transaction.atomic():
                list(StandingsSnapshot.objects.select_for_update().filter(skill=skill))
                held.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(30)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '2s'")
        yield
    finally:
        release.set()
        thread.join()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_holding_the_snapshot_lock_does_not_hold_up_a_mark(scenario: Scenario) -> None:
    """PostgreSQL: while a reader holds the snapshot row (as a rebuild does), a mark of the skill still commits
    with a lock timeout set, so it takes no lock on that row."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks and lock_timeout: PostgreSQL")
    s = scenario
    mark_entry(s, s.entries[0])
    _snapshot_rows(s)
    with _snapshot_locked_elsewhere(s.skill):
        mark(s.panel(s.entries[1])[0], s.entries[1], s.aspects["A1"], 20)
        assert Mark.objects.filter(entry=s.entries[1], aspect=s.aspects["A1"]).exists()


def test_the_results_page_is_rendered_once_per_version_and_follows_a_correction(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    steps.bring_to_review(s)
    page_url = f"/competitions/events/{s.event.pk}/results/"
    first = client.get(page_url).content.decode()
    entry = Entry.objects.get(pk=s.entries[0].pk)
    assert f"<strong>{entry.total}</strong>" in first
    a1 = Mark.objects.filter(entry=entry, aspect=s.aspects["A1"]).get()
    correction = services.correction_request(actor=s.panel(entry)[0], mark_id=a1.pk, new_value=Decimal(0),
                                             reason="复测")
    services.correction_approve(chief=s.chief, correction_id=correction.pk)
    entry.refresh_from_db()
    after = client.get(page_url).content.decode()
    assert f"<strong>{entry.total}</strong>" in after and after != first
    # Rendered once per version: the same version answers the same sections again (the shell's CSRF token aside).
    again = client.get(page_url).content.decode()
    assert again[again.index("<h1>"):] == after[after.index("<h1>"):]


def test_a_module_score_cache_that_drifted_is_reported_at_its_sign_off(scenario: Scenario) -> None:
    """The sign-off's own check recomputes the signed entry from its marks and compares its cached totals too."""
    s = scenario
    for entry in s.entries:
        mark_entry(s, entry)
    _snapshot_rows(s)
    entry = s.entries[2]
    sheet = Sheet.objects.filter(entry=entry).order_by("module__position").first()
    assert sheet is not None
    current = Entry.objects.get(pk=entry.pk)
    drifted = {**current.module_scores, str(sheet.module_id): str(current.module_score(sheet.module_id) + 1)}
    Entry.objects.filter(pk=entry.pk).update(module_scores=drifted)
    services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    check = selectors.standings_check_view(s.skill)
    assert check.status == StandingsCheck.MISMATCH
    assert [m.field for m in check.mismatches] == ["cache.module_scores"]
    assert check.mismatches[0].workstation_no == entry.workstation_no


def test_an_event_id_past_64_bits_is_refused_naming_it(client: Client) -> None:
    """Every API id is a core.schemas.RowId: a number no key can hold is a 422 naming the parameter."""
    for far in (2**64, -(2**64)):
        response = client.get(URL.format(far))
        assert response.status_code == 422 and "event_id" in str(response.json())


def test_the_rebuild_from_flat_queries_equals_the_ranked_entries_with_names(scenario: Scenario) -> None:
    """rows_from_caches reads names and units by two flat queries instead of a prefetch: the same rows, names and
    units included, as `ranked_entries(names=True)` gives."""
    from competitions.selectors.results import ranked_entries
    from competitions.selectors.standings import _row, rows_from_caches

    s = scenario
    steps.bring_to_review(s)
    skill = type(s.skill).objects.select_related("event", "scheme").get(pk=s.skill.pk)
    _codes, rows = rows_from_caches(skill)
    assert rows == [_row(r) for r in ranked_entries(skill, names=True)]
    assert all(r["names"] and r["unit"] for r in rows)


def _correct_a1(s: Scenario, entry: Entry, value: Decimal) -> None:
    a1 = Mark.objects.filter(entry=entry, aspect=s.aspects["A1"]).get()
    correction = services.correction_request(actor=s.panel(entry)[0], mark_id=a1.pk, new_value=value, reason="复测")
    services.correction_approve(chief=s.chief, correction_id=correction.pk)


def test_while_a_new_version_is_encoded_other_readers_get_the_previous_one_saying_so(
    scenario: Scenario, client: Client
) -> None:
    """A crowd re-asking right after a change costs one encoding: while one thread of the process encodes the new
    version, the others get the previous answer of the same family, with its own ETag and the stale header."""
    from django.contrib.auth.models import AnonymousUser

    from competitions.api.common import _ONE_ENCODER, STALE_HEADER

    s = scenario
    steps.bring_to_review(s)
    url = URL.format(s.event.pk)
    before = client.get(url)
    assert before.status_code == 200 and STALE_HEADER not in before
    _correct_a1(s, s.entries[0], Decimal(0))
    new = selectors.event_results_version(viewer=AnonymousUser(), event_id=s.event.pk)
    assert f'"{new.etag}"' != before["ETag"]
    lock = _ONE_ENCODER.lock(new.etag)
    with lock:  # as another thread encoding the new version holds it
        meanwhile = client.get(url)
    _ONE_ENCODER.done(new.etag)
    assert meanwhile.status_code == 200 and meanwhile[STALE_HEADER] == "rebuilding"
    assert meanwhile["ETag"] == before["ETag"] and meanwhile.json() == before.json()
    after = client.get(url, HTTP_IF_NONE_MATCH=meanwhile["ETag"])
    assert after.status_code == 200 and after["ETag"] == f'"{new.etag}"' and STALE_HEADER not in after
    row = next(r for r in after.json()["skills"][0]["rows"] if r["workstation_no"] == s.entries[0].workstation_no)
    assert row["total"] == str(Entry.objects.get(pk=s.entries[0].pk).total)


@pytest.mark.django_db(transaction=True)
def test_readers_get_the_previous_version_at_once_while_another_rebuilds_the_snapshot(scenario: Scenario) -> None:
    """PostgreSQL: while one reader holds the snapshot row to rebuild it, another reader of the lagging skill is
    not held up (a lock timeout is set): it gets the previous version with the stale header, the API and the page;
    the next read after the rebuild gets the new one."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks and lock_timeout: PostgreSQL")
    from competitions.api.common import STALE_HEADER

    s = scenario
    steps.bring_to_review(s)
    client = Client()
    url = URL.format(s.event.pk)
    before = client.get(url)
    _correct_a1(s, s.entries[0], Decimal(0))
    with _snapshot_locked_elsewhere(s.skill):
        meanwhile = client.get(url)
        assert meanwhile.status_code == 200 and meanwhile[STALE_HEADER] == "rebuilding"
        assert meanwhile["ETag"] == before["ETag"] and meanwhile.json() == before.json()
        revalidated = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
        assert revalidated.status_code == 304 and revalidated[STALE_HEADER] == "rebuilding"
        page = client.get(f"/competitions/events/{s.event.pk}/results/").content.decode()
        assert 'data-testid="standings-stale"' in page
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and STALE_HEADER not in after and after["ETag"] != before["ETag"]
    row = next(r for r in after.json()["skills"][0]["rows"] if r["workstation_no"] == s.entries[0].workstation_no)
    assert row["total"] == str(Entry.objects.get(pk=s.entries[0].pk).total)
    page = client.get(f"/competitions/events/{s.event.pk}/results/").content.decode()
    assert 'data-testid="standings-stale"' not in page

"""Heads and proofs through the API: heads and consistency proofs for anyone, an inclusion proof for whoever may
see the entry, sealing on demand for the admin; the history shows entry ids and leaf indexes; heads export."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.actors import SYSTEM
from accounts.models import Organization, User
from audit import merkle
from audit.sealing import read_heads
from tasks.models import TaskProgress
from tests.accounts.steps import bearer
from tests.audit.steps import record


def test_anyone_reads_the_signed_heads(organizer_unit: Organization, client: Client) -> None:
    record(SYSTEM, organizer_unit, 3, seal_each=True)
    heads = client.get("/api/v1/audit/heads").json()
    assert [h["tree_size"] for h in heads] == [1, 2, 3]
    assert set(heads[0]) == {"tree_size", "root_hash", "timestamp", "timestamp_ms", "key_id", "signature"}
    assert [h["tree_size"] for h in client.get("/api/v1/audit/heads", {"after_size": 1}).json()] == [2, 3]
    assert client.get("/api/v1/audit/heads/latest").json() == heads[-1]


def test_there_is_no_latest_head_before_the_first_seal(client: Client, db: None) -> None:
    assert client.get("/api/v1/audit/heads/latest").status_code == 404


def test_a_consistency_proof_between_two_heads_verifies(organizer_unit: Organization, client: Client) -> None:
    record(SYSTEM, organizer_unit, 7, seal_each=True)
    body = client.get("/api/v1/audit/consistency", {"first": 3, "second": 7}).json()
    assert merkle.verify_consistency(first_size=3, second_size=7, first_root=bytes.fromhex(body["first"]["root_hash"]),
                                     second_root=bytes.fromhex(body["second"]["root_hash"]),
                                     proof=[bytes.fromhex(p) for p in body["path"]])
    assert client.get("/api/v1/audit/consistency", {"first": 7, "second": 3}).status_code == 422
    assert client.get("/api/v1/audit/consistency", {"first": 3, "second": 99}).status_code == 404


def test_an_inclusion_proof_is_for_whoever_may_see_the_entry(
    organizer: User, organizer_unit: Organization, hr_of_a: User, outsider: User, client: Client
) -> None:
    auth = bearer(organizer)  # issuing the token is audited too: one more entry before ours
    entries = record(SYSTEM, organizer_unit, 5)
    url = f"/api/v1/audit/entries/{entries[3].pk}/proof"
    assert client.get(url, **auth).status_code == 409  # not sealed yet
    call_command("audit_seal")
    body = client.get(url, **auth).json()
    assert body["leaf_index"] == 4 and body["head"]["tree_size"] == 6
    assert merkle.verify_inclusion(index=4, tree_size=6, leaf=bytes.fromhex(body["leaf_hash"]),
                                   proof=[bytes.fromhex(p) for p in body["path"]],
                                   expected_root=bytes.fromhex(body["head"]["root_hash"]))
    assert client.get(url, **bearer(hr_of_a)).status_code == 404
    assert client.get(url, **bearer(outsider)).status_code == 404
    assert client.get(url).status_code == 401
    assert client.get("/api/v1/audit/entries/999999/proof", **auth).status_code == 404


def test_the_history_shows_each_entry_id_and_its_leaf_once_sealed(
    organizer: User, organizer_unit: Organization, client: Client, client_of  # type: ignore[no-untyped-def]
) -> None:
    entries = record(organizer, organizer_unit, 2)
    call_command("audit_seal")
    entries += record(organizer, organizer_unit, 1)
    url = "/api/v1/audit/entries"
    params = {"target_type": "accounts.organization", "target_id": organizer_unit.pk}
    body = client.get(url, params, **bearer(organizer)).json()
    assert [(e["id"], e["leaf_index"]) for e in body] == [(entries[0].pk, 0), (entries[1].pk, 1), (entries[2].pk, None)]
    html = client_of(organizer).get("/audit/", params).content.decode()
    assert f'data-entry="{entries[2].pk}"' in html and f"编号 {entries[2].pk}" in html and "待封存" in html


def test_only_the_admin_seals_on_demand(
    organizer: User, platform_admin: User, organizer_unit: Organization, client: Client
) -> None:
    assert client.post("/api/v1/audit/seal", **bearer(organizer)).status_code == 403
    started = client.post("/api/v1/audit/seal", **bearer(platform_admin))
    assert started.status_code == 202
    assert TaskProgress.objects.get(pk=started.json()["task_id"]).kind == "audit.seal"


def test_heads_export_as_json_lines_that_read_back(organizer_unit: Organization, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    record(SYSTEM, organizer_unit, 2, seal_each=True)
    call_command("audit_export_heads")
    lines = capsys.readouterr().out.splitlines()
    assert [h.tree_size for h in read_heads(lines)] == [1, 2]
    call_command("audit_export_heads", "--after-size", "1", "--output", str(tmp_path / "h.jsonl"))
    assert [h.tree_size for h in read_heads((tmp_path / "h.jsonl").read_text().splitlines())] == [2]

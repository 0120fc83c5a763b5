"""Draw records anyone can re-run (issue 9 item 15; DESIGN.md "Anonymity"): the draws page offers each draw as a
JSON record (algorithm, seed, inputs in the draw's order, result), and `python -m competitions.draws verify FILE`
re-runs it in a process with no database and no Django settings. Records follow the page's secrecy: before
decryption only the encryption officer gets the workstation draw, and nobody the check-in draw."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from competitions import services
from competitions.domain.draws import verify_record
from competitions.models import Draw, DrawStage, Sheet
from tests.accounts.steps import bearer
from tests.competitions.steps import Scenario, mark_entry


def _verify_cli(record: dict[str, object], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    return subprocess.run([sys.executable, "-m", "competitions.draws", "verify", str(path)],  # noqa: S603
                          cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False)


def test_records_follow_the_pages_secrecy_and_re_run_offline(scenario: Scenario, client_of, client,  # type: ignore[no-untyped-def]
                                                             tmp_path: Path) -> None:
    s = scenario
    checkin = Draw.objects.filter(skill=s.skill, stage=DrawStage.CHECKIN).latest("pk")
    workstation = Draw.objects.filter(skill=s.skill, stage=DrawStage.WORKSTATION).latest("pk")
    officer = client_of(s.encryptor)
    page = officer.get(f"/competitions/events/{s.event.pk}/draws/").content.decode()
    assert f"/competitions/draws/{workstation.pk}/record.json" in page
    assert f"/competitions/draws/{checkin.pk}/record.json" not in page  # would tie people to 检录号
    assert officer.get(f"/competitions/draws/{checkin.pk}/record.json").status_code == 403
    assert client_of(s.organizer).get(f"/competitions/draws/{workstation.pk}/record.json").status_code == 403
    assert client_of(s.referee_a).get(f"/competitions/draws/{workstation.pk}/record.json").status_code in (403, 404)

    officer = client_of(s.encryptor)  # client_of signs the one test client in as each person in turn
    download = officer.get(f"/competitions/draws/{workstation.pk}/record.json")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    record = json.loads(download.content)
    assert record["algorithm"] == "draw-v1" and record["seed"] == workstation.seed
    assert record["inputs"]["checkin_nos"] == sorted(record["inputs"]["checkin_nos"])
    assert verify_record(record).ok
    done = _verify_cli(record, tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("OK"), done.stdout + done.stderr

    tampered = {**record, "result": [[record["result"][0][0], record["result"][1][1]], *record["result"][1:]]}
    bad = _verify_cli(tampered, tmp_path)
    assert bad.returncode == 1 and "MISMATCH" in bad.stdout and "re-run gives" in bad.stdout

    # After decryption the organizer gets both, through the page and the API, and the page shows the inputs.
    for entry in s.entries:
        mark_entry(s, entry)
    for sheet in Sheet.objects.filter(entry__skill=s.skill):
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    services.skill_decrypt(officer=s.encryptor, skill=s.skill)
    first = client.get(f"/api/v1/competitions/draws/{checkin.pk}/record", **bearer(s.organizer))
    assert first.status_code == 200
    record = first.json()
    assert record["inputs"]["registration_nos"] == sorted(e.pk for e in s.entries)
    assert record["about"]["registrations"][str(s.entries[0].pk)]["unit"] == s.entries[0].unit.name
    assert _verify_cli(record, tmp_path).returncode == 0
    shown = client_of(s.organizer).get(f"/competitions/events/{s.event.pk}/draws/").content.decode()
    assert f"<td>{s.entries[0].pk}</td>" in shown  # 报名编号, the check-in draw's input, on the page


def test_a_file_that_is_no_record_is_named_so(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("{not json", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run([sys.executable, "-m", "competitions.draws", "verify", str(path)],  # noqa: S603
                          cwd=Path(__file__).resolve().parents[2], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 2 and "cannot read" in done.stderr
    assert not verify_record({"format": "something else"}).ok
    assert "cannot re-run" in verify_record({"format": "jineng-draw-record/1", "algorithm": "draw-v0"}).problem

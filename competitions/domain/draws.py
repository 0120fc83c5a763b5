"""The two-stage anonymous draw, 二次加密 (DESIGN.md, "Competitions" → "Anonymity").

First draw at check-in: contestant → 检录号 (1..N). Second draw about 20 minutes before the start: 检录号 → 工位号.
Referees see only 工位号; decryption composes the two maps backwards after every sheet is signed off.

Algorithm "draw-v1" (recorded with each draw so a later version never silently changes old results):

1. Sort the inputs (contestant ids; 检录号; 工位号) by their natural order, so the order in which the caller lists
   them does not matter. Duplicates are refused.
2. Seed Python's Mersenne Twister with the string ``"draw-v1:checkin:" + seed`` (first draw) or
   ``"draw-v1:workstation:" + seed`` (second draw) — `random.Random(str)`, which hashes the string with SHA-512.
   The stage prefix keeps the two draws independent even if an officer reused one seed.
3. Fisher–Yates shuffle with `Random.shuffle` of the list to hand out: the numbers 1..N (first draw) or the sorted
   工位号 (second draw).
4. The i-th sorted input gets the i-th element of the shuffled list; surplus 工位号 stay empty.

Anyone with the seed and the inputs re-runs `draw_checkin_numbers` / `draw_workstations` and gets the same
assignment; a test pins a known seed to its expected output so a change in Python's generator is noticed.
The seed itself comes from `new_seed` (the `secrets` module), the only nondeterministic function here; the
shuffle does not need a cryptographic generator because the seed is unpredictable and revealed only afterwards.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from core.errors import RuleBroken

ALGORITHM = "draw-v1"
SEED_BYTES = 16

ContestantKey = TypeVar("ContestantKey", int, str)
WorkstationNo = TypeVar("WorkstationNo", int, str)


def new_seed() -> str:
    """A fresh, unpredictable seed (32 hex characters) to record with a draw (DESIGN.md "Anonymity")."""
    return secrets.token_hex(SEED_BYTES)


def seed_commitment(seed: str) -> str:
    """The SHA-256 of the seed (64 hex characters): what the audit log records instead of the seed, so the officer
    is committed to the seed kept with the draw while the log's readers cannot decrypt with it."""
    return hashlib.sha256(seed.encode()).hexdigest()


def _sorted_unique(values: Iterable[ContestantKey], what: str) -> list[ContestantKey]:
    items = sorted(values)
    duplicates = sorted({a for a, b in zip(items, items[1:], strict=False) if a == b})
    if duplicates:
        raise RuleBroken(
            "draw.duplicate", {"what": what, "values": duplicates}, "The {what} list has duplicates: {values}."
        )
    return items


def _rng(stage: str, seed: str) -> random.Random:
    if not seed:
        raise RuleBroken("draw.seed_missing", {}, "A draw needs a recorded seed.")
    # Not for secrecy: reproducibility from a recorded, secrets-made seed is the point (module docstring).
    return random.Random(f"{ALGORITHM}:{stage}:{seed}")  # noqa: S311


def draw_checkin_numbers(contestant_ids: Iterable[ContestantKey], seed: str) -> dict[ContestantKey, int]:
    """First encryption: each contestant's 检录号, a permutation of 1..N drawn from `seed` by algorithm draw-v1
    (module docstring; DESIGN.md "Anonymity"). Zero-padding ("001") is for presentation."""
    contestants = _sorted_unique(contestant_ids, "contestant")
    numbers = list(range(1, len(contestants) + 1))
    _rng("checkin", seed).shuffle(numbers)
    return dict(zip(contestants, numbers, strict=True))


def draw_workstations(
    checkin_numbers: Iterable[int], workstation_nos: Iterable[WorkstationNo], seed: str
) -> dict[int, WorkstationNo]:
    """Second encryption: 检录号 → 工位号 drawn from `seed` by algorithm draw-v1 (module docstring; DESIGN.md
    "Anonymity"). Fewer workstations than contestants is refused (draw.not_enough_workstations)."""
    numbers = _sorted_unique(checkin_numbers, "check-in number")
    stations = _sorted_unique(workstation_nos, "workstation")
    if len(stations) < len(numbers):
        raise RuleBroken(
            "draw.not_enough_workstations",
            {"contestants": len(numbers), "workstations": len(stations)},
            "{contestants} contestants cannot be placed at {workstations} workstations.",
        )
    _rng("workstation", seed).shuffle(stations)
    return dict(zip(numbers, stations[: len(numbers)], strict=True))


def workstation_sort_key(workstation_no: str) -> tuple[tuple[int, int | str], ...]:
    """The natural order of 工位号 (H2 before H10; digits compare as numbers, the rest as text): the order the
    marking stage's objects are made in once the second draw has placed everyone, so their ids follow the
    workstations, never the registrations (competitions.services.events, issue 9 item 1)."""
    parts = re.split(r"(\d+)", workstation_no)
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def decrypt(
    workstation_map: Mapping[int, WorkstationNo], checkin_map: Mapping[ContestantKey, int]
) -> dict[WorkstationNo, ContestantKey]:
    """Decryption (解密): 工位号 → 检录号 → contestant, composing the two draws backwards (DESIGN.md "Anonymity";
    the service checks that every sheet is signed off and audits the run). A 检录号 without a person, or a
    person without a 工位号, is refused (draw.inconsistent)."""
    person_by_number = {number: person for person, number in checkin_map.items()}
    unknown = sorted(set(workstation_map) - set(person_by_number))
    unplaced = sorted(set(person_by_number) - set(workstation_map))
    if unknown or unplaced or len(person_by_number) != len(checkin_map):
        raise RuleBroken(
            "draw.inconsistent",
            {"unknown_numbers": unknown, "unplaced_numbers": unplaced},
            "The two draws do not fit together (unknown: {unknown_numbers}; unplaced: {unplaced_numbers}).",
        )
    return {station: person_by_number[number] for number, station in workstation_map.items()}


# --- draw records: what anyone re-runs with no database ---------------------------------------------------------

RECORD_FORMAT = "jineng-draw-record/1"


def record(*, stage: str, seed: str, algorithm: str, result: Mapping[Any, Any],
           workstation_nos: Iterable[str] = (), about: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A draw as a self-contained record (JSON-ready): the algorithm, the seed, the inputs in the order the draw
    sorts them, and the result as pairs in that order. `about` carries what people read (event, skill, who drew,
    when, and for each input what the page shows beside it); the verification ignores it.

    Check-in inputs are the registration numbers (报名编号, the entries' ids, shown on the draws page after
    decryption); workstation inputs are the 检录号 and every 工位号 of the skill, free ones included."""
    if stage == "checkin":
        inputs: dict[str, list[Any]] = {"registration_nos": sorted(int(k) for k in result)}
        pairs = [[key, result[key] if key in result else result[str(key)]] for key in inputs["registration_nos"]]
    else:
        inputs = {"checkin_nos": sorted(int(k) for k in result), "workstation_nos": sorted(workstation_nos)}
        pairs = [[key, result[key] if key in result else result[str(key)]] for key in inputs["checkin_nos"]]
    return {"format": RECORD_FORMAT, "algorithm": algorithm, "stage": stage, "seed": seed, "inputs": inputs,
            "result": pairs, "about": dict(about or {})}


@dataclass(frozen=True, slots=True)
class RecordCheck:
    """The re-run of a draw record: `ok`, or the first differences (input, recorded, re-run) and their count."""

    ok: bool
    problem: str = ""
    differences: tuple[tuple[Any, Any, Any], ...] = ()
    count: int = 0


def verify_record(data: Mapping[str, Any]) -> RecordCheck:
    """Re-run a draw record (`record`) from its seed and inputs and compare with its result."""
    if data.get("format") != RECORD_FORMAT:
        return RecordCheck(False, f"not a draw record of format {RECORD_FORMAT}")
    if data.get("algorithm") != ALGORITHM:
        return RecordCheck(False, f"algorithm {data.get('algorithm')!r} is not {ALGORITHM!r}: cannot re-run it")
    try:
        inputs, seed = data["inputs"], str(data["seed"])
        recorded = {pair[0]: pair[1] for pair in data["result"]}
        if data["stage"] == "checkin":
            rerun: Mapping[Any, Any] = draw_checkin_numbers([int(n) for n in inputs["registration_nos"]], seed)
        elif data["stage"] == "workstation":
            rerun = draw_workstations([int(n) for n in inputs["checkin_nos"]],
                                      [str(n) for n in inputs["workstation_nos"]], seed)
        else:
            return RecordCheck(False, f"unknown stage {data['stage']!r}")
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        return RecordCheck(False, f"malformed record: {exc!r}")
    except RuleBroken as exc:
        return RecordCheck(False, exc.default or exc.code)
    keys = sorted(set(recorded) | set(rerun), key=str)
    diffs = tuple((k, recorded.get(k), rerun.get(k)) for k in keys if recorded.get(k) != rerun.get(k))
    if diffs:
        return RecordCheck(False, f"{len(diffs)} results differ from the re-run", diffs[:10], len(diffs))
    return RecordCheck(True)

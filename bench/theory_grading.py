"""Grading theory papers (issue 12 item 7, "Must grade 5,000 papers of 100 items fast"): 5,000 candidates, each with
their own paper of 100 items (60 single choice at 1 point, 20 multiple choice at 2, 20 true/false at 1) drawn from
a 2,000-version key, graded by the pure grading of certification/domain/grading.py, all-or-nothing and with
partial credit; then a regrade after 5 key corrections and 1 void. Target: grading under 2 s. Reference: the bare
loop the grading cannot beat, one tuple comparison per item (500,000 of them); the ratio is grading / reference.

Answers are 70% right, the rest a random wrong or partial choice, generated with a fixed seed. Run from the
repository root: `python bench/theory_grading.py`.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from certification.domain.grading import (  # noqa: E402 - after the path is set
    KeyEntry,
    MultiplePolicy,
    PaperToGrade,
    grade,
    regrade,
)
from certification.domain.papers import Kind, PaperItem  # noqa: E402

CANDIDATES, ITEMS, VERSIONS, TARGET_S = 5_000, 100, 2_000, 2.0
POINTS = {Kind.SINGLE: 1, Kind.MULTIPLE: 2, Kind.TRUE_FALSE: 1}


def key(rng: random.Random) -> dict[int, KeyEntry]:
    out = {}
    for v in range(1, VERSIONS + 1):
        kind = (Kind.SINGLE, Kind.SINGLE, Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE)[v % 5]
        if kind is Kind.MULTIPLE:
            out[v] = KeyEntry(kind, tuple(sorted(rng.sample(range(5), rng.randint(2, 4)))))
        else:
            out[v] = KeyEntry(kind, (rng.randrange(2 if kind is Kind.TRUE_FALSE else 4),))
    return out


def papers(rng: random.Random, answer_key: dict[int, KeyEntry]) -> list[PaperToGrade]:
    by_kind: dict[Kind, list[int]] = {k: [v for v, e in answer_key.items() if e.kind is k] for k in Kind}
    out = []
    for candidate in range(CANDIDATES):
        versions = (rng.sample(by_kind[Kind.SINGLE], 60) + rng.sample(by_kind[Kind.MULTIPLE], 20)
                    + rng.sample(by_kind[Kind.TRUE_FALSE], 20))
        items = tuple(PaperItem(v, v, answer_key[v].kind, (), POINTS[answer_key[v].kind]) for v in versions)
        choices = []
        for v in versions:
            entry = answer_key[v]
            if rng.random() < 0.7:
                choices.append(entry.correct)
            elif entry.kind is Kind.MULTIPLE:
                choices.append(tuple(sorted(rng.sample(range(5), rng.randint(1, 3)))))
            else:
                choices.append((rng.randrange(2),))
        out.append(PaperToGrade(candidate, items, tuple(choices)))
    return out


def main() -> None:
    rng = random.Random(20261202)
    answer_key = key(rng)
    sittings = papers(rng, answer_key)
    timings = {}
    for policy in MultiplePolicy:
        start = time.perf_counter()
        grades = [grade(p.items, p.choices, answer_key, policy) for p in sittings]
        timings[policy] = time.perf_counter() - start
        assert len(grades) == CANDIDATES and all(0 <= g.score <= 100 for g in grades)

    singles = [v for v in answer_key if answer_key[v].kind is Kind.SINGLE][:5]
    corrections = {v: KeyEntry(Kind.SINGLE, ((answer_key[v].correct[0] + 1) % 4,)) for v in singles}
    voided = next(v for v in answer_key if answer_key[v].kind is Kind.MULTIPLE)
    corrections[voided] = KeyEntry(Kind.MULTIPLE, answer_key[voided].correct, voided=True)
    start = time.perf_counter()
    changes = regrade(sittings, answer_key, corrections)
    regrade_s = time.perf_counter() - start
    changed = sum(1 for c in changes if c.changed)

    start = time.perf_counter()
    for p in sittings:
        sum(1 for item, given in zip(p.items, p.choices, strict=True) if given == answer_key[item.version_id].correct)
    reference = time.perf_counter() - start

    elapsed = timings[MultiplePolicy.ALL_OR_NOTHING]
    print(f"theory grading: {CANDIDATES} papers × {ITEMS} items, {VERSIONS}-version key")
    verdict = "met" if elapsed < TARGET_S else "MISSED"
    print(f"  all-or-nothing {elapsed:7.3f} s   (target < {TARGET_S:.0f} s: {verdict})")
    print(f"  proportional   {timings[MultiplePolicy.PROPORTIONAL]:7.3f} s")
    print(f"  regrade        {regrade_s:7.3f} s   ({len(corrections)} corrections, {changed} candidates changed)")
    print(f"  reference      {reference:7.3f} s   (one tuple comparison per item)")
    print(f"  ratio          {elapsed / reference:7.1f} ×")


if __name__ == "__main__":
    main()

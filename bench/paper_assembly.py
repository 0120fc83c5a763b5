"""Assembling papers from a blueprint (issue 12 item 6, Performance): 1,000 distinct papers of 100 questions from a
5,000-question bank, by the pure assembly of certification/domain/papers.py (the bank indexed once, as an exam
batch assembles every candidate's paper from the same bank). Target: under 10 s. Reference: a plain
`random.sample` of 100 ids from the 5,000, 1,000 times; the ratio is assembly / reference.

The bank: 5 areas × 3 types × 5 difficulties, importance X/Y/Z spread evenly, generated with a fixed seed; the
blueprint asks 100 questions spread over the cells. Every paper is checked to meet the blueprint with no repeat,
and the papers are checked to be distinct. Run from the repository root: `python bench/paper_assembly.py`.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from certification.domain.papers import (  # noqa: E402 - after the path is set
    BankIndex,
    BankQuestion,
    Blueprint,
    Cell,
    Importance,
    Kind,
    area_of,
    assemble,
)

BANK, PAPERS, TARGET_S = 5_000, 1_000, 10.0
AREAS = ["A-A", "A-B", "B-A", "B-B", "B-C"]


def bank(rng: random.Random) -> list[BankQuestion]:
    kinds = [Kind.SINGLE] * 6 + [Kind.MULTIPLE] * 2 + [Kind.TRUE_FALSE] * 2
    out = []
    for n in range(1, BANK + 1):
        kind = rng.choice(kinds)
        out.append(BankQuestion(n, n, kind, f"{rng.choice(AREAS)}-{rng.choice('ABC')}-{n:04d}",
                                rng.choice(list(Importance)), rng.randint(1, 5), 2 if kind == Kind.TRUE_FALSE else 4))
    return out


def blueprint() -> Blueprint:
    # 60 single, 20 multiple, 20 true/false over 5 areas and difficulties 2–4 (plus 1 and 5 for single choice).
    cells = []
    for area in AREAS:
        cells += [Cell(area, Kind.SINGLE, d, c) for d, c in ((1, 2), (2, 3), (3, 3), (4, 3), (5, 1))]
        cells += [Cell(area, Kind.MULTIPLE, d, c) for d, c in ((2, 1), (3, 2), (4, 1))]
        cells += [Cell(area, Kind.TRUE_FALSE, d, c) for d, c in ((2, 1), (3, 2), (4, 1))]
    return Blueprint(tuple(cells), {Kind.SINGLE: 1, Kind.MULTIPLE: 2, Kind.TRUE_FALSE: 1})


def main() -> None:
    rng = random.Random(20261201)
    questions = bank(rng)
    plan = blueprint()
    assert plan.size == 100, plan.size
    start = time.perf_counter()
    index = BankIndex(questions, plan.depth)
    papers = [assemble(index, plan, seed) for seed in range(PAPERS)]
    elapsed = time.perf_counter() - start

    by_id = {q.id: q for q in questions}
    wanted = Counter({c.key: c.count for c in plan.cells})
    for paper in papers:
        assert len(paper.items) == 100 and len({i.question_id for i in paper.items}) == 100
        got = Counter(type(next(iter(wanted)))(area_of(by_id[i.version_id].point_code, 2), by_id[i.version_id].kind,
                                               by_id[i.version_id].difficulty) for i in paper.items)
        assert got == wanted
    distinct = len({p.items for p in papers})

    ids = [q.id for q in questions]
    start = time.perf_counter()
    for seed in range(PAPERS):
        random.Random(seed).sample(ids, 100)
    reference = time.perf_counter() - start

    print(f"paper assembly: {PAPERS} papers × 100 questions from a {BANK}-question bank")
    print(f"  assembly   {elapsed:7.3f} s   (target < {TARGET_S:.0f} s: {'met' if elapsed < TARGET_S else 'MISSED'})")
    print(f"  reference  {reference:7.3f} s   (random.sample of 100 ids, {PAPERS} times)")
    print(f"  ratio      {elapsed / reference:7.1f} ×   distinct papers: {distinct} / {PAPERS}")


if __name__ == "__main__":
    main()

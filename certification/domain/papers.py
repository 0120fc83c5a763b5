"""Papers assembled from a blueprint (鉴定要素细目表; DESIGN.md "Certification": Blueprint, Question bank).

Plain data in, plain data out: the bank is a sequence of `BankQuestion` (one current version of each question that
is not retired), the blueprint a table of `Cell` counts by knowledge area × question type × difficulty with the
points of each type. `assemble` draws a paper from a seed; `rebuild` is the same function under the name a checker
uses, and `check` says everything wrong with a stored paper, so anyone holding (bank versions, blueprint, seed,
excluded ids) can rebuild a paper and compare.

Rules, and the choices where DESIGN.md is silent:
- **Knowledge area** of a 鉴定点 code `A-B-A-001` is its prefix of `depth` segments (the blueprint says how deep it
  counts: depth 2 makes `A-B`); the last segment, the point's serial, is never part of an area.
- **Exactly**: each cell gets exactly its count; a question belongs to one cell only (its area, type and difficulty),
  so meeting every cell meets the table, and no question can be drawn twice.
- **Short cells**: when any cell has fewer questions in the bank than it asks, nothing is drawn and
  `BlueprintShort` names every short cell with how many it lacks (all of them, not the first), sorted.
- **Preference**, in this order inside a cell: first questions the candidate has not seen in an earlier attempt
  (a repeated question helps a candidate more than a Y point in place of an X point hurts the paper), then by
  importance X (core), Y (general), Z (auxiliary); within a tier the draw is random. Seen questions are used only
  when the unseen ones cannot fill the cell ("where the bank allows").
- **Order**: the paper keeps the usual sections, single choice, then multiple choice, then true/false (the
  blueprint's point table is by type, and answer sheets group them); inside each section the order is shuffled.
- **Options**: the options of single and multiple choice questions are shuffled (a permutation of the stored
  option indexes, recorded per item); true/false keeps 正确/错误 in their order (`option_order` is `(0, 1)`).
- **Reproducible**: one `random.Random(seed)`; cells are visited in sorted order and each tier is sorted by id
  before sampling, so the same inputs give the same paper whatever order the bank was listed in.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from core.errors import RuleBroken


class Kind(StrEnum):
    SINGLE = "single"  # 单项选择题
    MULTIPLE = "multiple"  # 多项选择题
    TRUE_FALSE = "truefalse"  # 判断题


class Importance(StrEnum):
    X = "X"  # 核心要素
    Y = "Y"  # 一般要素
    Z = "Z"  # 辅助要素


KIND_ORDER: tuple[Kind, ...] = (Kind.SINGLE, Kind.MULTIPLE, Kind.TRUE_FALSE)
IMPORTANCE_ORDER: tuple[Importance, ...] = (Importance.X, Importance.Y, Importance.Z)


def area_of(point_code: str, depth: int) -> str:
    """The knowledge area of a 鉴定点 code at `depth` segments (`A-B-A-001`, 2 → `A-B`); never the serial."""
    parts = point_code.split("-")
    return "-".join(parts[: max(1, min(depth, len(parts) - 1))])


@dataclass(frozen=True, slots=True)
class BankQuestion:
    """One usable question version: `id` is the version's id, `question_id` the question it is a version of."""

    id: int
    question_id: int
    kind: Kind
    point_code: str
    importance: Importance
    difficulty: int
    option_count: int


@dataclass(frozen=True, slots=True, order=True)
class CellKey:
    area: str
    kind: Kind
    difficulty: int


@dataclass(frozen=True, slots=True)
class Cell:
    area: str
    kind: Kind
    difficulty: int
    count: int

    @property
    def key(self) -> CellKey:
        return CellKey(self.area, self.kind, self.difficulty)


@dataclass(frozen=True, slots=True)
class Blueprint:
    """A 鉴定要素细目表: counts per cell, the points of one question of each type, the area depth."""

    cells: tuple[Cell, ...]
    points: Mapping[Kind, int] = field(default_factory=dict)
    depth: int = 2

    @property
    def size(self) -> int:
        return sum(c.count for c in self.cells)

    def total_points(self) -> int:
        return sum(c.count * self.points.get(c.kind, 0) for c in self.cells)


@dataclass(frozen=True, slots=True)
class Shortage:
    area: str
    kind: Kind
    difficulty: int
    wanted: int
    available: int

    @property
    def missing(self) -> int:
        return self.wanted - self.available


@dataclass(frozen=True, slots=True)
class PaperItem:
    version_id: int
    question_id: int
    kind: Kind
    option_order: tuple[int, ...]
    points: int


@dataclass(frozen=True, slots=True)
class Paper:
    seed: int
    items: tuple[PaperItem, ...]
    excluded: frozenset[int] = frozenset()

    @property
    def total_points(self) -> int:
        return sum(item.points for item in self.items)


class BlueprintShort(RuleBroken):
    """The bank cannot meet the blueprint: every short cell, with how many questions it lacks."""

    def __init__(self, shortages: Sequence[Shortage]) -> None:
        self.shortages = list(shortages)
        text = "；".join(f"{s.area} {s.kind.value} {s.difficulty}: {s.missing}" for s in self.shortages)
        super().__init__("paper.blueprint_short", {"count": len(self.shortages), "cells": text},
                         "The bank cannot meet the blueprint: {count} cells are short ({cells}).")

    def _value(self) -> tuple[object, ...]:
        return (self.code, tuple(self.shortages))


def check_blueprint(blueprint: Blueprint) -> list[str]:
    """What is wrong with a blueprint's table itself (codes of core.errors messages): repeated cells, counts or
    difficulties out of range, a type without points, nothing asked at all."""
    problems = []
    keys = [c.key for c in blueprint.cells]
    if len(set(keys)) != len(keys):
        problems.append("blueprint.repeated_cell")
    if any(c.count < 0 for c in blueprint.cells) or any(not 1 <= c.difficulty <= 5 for c in blueprint.cells):
        problems.append("blueprint.bad_cell")
    if any(c.count > 0 and blueprint.points.get(c.kind, 0) <= 0 for c in blueprint.cells):
        problems.append("blueprint.points_missing")
    if blueprint.size == 0:
        problems.append("blueprint.empty")
    if not 1 <= blueprint.depth <= 3:
        problems.append("blueprint.bad_depth")
    return problems


class BankIndex:
    """The bank grouped by cell and importance, sorted by id: built once, then any number of papers are drawn from it
    (the benchmark draws 1,000) without touching the whole bank again."""

    def __init__(self, bank: Iterable[BankQuestion], depth: int) -> None:
        self.depth = depth
        self.by_id: dict[int, BankQuestion] = {}
        tiers: dict[CellKey, dict[Importance, list[BankQuestion]]] = defaultdict(lambda: defaultdict(list))
        for q in bank:
            self.by_id[q.id] = q
            tiers[CellKey(area_of(q.point_code, depth), q.kind, q.difficulty)][q.importance].append(q)
        self.tiers: dict[CellKey, list[list[BankQuestion]]] = {
            key: [sorted(by[i], key=lambda q: q.id) for i in IMPORTANCE_ORDER] for key, by in tiers.items()}

    def available(self, key: CellKey) -> int:
        return sum(len(t) for t in self.tiers.get(key, ()))


def shortages(index: BankIndex, blueprint: Blueprint) -> list[Shortage]:
    """Every cell the bank cannot fill, sorted by area, type, difficulty."""
    out = []
    for cell in sorted(blueprint.cells, key=lambda c: c.key):
        have = index.available(cell.key)
        if have < cell.count:
            out.append(Shortage(cell.area, cell.kind, cell.difficulty, cell.count, have))
    return out


def _draw(rng: random.Random, tiers: list[list[BankQuestion]], count: int,
          excluded: frozenset[int]) -> list[BankQuestion]:
    chosen: list[BankQuestion] = []
    if not excluded:  # the common case, a first attempt: no pool to split
        for tier in tiers:
            take = min(count - len(chosen), len(tier))
            chosen.extend(rng.sample(tier, take))
        return chosen
    # Unseen X, Y, Z first; then seen X, Y, Z (module docstring: preference).
    for seen in (False, True):
        for tier in tiers:
            if len(chosen) == count:
                return chosen
            pool = [q for q in tier if (q.question_id in excluded) == seen]
            take = min(count - len(chosen), len(pool))
            chosen.extend(rng.sample(pool, take))
    return chosen


def assemble(bank: BankIndex | Iterable[BankQuestion], blueprint: Blueprint, seed: int,
             excluded: Iterable[int] = ()) -> Paper:
    """A paper meeting `blueprint` exactly, drawn with `seed`, avoiding the questions (question ids) in `excluded`
    where the bank allows (module docstring). Raises `BlueprintShort` naming every short cell."""
    index = bank if isinstance(bank, BankIndex) and bank.depth == blueprint.depth else BankIndex(
        bank.by_id.values() if isinstance(bank, BankIndex) else bank, blueprint.depth)
    short = shortages(index, blueprint)
    if short:
        raise BlueprintShort(short)
    avoid = frozenset(excluded)
    rng = random.Random(seed)  # noqa: S311 - reproducible from the recorded seed, not a secret
    by_kind: dict[Kind, list[BankQuestion]] = defaultdict(list)
    for cell in sorted(blueprint.cells, key=lambda c: c.key):
        if cell.count:
            by_kind[cell.kind].extend(_draw(rng, index.tiers[cell.key], cell.count, avoid))
    items = []
    for kind in KIND_ORDER:
        section = by_kind.get(kind, [])
        rng.shuffle(section)
        for q in section:
            order = list(range(q.option_count))
            if kind != Kind.TRUE_FALSE:
                rng.shuffle(order)
            items.append(PaperItem(q.id, q.question_id, kind, tuple(order), blueprint.points.get(kind, 0)))
    return Paper(seed=seed, items=tuple(items), excluded=avoid)


def rebuild(bank: Iterable[BankQuestion], blueprint: Blueprint, seed: int, excluded: Iterable[int] = ()) -> Paper:
    """The paper these inputs give: what a checker compares a stored paper with."""
    return assemble(bank, blueprint, seed, excluded)


def check(paper: Paper, bank: Iterable[BankQuestion], blueprint: Blueprint) -> list[str]:
    """Everything wrong with `paper` against the bank versions and the blueprint (empty when it is sound): a version
    not in the bank, a repeated question, a cell not met exactly, an option order that is not a permutation, points
    not the blueprint's, or a paper that its own seed does not rebuild."""
    versions = list(bank)
    by_id = {q.id: q for q in versions}
    problems = []
    unknown = [item.version_id for item in paper.items if item.version_id not in by_id]
    if unknown:
        problems.append(f"unknown versions: {unknown}")
    question_ids = [item.question_id for item in paper.items]
    if len(set(question_ids)) != len(question_ids):
        problems.append("a question appears twice")
    counts: dict[CellKey, int] = defaultdict(int)
    for item in paper.items:
        q = by_id.get(item.version_id)
        if q is None:
            continue
        counts[CellKey(area_of(q.point_code, blueprint.depth), q.kind, q.difficulty)] += 1
        if sorted(item.option_order) != list(range(q.option_count)):
            problems.append(f"option order of {item.version_id} is not a permutation")
        if item.points != blueprint.points.get(q.kind, 0):
            problems.append(f"points of {item.version_id} differ from the blueprint")
    wanted = {c.key: c.count for c in blueprint.cells if c.count}
    if dict(counts) != wanted:
        problems.append("the paper does not meet the blueprint")
    if not problems:
        try:
            again = rebuild(versions, blueprint, paper.seed, paper.excluded)
        except BlueprintShort:
            again = None
        if again is None or again.items != paper.items:
            problems.append("the seed does not rebuild this paper")
    return problems


def blueprint_to_data(blueprint: Blueprint) -> dict[str, object]:
    """A blueprint as stored (JSON): cells sorted, so an unchanged table stores the same."""
    return {"depth": blueprint.depth,
            "cells": [{"area": c.area, "kind": c.kind.value, "difficulty": c.difficulty, "count": c.count}
                      for c in sorted(blueprint.cells, key=lambda c: c.key)],
            "points": {k.value: v for k, v in sorted(blueprint.points.items())}}


def blueprint_from_data(data: Mapping[str, object]) -> Blueprint:
    cells = data.get("cells") or []
    points = data.get("points") or {}
    if not isinstance(cells, list) or not isinstance(points, dict):
        raise RuleBroken("blueprint.bad_cell")
    return Blueprint(
        cells=tuple(Cell(str(c["area"]), Kind(c["kind"]), int(c["difficulty"]), int(c["count"])) for c in cells),
        points={Kind(k): int(v) for k, v in points.items()}, depth=int(str(data.get("depth", 2))))

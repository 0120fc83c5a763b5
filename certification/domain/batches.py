"""Exam batches (批次; DESIGN.md "Certification" → "Exam parts", "Staff ratios"): the parts a level needs, the staff
ratios a plan must meet, recusal, capacity, seat allocation and the registration state machine. Plain data in,
plain data out; the words are message codes (certification.errors).

**Parts.** Every batch has a theory part (理论知识考试, ≥ 90 min) and a practical part (操作技能考核, ≥ 90 min); a
batch of 二级 or 一级 also has the comprehensive review (综合评审, ≥ 30 min). Each part has its rooms: a theory room
(考场) holds candidates at numbered seats; a practical room is one candidate group (考核小组) at numbered stations
(工位) with its assessor panel; a review room is one review panel. A part's staff are assigned to one of its rooms,
or (review panels only) to the whole part, when it has a single panel.

**Staff ratios** (`staffing_shortfalls`), per room, for the number of candidates it holds (the planned seats when
a batch is opened for registration, the seated candidates when seats are allocated); a room with no candidate
needs nobody. Each failing ratio is reported on its own with how many people are short, so "2 invigilators for 40
candidates" reads "1 per 15: 3 needed, 2 assigned, 1 short":
- theory: invigilators ≥ 1 per 15 candidates (⌈n/15⌉) and ≥ 2 per room;
- practical: assessors ≥ 1 per 5 candidates of the group (⌈n/5⌉), ≥ 3, and an odd number (each candidate is
  marked by the whole panel, so an even panel can tie); an even panel is short by 1;
- review: a panel of an odd number ≥ 3.

**Recusal** (`recusal_reason`): nobody serves on a part they sit themselves; a person who declared a relationship
to a candidate (亲属、师徒 …) is recused from that candidate on every batch and in every duty, invigilation
included (DESIGN.md "declared relationships everywhere"); on a social evaluation (an exam center, 考核站点) an
assessor or reviewer from the candidate's own unit is recused too, while an enterprise evaluating its own staff
(企业自主评价) assesses its own people by design, so the same-unit rule does not apply there. Invigilators watch
the room and mark nothing, so the same-unit rule does not apply to them either. Recusal is applied when seats are
allocated: a candidate is placed only in a room whose staff (and whose part's room-less staff) are all clear of
them.

**Allocation** (`allocate_seats`): deterministic and reproducible from its recorded seed. The candidates are put
in one order for every part: each unit's candidates shuffled by the seed, then the units taken in turn, largest
first (ties by unit id), one candidate each, so that candidates of one unit are spread out (neighbouring seats hold
different units while more than one unit is left). Then, part by part, each candidate takes the lowest free seat of
the first room (rooms in their order) that has one and whose staff are clear of them; a candidate that fits
nowhere is reported with the reason (no seat left, or every room with a seat is recused), and the caller saves
nothing. Running it again with the same seed and inputs gives the same seats (`seating_digest` proves it).

**Capacity** (`capacity`): the seats of the part with the fewest, since every candidate needs a place in every part.

**Registration states** (`REGISTRATION_MOVES`): submitted → approved | rejected (with a reason) | withdrawn;
approved → seated | withdrawn; seated → withdrawn. Rejected and withdrawn are final (a new registration may follow).
Batch states (`BATCH_MOVES`): planning → open | cancelled; open → closed | cancelled; closed → open (registration
reopened) | cancelled.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from certification.domain.ladder import SkillLevel


class Part(StrEnum):
    THEORY = "theory"
    PRACTICAL = "practical"
    REVIEW = "review"


class DutyKind(StrEnum):
    INVIGILATOR = "invigilator"
    ASSESSOR = "assessor"
    REVIEWER = "reviewer"


class RegistrationState(StrEnum):
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    SEATED = "seated"
    WITHDRAWN = "withdrawn"


class BatchState(StrEnum):
    PLANNING = "planning"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


S, B = RegistrationState, BatchState
REGISTRATION_MOVES: Mapping[RegistrationState, frozenset[RegistrationState]] = {
    S.SUBMITTED: frozenset({S.APPROVED, S.REJECTED, S.WITHDRAWN}),
    S.APPROVED: frozenset({S.SEATED, S.WITHDRAWN}),
    S.SEATED: frozenset({S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
BATCH_MOVES: Mapping[BatchState, frozenset[BatchState]] = {
    B.PLANNING: frozenset({B.OPEN, B.CANCELLED}),
    B.OPEN: frozenset({B.CLOSED, B.CANCELLED}),
    B.CLOSED: frozenset({B.OPEN, B.CANCELLED}),
    B.CANCELLED: frozenset(),
}


def registration_may_move(old: str, new: str) -> bool:
    """Is old → new an allowed move of a registration (module docstring)?"""
    return RegistrationState(new) in REGISTRATION_MOVES[RegistrationState(old)]


def batch_may_move(old: str, new: str) -> bool:
    return BatchState(new) in BATCH_MOVES[BatchState(old)]


# --- parts ----------------------------------------------------------------------------------------------------------

MIN_MINUTES: Mapping[Part, int] = {Part.THEORY: 90, Part.PRACTICAL: 90, Part.REVIEW: 30}


def parts_for(level: SkillLevel | int) -> tuple[Part, ...]:
    """The parts a batch of this level has: theory and practical, and the review for 二级 and 一级."""
    if int(level) <= int(SkillLevel.TWO):
        return (Part.THEORY, Part.PRACTICAL, Part.REVIEW)
    return (Part.THEORY, Part.PRACTICAL)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a plan: a message code and its parameters."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def part_time_problems(part: Part, starts_at: datetime, ends_at: datetime) -> list[Problem]:
    """A part ends after it starts and lasts at least its minimum (DESIGN.md "Exam parts")."""
    if ends_at <= starts_at:
        return [Problem("batch.part_ends_before_start", {"part": part.value})]
    minutes = (ends_at - starts_at) / timedelta(minutes=1)
    if minutes < MIN_MINUTES[part]:
        return [Problem("batch.part_too_short", {"part": part.value, "minutes": MIN_MINUTES[part],
                                                 "has": int(minutes)})]
    return []


# --- staff ratios ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RoomLoad:
    """A room as the ratios see it: its name, how many candidates it holds, how many staff serve it."""

    name: str
    candidates: int
    staff: int


@dataclass(frozen=True, slots=True)
class PartLoad:
    part: Part
    rooms: tuple[RoomLoad, ...]
    part_staff: int = 0  # staff of the whole part (review panels without a room)


@dataclass(frozen=True, slots=True)
class Shortfall:
    """A ratio a room fails: which (`code`), what it needs, what it has, and how many people are short."""

    code: str
    part: Part
    room: str
    candidates: int
    needed: int
    has: int

    @property
    def short(self) -> int:
        return self.needed - self.has

    @property
    def params(self) -> dict[str, Any]:
        return {"part": self.part.value, "room": self.room, "candidates": self.candidates, "needed": self.needed,
                "has": self.has, "short": self.short}


def _ceil(n: int, per: int) -> int:
    return -(-n // per)


def room_shortfalls(part: Part, room: RoomLoad, *, extra_staff: int = 0) -> list[Shortfall]:
    """Every ratio of DESIGN.md that one room fails (module docstring), each with how many are short."""
    n, has = room.candidates, room.staff + extra_staff
    if n <= 0:
        return []
    out: list[Shortfall] = []

    def need(code: str, needed: int) -> None:
        if has < needed:
            out.append(Shortfall(code, part, room.name, n, needed, has))

    if part is Part.THEORY:
        need("batch.ratio.invigilators_per_15", _ceil(n, 15))
        need("batch.ratio.invigilators_per_room", 2)
    elif part is Part.PRACTICAL:
        need("batch.ratio.assessors_per_5", _ceil(n, 5))
        need("batch.ratio.assessors_at_least_3", 3)
        if has >= 3 and has % 2 == 0:
            out.append(Shortfall("batch.ratio.assessors_odd", part, room.name, n, has + 1, has))
    else:
        need("batch.ratio.review_at_least_3", 3)
        if has >= 3 and has % 2 == 0:
            out.append(Shortfall("batch.ratio.review_odd", part, room.name, n, has + 1, has))
    return out


def staffing_shortfalls(parts: Iterable[PartLoad]) -> list[Shortfall]:
    """Every ratio every room of every part fails; empty when the plan meets DESIGN.md's staff ratios. A review
    part's room-less panel serves each of its rooms (or, with no room, the whole part as one panel)."""
    out: list[Shortfall] = []
    for load in parts:
        for room in load.rooms:
            out += room_shortfalls(load.part, room, extra_staff=load.part_staff)
    return out


def capacity(seats_by_part: Mapping[Part, int], needed: Sequence[Part]) -> int:
    """How many candidates the batch can take: the seats of its tightest part (0 while a needed part has none)."""
    return min((seats_by_part.get(p, 0) for p in needed), default=0)


# --- recusal --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class StaffFacts:
    """A person on duty as recusal sees them: their units and the people they declared a relationship to."""

    person_id: int
    duty: DutyKind
    unit_ids: frozenset[int] = frozenset()
    related_ids: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class CandidateFacts:
    """A candidate as allocation sees them: who, and the unit they come from (None: registered on their own)."""

    registration_id: int
    person_id: int
    unit_id: int | None = None


def recusal_reason(staff: StaffFacts, candidate: CandidateFacts, *, social: bool) -> str | None:
    """Why `staff` may not serve a part `candidate` sits (a message code), or None (module docstring)."""
    if staff.person_id == candidate.person_id:
        return "recusal.self"
    if candidate.person_id in staff.related_ids:
        return "recusal.declared_relationship"
    if (social and staff.duty in (DutyKind.ASSESSOR, DutyKind.REVIEWER) and candidate.unit_id is not None
            and candidate.unit_id in staff.unit_ids):
        return "recusal.same_unit"
    return None


# --- seat allocation ------------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class RoomSeats:
    room_id: int
    seats: int
    staff: tuple[StaffFacts, ...] = ()


@dataclass(frozen=True, slots=True)
class PartRooms:
    part: Part
    rooms: tuple[RoomSeats, ...]
    part_staff: tuple[StaffFacts, ...] = ()


@dataclass(frozen=True, slots=True)
class Placement:
    registration_id: int
    part: Part
    room_id: int
    number: int


@dataclass(frozen=True, slots=True)
class Unplaced:
    registration_id: int
    part: Part
    reason: str  # "allocation.no_seat" | "allocation.recused"


@dataclass(frozen=True, slots=True)
class Allocation:
    seed: int
    order: tuple[int, ...]  # registration ids in the order they were seated
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]

    @property
    def complete(self) -> bool:
        return not self.unplaced


def spread_order(candidates: Sequence[CandidateFacts], seed: int) -> list[CandidateFacts]:
    """The seating order (module docstring): each unit shuffled by the seed, then units in turn, largest first."""
    rng = random.Random(seed)  # noqa: S311 - a recorded, reproducible draw, not a secret
    groups: dict[tuple[int, int], list[CandidateFacts]] = {}
    for c in sorted(candidates, key=lambda c: c.registration_id):
        # Candidates registered on their own have no unit: each is a unit of one.
        key = (0, c.unit_id) if c.unit_id is not None else (1, c.registration_id)
        groups.setdefault(key, []).append(c)
    queues = []
    for key in sorted(groups):
        members = groups[key]
        rng.shuffle(members)
        queues.append((key, members))
    queues.sort(key=lambda item: (-len(item[1]), item[0]))
    order: list[CandidateFacts] = []
    while queues:
        for _key, members in queues:
            order.append(members.pop(0))
        queues = [(k, m) for k, m in queues if m]
        queues.sort(key=lambda item: (-len(item[1]), item[0]))
    return order


def allocate_seats(candidates: Sequence[CandidateFacts], parts: Sequence[PartRooms], *, seed: int,
                   social: bool) -> Allocation:
    """Seat every candidate in every part (module docstring), or say who could not be seated and why."""
    order = spread_order(candidates, seed)
    placements: list[Placement] = []
    unplaced: list[Unplaced] = []
    for part in parts:
        taken = {room.room_id: 0 for room in part.rooms}
        for c in order:
            chosen: RoomSeats | None = None
            recused_somewhere = False
            for room in part.rooms:
                if taken[room.room_id] >= room.seats:
                    continue
                if any(recusal_reason(s, c, social=social) for s in (*room.staff, *part.part_staff)):
                    recused_somewhere = True
                    continue
                chosen = room
                break
            if chosen is None:
                unplaced.append(Unplaced(c.registration_id, part.part,
                                         "allocation.recused" if recused_somewhere else "allocation.no_seat"))
                continue
            taken[chosen.room_id] += 1
            placements.append(Placement(c.registration_id, part.part, chosen.room_id, taken[chosen.room_id]))
    return Allocation(seed, tuple(c.registration_id for c in order), tuple(placements), tuple(unplaced))


def seating_digest(placements: Iterable[Placement]) -> str:
    """SHA-256 of the placements in a canonical order: the same seats give the same digest."""
    lines = sorted(f"{p.registration_id}:{p.part.value}:{p.room_id}:{p.number}" for p in placements)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def ticket_number(batch_code: str, position: int) -> str:
    """The 准考证号: the batch's code and the candidate's position in the seating order, 4 digits."""
    return f"{batch_code}{position:04d}"

"""No route from a 工位号 to a person before decryption (issue 9 item 1; DESIGN.md "Anonymity (二次加密)").

The demo's event, with its 电工 in the middle of marking: half of its sheets complete and signed off (so the log
holds sign-offs and standings checks), a correction requested, the log sealed. The organizer and the platform admin
(a superuser, admin site included) then read everything they can: every GET operation of the OpenAPI schema
(enumerated, so a new endpoint is walked without touching this test, and one whose parameters the walk cannot fill
fails it), every page of the URL configuration, every export among them, the audit log's history of every
marking-stage object through the API, the page and the admin site, and the inclusion proofs. It fails when:

- any response pairs a 电工 workstation number with a 电工 contestant (their name in the same response, or an
  entry id, a registration number, a person or a unit beside it in one JSON object), or a sheet or mark id of
  电工 with an entry;
- any audit read names a 电工 workstation at all, or hands over the salt of an entry it shows redacted.

After decryption the same reads do show the mapping (the draws page, the provisional standings by name, the audit
log's sign-offs), so the detector is shown to fire and the test cannot pass by reading nothing.

A pairing need not sit in one response: what the organizer records by name (a theory score, a completion time, a
withdrawal) must not move anything the organizer or the admin reads per workstation, or the workstation that moved
is that person's. The second test reads everything before and after each such write and compares what names a 电工
workstation (on the code before issue 9's last routes were closed, the results API and page moved). The others: the
skill's chief referee gets the practical part alone by workstation, the organizer the progress of marking; and a
workstation typed by hand into a reason of the marking stage is hidden from the organizer and the admin with the
工位号 (competitions.selectors.results and .anonymity say what and why).
"""

from __future__ import annotations

import io
import itertools
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from django.contrib import admin
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from openpyxl import load_workbook

from accounts import demo as accounts_demo
from accounts.models import User
from audit.models import AuditEntry, AuditTreeHead
from audit.redaction import REDACTED, redactions_for
from audit.sealing import audit_seal_all, audit_verify
from certification.models import (
    Appointment,
    Batch,
    BatchPart,
    Certificate,
    CertificateStatusList,
    HeldLevel,
    Occupation,
    Paper,
    Question,
    QuestionVersion,
    Registration,
    Regrade,
    Room,
    Sitting,
)
from competitions import access, demo, services
from competitions.models import (
    Draw,
    Entry,
    EntryMember,
    EntryStatus,
    Event,
    Mark,
    MarkCorrection,
    MarkingMethod,
    Sheet,
    SheetStatus,
    Skill,
    Venue,
)
from competitions.selectors.marking import sheet_state
from config.api import api
from talentpool.models import (
    Challenge,
    ChallengeApplication,
    ContactRequest,
    DemandChecklist,
    DemandPost,
    Equipment,
    Invitation,
    SavedSearch,
    ShortlistItem,
    SupplyChecklist,
    Talent,
)

# Keys that tie a JSON object to an entry or a person.
ENTRY_KEYS = frozenset({"entry", "entry_id", "registration_no", "person_id", "names", "members", "unit", "unit_id",
                        "name"})
# Where the walk does not go: the API is walked through its schema, the admin site through its registry; the rest
# only write (POST-only views answer 405 and are walked anyway).
SKIPPED_PREFIXES = ("api/v1/", "admin/", "i18n/", "accounts/logout/")
# Histories read per kind of 电工 object, in id order: every sign-off and mark of the demo mid-marking (sheets are
# made in the draw's order, so the signed ones come first), with open sheets beside them; pages per object id: 6.
SAMPLE = 24


@dataclass
class Marking:
    """The demo mid-marking, with what must stay apart (module docstring)."""

    event: Event
    welding: Skill
    electrician: Skill
    workstations: frozenset[str]
    names: frozenset[str]
    entry_ids: frozenset[int]
    sheet_ids: frozenset[int]
    mark_ids: frozenset[int]
    pattern: re.Pattern[str]

    def leak(self, text: str, data: Any = None) -> str | None:
        """What in one response pairs a workstation (or a sheet or mark of one) with a contestant, or None."""
        station = self.pattern.search(text)
        if station is not None:
            name = next((n for n in self.names if n in text), None)
            if name is not None:
                return f"{station.group(0)} in the same response as {name}"
        for obj in _objects(data):
            stations = [v for v in obj.values() if isinstance(v, str) and v in self.workstations]
            ids = [obj.get(k) for k in ("sheet_id", "mark_id") if obj.get(k) in (self.sheet_ids | self.mark_ids)]
            tied = [k for k in ENTRY_KEYS if obj.get(k) not in (None, "", [], {})]
            if (stations or ids) and tied:
                return f"{(stations or ids)[0]} beside {tied} in {obj}"
        return None


def _objects(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, dict):
        yield data
        for value in data.values():
            yield from _objects(value)
    elif isinstance(data, list):
        for value in data:
            yield from _objects(value)


def _mark_everything(skill: Skill) -> None:
    """Every aspect of every entry of a measurement-only skill, by its panels, at full marks or on nominal."""
    candidates = access.skill_candidates(skill)
    aspects = list(skill.scheme.aspects.select_related("module", "scheme"))
    for entry in Entry.objects.filter(skill=skill, status=EntryStatus.APPROVED):
        members = access.member_ids_of(entry)
        for aspect in aspects:
            assert aspect.method in (MarkingMethod.FULL_OR_ZERO, MarkingMethod.TOLERANCE)
            value = aspect.max_mark if aspect.method == MarkingMethod.FULL_OR_ZERO else aspect.nominal
            assert value is not None
            for referee_id in access.panel(candidates, entry, aspect, members, 1):
                if not Mark.objects.filter(entry=entry, aspect=aspect, referee_id=referee_id).exists():
                    services.mark_record(referee=User.objects.get(pk=referee_id), skill_id=skill.pk,
                                         workstation_no=entry.workstation_no, aspect_code=aspect.code,
                                         value=Decimal(value), idempotency_key=uuid4())


def _sign_off_complete(skill: Skill, chief: User) -> int:
    signed = 0
    for sheet in Sheet.objects.filter(entry__skill=skill, status=SheetStatus.OPEN).select_related("entry", "module"):
        if not sheet_state(sheet).incomplete:
            services.sheet_sign_off(chief=chief, sheet_id=sheet.pk)
            signed += 1
    return signed


@pytest.fixture
def marking(db: None) -> Marking:
    accounts_demo.seed(random.Random(2026))
    demo.seed(random.Random(2026))
    event = Event.objects.get(name=demo.EVENT_NAME)
    welding, electrician = (event.skills.get(name=n) for n in ("焊工", "电工"))
    chief = User.objects.get(username="chief")
    assert _sign_off_complete(electrician, chief) == 10  # the demo marked module M1 of ten workstations
    signed_mark = Mark.objects.filter(entry__skill=electrician, aspect__code="E1").order_by("pk").first()
    assert signed_mark is not None
    services.correction_request(actor=chief, mark_id=signed_mark.pk, new_value=Decimal(25 - signed_mark.value),
                                reason="复核：接线图看错")
    audit_seal_all()
    entries = Entry.objects.filter(skill=electrician, status=EntryStatus.APPROVED)
    workstations = frozenset(entries.values_list("workstation_no", flat=True))
    names = set(EntryMember.objects.filter(entry__in=entries).values_list("person__real_name", flat=True))
    others = set(User.objects.exclude(competition_entries__entry__in=entries).values_list("real_name", flat=True))
    names -= others  # a name someone else also has says nothing of a contestant
    assert len(workstations) == 20 and len(names) >= 15
    return Marking(
        event=event, welding=welding, electrician=electrician, workstations=workstations, names=frozenset(names),
        entry_ids=frozenset(entries.values_list("pk", flat=True)),
        sheet_ids=frozenset(Sheet.objects.filter(entry__skill=electrician).values_list("pk", flat=True)),
        mark_ids=frozenset(Mark.objects.filter(entry__skill=electrician).values_list("pk", flat=True)),
        pattern=re.compile(r"(?<![0-9A-Za-z])(" + "|".join(sorted(workstations)) + r")(?![0-9A-Za-z])"),
    )


# --- what there is to read ----------------------------------------------------------------------------------------


def _targets(m: Marking) -> list[tuple[str, str]]:
    """Every object of 电工 whose change history a reader may ask for (audit target type and id), and the event
    and 焊工 (published: nothing to hide) as a sample of the rest."""
    skills = [m.welding, m.electrician]
    targets = [("competitions.event", str(m.event.pk))]
    targets += [("competitions.skill", str(s.pk)) for s in skills]
    targets += [("competitions.standingssnapshot", str(s.pk)) for s in skills]
    for model, path in ((Entry, "skill"), (Sheet, "entry__skill"), (Mark, "entry__skill"),
                        (MarkCorrection, "mark__entry__skill"), (Draw, "skill")):
        label = model._meta.label_lower
        of_skill = model.objects.filter(**{path: m.electrician}).order_by("pk").values_list("pk", flat=True)
        targets += [(label, str(pk)) for pk in of_skill[:SAMPLE]]
        targets += [(label, str(pk)) for pk in model.objects.filter(**{path: m.welding}).values_list("pk",
                                                                                                 flat=True)[:2]]
    return targets


def _marking_stage_entries(m: Marking) -> list[AuditEntry]:
    """The audit entries whose stored values say which workstation a 电工 mark, sheet or check is about (not the
    venue's list of its workstations, which says nothing of the draw)."""
    said = re.compile(r'("workstation_no": "|sign_off:)(' + "|".join(sorted(m.workstations)) + ')"')
    entries = [e for e in AuditEntry.objects.order_by("id")
               if said.search(json.dumps([e.old, e.new], ensure_ascii=False))]
    assert len(entries) >= 30  # twenty marks and ten sign-offs at least
    return entries


def _path_values(m: Marking, viewer: User) -> dict[str, list[Any]]:
    members = EntryMember.objects.filter(entry__skill__event=m.event)
    return {
        "event_id": [m.event.pk],
        "skill_id": [m.welding.pk, m.electrician.pk],
        "draw_id": list(Draw.objects.filter(skill__event=m.event).values_list("pk", flat=True)),
        "entry_id": [*Entry.objects.filter(skill=m.electrician).values_list("pk", flat=True)[:6],
                     *Entry.objects.filter(skill=m.welding).values_list("pk", flat=True)[:2]],
        "person_id": [viewer.pk, *members.values_list("person_id", flat=True)[:5]],
        "sheet_id": sorted(m.sheet_ids)[:6],
        "mark_id": sorted(m.mark_ids)[:6],
        "correction_id": list(MarkCorrection.objects.filter(mark__entry__skill__event=m.event)
                              .values_list("pk", flat=True)),
        "venue_id": list(Venue.objects.filter(event=m.event).values_list("pk", flat=True)),
        "objection_id": [1],
        "title_id": [1],
        "token_id": [1],
        "stage": ["checkin", "workstation"],
        "kind": ["roster", "scheme"],
        "task_id": [uuid4()],
        "occupation_id": list(Occupation.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "held_id": list(HeldLevel.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "level": [4],
        "question_id": list(Question.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "paper_id": list(Paper.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "unit_id": sorted((set(viewer.memberships.values_list("organization_id", flat=True))
                           | set(members.values_list("entry__unit_id", flat=True)[:3])) - {None}) or [1],
        "appointment_id": list(Appointment.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "batch_id": list(Batch.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "registration_id": list(Registration.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "token": ["x" * 22],
        "part_id": list(BatchPart.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "room_id": list(Room.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "sitting_id": list(Sitting.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "version_id": list(QuestionVersion.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "regrade_id": list(Regrade.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "certificate_id": list(Certificate.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "post_id": list(DemandPost.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "checklist_id": (list(DemandChecklist.objects.order_by("pk").values_list("pk", flat=True)[:2])
                         + list(SupplyChecklist.objects.order_by("pk").values_list("pk", flat=True)[:2])) or [1],
        "challenge_id": list(Challenge.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "list_no": list(CertificateStatusList.objects.order_by("pk").values_list("list_no", flat=True)[:1]) or [0],
        # the verification page takes a number (or a QR payload): a certificate's, and one never issued
        "text": [*Certificate.objects.order_by("pk").values_list("number", flat=True)[:1], "S000037000123264000001"],
        # the talent pool (issue 14: intake, profiles, consent, enterprise pool)
        "talent_id": list(Talent.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "search_id": list(SavedSearch.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "request_id": list(ContactRequest.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "invitation_id": list(Invitation.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "application_id": list(ChallengeApplication.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "equipment_id": list(Equipment.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "item_id": list(ShortlistItem.objects.order_by("pk").values_list("pk", flat=True)[:2]) or [1],
        "move": ["accept"],
    }


def _api_calls(m: Marking, viewer: User) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every GET operation of the API schema with every value the walk knows for its parameters."""
    values = _path_values(m, viewer)
    proofs = [e.pk for e in _marking_stage_entries(m)]
    head = AuditTreeHead.objects.order_by("-tree_size").values_list("tree_size", flat=True).first() or 1
    queries: dict[str, list[dict[str, Any]]] = {
        "/api/v1/audit/entries": [{"target_type": t, "target_id": i} for t, i in _targets(m)],
        "/api/v1/audit/consistency": [{"first": 1, "second": head}],
    }
    for path, operations in api.get_openapi_schema()["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        names = re.findall(r"{(\w+)}", path)
        if path == "/api/v1/audit/entries/{entry_id}/proof":
            choices: list[list[Any]] = [proofs]
        else:
            missing = [n for n in names if n not in values]
            if missing:
                pytest.fail(f"GET {path}: the walk has no values for {missing}; add them to _path_values")
            choices = [values[n] for n in names]
        required = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query" and p.get("required")]
        if required and path not in queries:
            pytest.fail(f"GET {path}: the walk has no query for its required {required}; add it to _api_calls")
        for combination in itertools.product(*choices):
            url = path
            for name, value in zip(names, combination, strict=True):
                url = url.replace("{" + name + "}", str(value))
            for query in queries.get(path, [{}]):
                yield url, query


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _page_urls(m: Marking, viewer: User) -> Iterator[str]:
    """Every page of the URL configuration (module docstring), each parameter filled with every value known."""
    values = _path_values(m, viewer)
    for route in _routes(get_resolver()):
        if route.startswith(SKIPPED_PREFIXES) or route.startswith("^"):
            continue
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        missing = [n for n in names if n not in values]
        if missing:
            pytest.fail(f"page /{route}: the walk has no values for {missing}; add them to _path_values")
        for combination in itertools.product(*(values[n] for n in names)):
            url = route
            for name, value in zip(names, combination, strict=True):
                url = re.sub(r"<(?:\w+:)?" + name + ">", str(value), url)
            yield "/" + url
    for target_type, target_id in _targets(m):
        yield f"/audit/?target_type={target_type}&target_id={target_id}"


def _admin_urls(m: Marking) -> Iterator[str]:
    """The admin site: every registered model's list, and the audit entry pages of the marking stage."""
    yield "/admin/"
    for model in admin.site._registry:
        yield f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
    for entry in _marking_stage_entries(m):
        yield f"/admin/audit/auditentry/{entry.pk}/change/"


def _text(response: HttpResponse) -> tuple[str, Any]:
    """What a reader gets from a response, as text (an Excel export cell by cell), and its JSON if it is JSON."""
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        cells = [str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row
                 if v is not None]
        return "\n".join(cells), None
    text = response.content.decode("utf-8", errors="replace")
    if "json" in content_type:
        return text, json.loads(text)
    return text, None


@dataclass
class Read:
    url: str
    status: int
    text: str
    data: Any
    audit: bool


def _reads(m: Marking, client: Client, viewer: User) -> Iterator[Read]:
    for url, query in _api_calls(m, viewer):
        response = client.get(url, query)
        assert response.status_code < 500, (url, query, response.status_code)
        yield Read(f"{url}?{query}", response.status_code, *_text(response), audit=url.startswith("/api/v1/audit/"))
    for url in _page_urls(m, viewer):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        yield Read(url, response.status_code, *_text(response), audit=url.startswith("/audit/"))
    for url in _admin_urls(m):
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        yield Read(url, response.status_code, *_text(response), audit=url.startswith("/admin/audit/"))


def _signed_in(client: Client, username: str) -> tuple[Client, User]:
    user = User.objects.get(username=username)
    client.force_login(user, backend="accounts.auth.AccountBackend")
    return client, user


# --- the tests ----------------------------------------------------------------------------------------------------


def _walk(m: Marking, client: Client, username: str) -> tuple[list[str], list[str], list[str], int, int]:
    """(pairings found, audit reads naming a workstation, proofs handing over a redacted entry's salt, 200s, audit
    200s) of everything `username` reads."""
    client, viewer = _signed_in(client, username)
    leaks, audit_named, salts, read, audited = [], [], [], 0, 0
    for r in _reads(m, client, viewer):
        read += r.status == 200
        found = m.leak(r.text, r.data)
        if found:
            leaks.append(f"{r.url}: {found}")
        if r.audit and r.status == 200:
            audited += 1
            station = m.pattern.search(r.text)
            if station:
                audit_named.append(f"{r.url}: {station.group(0)}")
            if isinstance(r.data, dict) and r.data.get("salt"):
                salts.append(r.url)
    return leaks, audit_named, salts, read, audited


def test_nothing_the_organizer_or_the_admin_reads_joins_a_workstation_to_a_person_before_decryption(
    marking: Marking, client: Client,
) -> None:
    """One test for both phases and both readers: the demo takes a while to build."""
    assert marking.electrician.decrypted_at is None
    for username in ("organizer", "admin"):
        leaks, audit_named, salts, read, audited = _walk(marking, client, username)
        assert not leaks, (username, leaks[:5])
        assert not audit_named, (username, audit_named[:5])
        assert not salts, (username, salts[:5])
        # it read a lot: both skills' pages and API, the sign-offs' histories, the admin site
        assert read > 150 and audited > 100, (username, read, audited)
    assert audit_verify().problem is None  # redaction is at read time: the sealed log still verifies

    # After decryption the same reads show the mapping: the detector fires, so the walk above was not vacuous.
    _mark_everything(marking.electrician)
    _sign_off_complete(marking.electrician, User.objects.get(username="chief"))
    services.skill_decrypt(officer=User.objects.get(username="encryptor"), skill=marking.electrician)
    audit_seal_all()
    for username in ("organizer", "admin"):
        leaks, audit_named, salts, _read, _audited = _walk(marking, client, username)
        assert any("/draws/" in url for url in leaks), (username, leaks[:5])  # the 工位号 → 检录号 → person table
        assert any("/results" in url for url in leaks), (username, leaks[:5])  # provisional standings by name
        assert any("competitions.sheet" in url for url in audit_named), (username, audit_named[:5])
        if username == "admin":
            assert any(url.startswith("/admin/audit/") for url in audit_named), audit_named[:5]
        assert salts, username  # an entry shown whole comes with its salt, to check its leaf


# --- values recorded by name (the remaining routes of issue 9 item 1) ---------------------------------------------
#
# The organizer records the theory score and the completion time by name (the theory page), and withdraws an entry
# by name (the registrations page). If anything they or the admin read per workstation moved with it, the
# workstation that moved would be that person's. So: everything they read that names a 电工 workstation is read
# before and after each of those writes, and must not have changed.

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def _by_workstation(m: Marking, client: Client, username: str) -> dict[str, list[str]]:
    """url → what of the response says something per 电工 workstation: each JSON object holding a workstation
    number, or, for a page or an export, its visible text (tags and their attributes, CSRF tokens among them,
    removed), when it names one."""
    client, viewer = _signed_in(client, username)
    seen: dict[str, list[str]] = {}
    for r in _reads(m, client, viewer):
        if r.status != 200:
            continue
        if r.data is not None:
            objects = [json.dumps(o, sort_keys=True, ensure_ascii=False) for o in _objects(r.data)
                       if any(isinstance(v, str) and v in m.workstations for v in o.values())]
            if objects:
                seen[r.url] = sorted(objects)
            continue
        text = _SPACE.sub(" ", _TAG.sub(" ", r.text))
        if m.pattern.search(text):
            seen[r.url] = [text]
    return seen


def _moved(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[str]:
    return sorted(url for url in before.keys() | after.keys() if before.get(url) != after.get(url))


def _contestant(m: Marking, index: int) -> Entry:
    """One approved 电工 entry, found the organizer's way: by a contestant's name."""
    name = sorted(m.names)[index]
    return Entry.objects.get(skill=m.electrician, status=EntryStatus.APPROVED, members__person__real_name=name)


def test_what_the_organizer_records_by_name_moves_nothing_the_organizer_or_the_admin_reads_by_workstation(
    marking: Marking, client: Client,
) -> None:
    """Route 1 (theory score and completion time) and route 2 (a withdrawal during marking)."""
    m = marking
    organizer = User.objects.get(username="organizer")
    Skill.objects.filter(pk=m.electrician.pk).update(theory_weight=Decimal("0.3"))  # the demo's 电工 has none
    readers = ("organizer", "admin")
    before = {u: _by_workstation(m, client, u) for u in readers}
    assert all(before.values())  # they do read workstations (the venues page lists them)

    zhang = _contestant(m, 0)
    services.entry_theory_record(actor=organizer, entry=zhang, score=Decimal("87.5"))
    services.entry_completion_time_record(actor=organizer, entry=zhang, completion_time=timedelta(minutes=42,
                                                                                                 seconds=10))
    after = {u: _by_workstation(m, client, u) for u in readers}
    for u in readers:
        assert not _moved(before[u], after[u]), (u, "theory and time", _moved(before[u], after[u])[:5])

    services.entry_withdraw(actor=organizer, entry=_contestant(m, 1), reason="身体不适，退赛")
    withdrawn = {u: _by_workstation(m, client, u) for u in readers}
    for u in readers:
        assert not _moved(after[u], withdrawn[u]), (u, "withdrawal", _moved(after[u], withdrawn[u])[:5])


def test_the_skill_s_chief_referee_ranks_the_practical_part_alone_before_decryption(
    marking: Marking, client: Client,
) -> None:
    """The jury still gets per-workstation standings for sign-off, without what was recorded by name; the organizer
    gets how far marking is."""
    m = marking
    organizer = User.objects.get(username="organizer")
    Skill.objects.filter(pk=m.electrician.pk).update(theory_weight=Decimal("0.3"))
    zhang = _contestant(m, 0)
    services.entry_theory_record(actor=organizer, entry=zhang, score=Decimal("87.5"))
    services.entry_completion_time_record(actor=organizer, entry=zhang, completion_time=timedelta(minutes=42))
    url = f"/api/v1/competitions/events/{m.event.pk}/results"

    client, _chief = _signed_in(client, "chief")
    (skill,) = [s for s in client.get(url).json()["skills"] if s["skill_id"] == m.electrician.pk]
    assert skill["shown"] == "practical" and skill["progress"] is None and len(skill["rows"]) == 20
    assert all(r["theory"] is None and r["completion_time"] is None and r["award"] is None for r in skill["rows"])
    assert all(r["total"] == r["practical"] for r in skill["rows"])
    practicals = [Decimal(r["practical"]) for r in skill["rows"]]
    assert practicals == sorted(practicals, reverse=True)
    assert "用时短者列前" not in skill["tie_breaks"] and "理论成绩高者列前" not in skill["tie_breaks"]

    client, _organizer = _signed_in(client, "organizer")
    (skill,) = [s for s in client.get(url).json()["skills"] if s["skill_id"] == m.electrician.pk]
    assert skill["shown"] == "progress" and skill["rows"] == []
    assert skill["progress"] == {"workstations": 20, "sheets": 40, "signed_off": 10}
    page = client.get(f"/competitions/events/{m.event.pk}/results/").content.decode()
    assert 'data-testid="marking-progress"' in page

    # After decryption everyone who may see the results gets them whole, theory and time included.
    _mark_everything(m.electrician)
    _sign_off_complete(m.electrician, User.objects.get(username="chief"))
    services.skill_decrypt(officer=User.objects.get(username="encryptor"), skill=m.electrician)
    (skill,) = [s for s in client.get(url).json()["skills"] if s["skill_id"] == m.electrician.pk]
    assert skill["shown"] == "full" and skill["named"] is True
    (row,) = [r for r in skill["rows"] if r["workstation_no"] == Entry.objects.get(pk=zhang.pk).workstation_no]
    assert Decimal(row["theory"]) == Decimal("87.5") and row["completion_time"] is not None


def test_a_workstation_typed_into_a_reason_is_not_read_back_before_decryption(
    marking: Marking, client: Client,
) -> None:
    """Route 3: free text of the marking stage (a correction's reason, a regrouping's reason and group names) is
    hidden from the organizer and the admin with the 工位号, and read whole by the jury."""
    m = marking
    chief = User.objects.get(username="chief")
    signed = Sheet.objects.filter(entry__skill=m.electrician, status=SheetStatus.SIGNED_OFF).order_by("pk")[1]
    mark = Mark.objects.filter(entry=signed.entry, aspect__module=signed.module).order_by("pk").first()
    assert mark is not None
    station = signed.entry.workstation_no
    correction = services.correction_request(actor=chief, mark_id=mark.pk, new_value=Decimal(0),
                                             reason=f"复核：{station} 接线图看错")
    referees = list(User.objects.filter(referee_assignments__skill=m.electrician,
                                        referee_assignments__role="referee").order_by("pk"))
    services.marking_groups_form(actor=chief, skill=m.electrician, reason=f"{station} 的裁判申报回避，重新分组",
                                 groups=[services.GroupData((referees[0].pk, referees[1].pk), f"{station}组"),
                                         services.GroupData(tuple(r.pk for r in referees[2:]), "第二组")])
    audit_seal_all()

    for username in ("organizer", "admin"):
        _leaks, audit_named, salts, _read, audited = _walk(m, client, username)
        assert not audit_named, (username, audit_named[:5])
        assert not salts, (username, salts[:5])
        assert audited > 100, (username, audited)
    query = {"target_type": "competitions.markcorrection", "target_id": correction.pk}
    history = client.get("/api/v1/audit/entries", query).json()
    requested = next(e for e in history if e["action"] == "competitions.correction.requested")
    assert requested["reason"] == REDACTED and "reason" in requested["redacted"], history

    # The jury would read what it wrote whole (the log is not open to it, so asked of the redactors themselves),
    # and so does everyone once the skill is decrypted.
    typed = list(AuditEntry.objects.filter(reason__contains=station).order_by("pk"))
    assert {e.action for e in typed} == {"competitions.correction.requested", "competitions.groups.formed"}
    assert redactions_for(chief, typed) == {}
    hidden = redactions_for(User.objects.get(username="organizer"), typed)
    assert set(hidden) == {e.pk for e in typed} and all(h.reason == REDACTED for h in hidden.values())
    formed = next(e for e in typed if e.action == "competitions.groups.formed")
    assert "name" in hidden[formed.pk].fields and station not in json.dumps(hidden[formed.pk].new, ensure_ascii=False)
    Skill.objects.filter(pk=m.electrician.pk).update(decrypted_at=timezone.now())  # as skill_decrypt leaves it
    assert redactions_for(User.objects.get(username="organizer"), typed) == {}

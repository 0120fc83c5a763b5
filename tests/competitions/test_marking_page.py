"""The referee's marking page (issue 10 item 3): what each aspect says it takes, each cell's value and state, the
referee's progress, saving one cell with htmx (answered with the cell) or by a plain POST (redirected back to the
cell), refusals in the cell with their message, and the page's query budget however many workstations.

The scenario's referee_a marks enterprise B's two workstations: A1 (full or zero, max 20), A2 (tolerance around
60, max 30), J1 (WorldSkills 0–3, max 30) and J2 (mean of three, max 20); A's are left out (recused)."""

from __future__ import annotations

import re
from decimal import Decimal
from uuid import uuid4

import pytest
from django.test import Client

from audit.models import AuditEntry
from competitions import selectors, services
from competitions.domain.scoring import ToleranceRow
from competitions.models import Mark, MarkRevision, Sheet
from tests.competitions.steps import Scenario, mark, mark_entry, marking_cell_html

D = Decimal
HTMX = {"HX-Request": "true"}
# The page's queries, the same for 4 workstations and 20: the session's user, the skill, the referee's assignment,
# the skill's referees with their aspects, units and relations (4), the scheme, its aspects with their modules, the
# entries, their marks, signed-off sheets and members.
MARKING_PAGE_BUDGET = 13
# A mark saved from the page with htmx: the mark path's budget (test_mark_path.NEW_MARK_BUDGET, 10) and the cell
# read back through the access function (the aspect, the entry with its sheet, the panel with its marks).
HTMX_MARK_BUDGET = 13


def _url(s: Scenario) -> str:
    return f"/competitions/skills/{s.skill.pk}/marking/"


def _sheet(s: Scenario) -> selectors.MarkingSheetView:
    return selectors.marking_sheet(referee=s.referee_a, skill=s.skill)


def _cell(sheet: selectors.MarkingSheetView, workstation_no: str, code: str) -> selectors.CellView:
    return next(c for w in sheet.workstations if w.workstation_no == workstation_no for c in w.cells
                if c.aspect_code == code)


def _post(client: Client, s: Scenario, workstation_no: str, code: str, value: str, key: str | None = None,
          *, htmx: bool = True):  # type: ignore[no-untyped-def]
    payload = {"workstation_no": workstation_no, "aspect_code": code, "value": value,
               "idempotency_key": key or str(uuid4())}
    return client.post(_url(s), payload, headers=HTMX if htmx else {})


def _key(fragment: str) -> str:
    found = re.search(r'name="idempotency_key" value="([0-9a-f-]{36})"', fragment)
    assert found is not None, fragment
    return found.group(1)


# --- what the selector gives the page ---------------------------------------------------------------------------


def test_each_aspect_says_what_its_input_takes(scenario: Scenario) -> None:
    aspects = {a.code: a for a in _sheet(scenario).aspects}
    a1, a2, j1, j2 = (aspects[c] for c in ("A1", "A2", "J1", "J2"))
    assert (a1.module, a1.module_name, a1.description, a1.max_mark) == ("M1", "测量", "焊缝尺寸", D(20))
    assert [(c.value, c.label) for c in a1.choices] == [(D(0), "零分"), (D(20), "满分")]
    assert a1.tolerance_rows == [] and "0 或满分 20" in a1.entry_hint
    # The measured value, not a mark: the nominal and the table as the marks it gives.
    assert a2.entry_label == "实测值" and a2.choices == [] and a2.nominal == D(60)
    assert "不是分数" in a2.entry_hint and "标准值 60" in a2.entry_hint
    assert a2.tolerance_rows == [
        ToleranceRow(D("0.5"), D(0), D(30), D("59.5"), D("60.5")),
        ToleranceRow(D(1), D(10), D(20), D(59), D(61)),
        ToleranceRow(D(2), D(20), D(10), D(58), D(62)),
        ToleranceRow(None, None, D(0), None, None),
    ]
    # WorldSkills: the four scores with DESIGN.md's descriptors; the mean method takes marks 0..max.
    assert j1.entry_label == "评价分" and "0–3" in j1.entry_hint
    assert [(c.value, c.label) for c in j1.choices] == [
        (D(0), "低于行业标准"), (D(1), "达到行业标准"), (D(2), "部分超出行业标准"), (D(3), "优秀")]
    assert j2.entry_label == "分数" and j2.choices == [] and "0–20" in j2.entry_hint
    assert (j1.method_label, j2.module_name) == ("评价（世赛三人 0–3 分）", "评价")


def test_a_zero_is_a_saved_value_and_counts_towards_progress(scenario: Scenario) -> None:
    s = scenario
    no = s.entries_b[0].workstation_no
    before = _sheet(s)
    assert (before.marked, before.total) == (0, 8)  # two workstations × four aspects
    assert _cell(before, no, "A1").state == "unmarked" and _cell(before, no, "A1").state_label == "未评"
    mark(s.referee_a, s.entries_b[0], s.aspects["A1"], 0)
    mark(s.referee_a, s.entries_b[0], s.aspects["A2"], D("61"))
    sheet = _sheet(s)
    a1, a2 = _cell(sheet, no, "A1"), _cell(sheet, no, "A2")
    assert (a1.my_value, a1.state, a1.state_label, a1.my_mark, a1.may_mark) == (D(0), "saved", "已保存", D(0), True)
    assert (a2.my_value, a2.my_mark) == (D(61), D(20))  # 61 is 1 off the nominal 60: 30 − 10
    assert (sheet.marked, sheet.total) == (2, 8)
    numbers = sorted(e.workstation_no for e in s.entries_b)
    assert [(w.workstation_no, w.marked, w.total) for w in sheet.workstations] == [
        (n, 2 if n == no else 0, 4) for n in numbers]
    page = Client()
    page.force_login(s.referee_a, backend="accounts.auth.AccountBackend")
    html = marking_cell_html(page.get(_url(s)).content.decode(), no, "A1")
    assert 'data-testid="my-value">0</strong>' in html and 'data-state="saved"' in html and "data-marked" in html
    assert 'value="0" id="cell-' in html and 'aria-pressed="true"' in html  # the 0 choice shows as chosen


def test_a_judgement_cell_hides_the_panel_until_my_own_score(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    entry, no = s.entries_b[0], s.entries_b[0].workstation_no
    mark(s.r1, entry, s.aspects["J1"], 3)
    client = client_of(s.referee_a)
    cell = marking_cell_html(client.get(_url(s)).content.decode(), no, "J1")
    assert "录入本人评分后可见" in cell and ">3<" not in cell.split('class="others"')[1].split("</span>")[0]
    fragment = _post(client, s, no, "J1", "2").content.decode()
    assert 'class="others">其他裁判：3<' in fragment.replace("\n", "")


def test_a_signed_off_sheet_is_read_only_and_says_so(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    entry = s.entries_b[0]
    mark_entry(s, entry)
    services.sheet_sign_off(chief=s.chief, sheet_id=Sheet.objects.get(entry=entry, module__code="M1").pk)
    a1 = _cell(_sheet(s), entry.workstation_no, "A1")
    assert (a1.state, a1.state_label, a1.may_mark, a1.signed_off) == ("locked", "已签字锁定", False, True)
    assert _cell(_sheet(s), entry.workstation_no, "J1").state == "saved"  # M2 is still open
    client = client_of(s.referee_a)
    refused = _post(client, s, entry.workstation_no, "A1", "0")  # a page drawn before the sign-off
    fragment = refused.content.decode()
    assert refused.status_code == 409 and 'data-code="mark.sheet_locked"' in fragment
    assert 'data-state="locked"' in fragment and 'name="value"' not in fragment and "申请更正" in fragment
    assert Mark.objects.get(entry=entry, aspect=s.aspects["A1"]).value == 20


def test_an_htmx_post_without_a_session_gets_no_cell(scenario: Scenario, client: Client) -> None:
    """The login page after the redirect is not a cell (no X-Marking-Cell): the page's script goes there instead
    of swapping it into the sheet."""
    response = _post(client, scenario, scenario.entries_b[0].workstation_no, "A1", "20")
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert "X-Marking-Cell" not in response and not Mark.objects.exists()


# --- saving with htmx, and without --------------------------------------------------------------------------------


def test_htmx_saves_a_cell_and_answers_with_the_cell_alone(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    no = s.entries_b[0].workstation_no
    client = client_of(s.referee_a)
    key = str(uuid4())
    response = _post(client, s, no, "A2", "60.3", key)
    fragment = response.content.decode()
    assert response.status_code == 200 and "<html" not in fragment and "<main" not in fragment
    assert response["X-Marking-Cell"] == "1"  # what the page's script swaps into a cell
    assert f'id="cell-{no}-A2"' in fragment and 'data-state="saved"' in fragment
    assert re.search(r'class="cell-msg success" id="[^"]+" data-cell-message data-code="done">已保存。<', fragment)
    assert 'data-testid="my-value">60.3<' in fragment and 'data-testid="my-mark">30<' in fragment
    assert _key(fragment) != key  # the next attempt gets a fresh key
    assert Mark.objects.get(entry=s.entries_b[0], aspect=s.aspects["A2"]).value == D("60.3")
    # A retry of the same attempt (its reply lost) is answered with the stored mark, written once.
    again = _post(client, s, no, "A2", "60.3", key)
    assert again.status_code == 200 and 'data-code="done"' in again.content.decode()
    # A retry carrying another value than the stored one says so instead of passing as saved.
    other = _post(client, s, no, "A2", "61", key).content.decode()
    assert 'data-code="mark.replayed_other_value"' in other and 'data-testid="my-value">60.3<' in other
    assert MarkRevision.objects.count() == 1


def test_htmx_shows_a_refused_value_in_the_cell(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    no = s.entries_b[0].workstation_no
    client = client_of(s.referee_a)
    bad = _post(client, s, no, "J1", "5")
    fragment = bad.content.decode()
    assert bad.status_code == 422 and 'data-code="mark.judgement_score_invalid"' in fragment
    assert "0, 1, 2, 3" in fragment and 'data-state="unmarked"' in fragment and 'name="value"' in fragment
    partial = _post(client, s, no, "A1", "10").content.decode()
    assert 'data-code="mark.not_full_or_zero"' in partial
    typo = _post(client, s, no, "A2", "六十")
    fragment = typo.content.decode()
    assert typo.status_code == 422 and 'data-code="mark.not_a_number"' in fragment
    assert 'value="六十"' in fragment and 'aria-invalid="true"' in fragment  # kept, to be corrected
    assert not Mark.objects.exists()


def test_a_cell_refused_to_the_referee_gets_the_one_neutral_message(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    """referee_a is recused from enterprise A's workstations: an htmx attempt on one gets the same words as any
    refusal, a closed cell without an input, and the audit entry keeps the reason (DESIGN.md "Recusal without a
    leak")."""
    s = scenario
    no = s.entries_a[0].workstation_no
    refused = _post(client_of(s.referee_a), s, no, "A1", "20")
    fragment = refused.content.decode()
    assert refused.status_code == 403 and "<html" not in fragment and refused["X-Marking-Cell"] == "1"
    assert 'data-code="mark.not_assigned"' in fragment and "您未被安排评判该评分项或该工位。" in fragment
    assert 'data-state="closed"' in fragment and "<form" not in fragment and 'name="value"' not in fragment
    assert "回避" not in fragment and "同属一个单位" not in fragment and "recusal" not in fragment
    off_panel = _post(client_of(s.r3), s, s.entries_b[0].workstation_no, "J1", "2").content.decode()
    assert 'data-code="mark.not_assigned"' in off_panel  # the same words for an aspect not on one's panel
    assert not Mark.objects.exists()
    audit = AuditEntry.objects.filter(action="competitions.mark.refused").order_by("id").first()
    assert audit is not None and audit.reason.startswith("recusal.")


def test_a_withdrawn_entry_s_cell_closes_naming_the_stage_not_a_person(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    entry = s.entries_b[0]
    services.entry_withdraw(actor=s.organizer, entry=entry, reason="选手因伤退赛")
    response = _post(client_of(s.referee_a), s, entry.workstation_no, "A1", "20")
    fragment = response.content.decode()
    assert response.status_code == 409 and 'data-code="entry.withdrawn"' in fragment
    assert 'data-state="closed"' in fragment and "<form" not in fragment and "选手已退赛，不能评分。" in fragment
    assert entry.members.get().person.real_name not in fragment


def test_a_plain_post_still_saves_and_lands_on_the_cell(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    no = s.entries_b[0].workstation_no
    client = client_of(s.referee_a)
    response = _post(client, s, no, "A1", "0", htmx=False)
    assert response.status_code == 302 and response.url == f"{_url(s)}#cell-{no}-A1"
    assert Mark.objects.get(entry=s.entries_b[0], aspect=s.aspects["A1"]).value == 0
    page = client.get(response.url).content.decode()
    assert 'class="success" data-code="done"' in page
    assert 'data-testid="my-value">0<' in marking_cell_html(page, no, "A1")
    typo = client.post(_url(s), {"workstation_no": no, "aspect_code": "A2", "value": "x",
                                 "idempotency_key": str(uuid4())}, follow=True)
    assert 'data-code="mark.not_a_number"' in typo.content.decode()


def test_each_input_is_labelled_with_its_workstation_and_aspect_in_sheet_order(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of
) -> None:
    s = scenario
    page = client_of(s.referee_a).get(_url(s)).content.decode()
    numbers = sorted(e.workstation_no for e in s.entries_b)
    cells = re.findall(r'id="cell-([^"]+)-([A-Z]\d)" data-cell', page)
    assert cells == [(no, code) for no in numbers for code in ("A1", "A2", "J1", "J2")]  # the sheet's order
    assert f'aria-label="工位 {numbers[0]} · 评分项 A2 · 实测值"' in page
    assert f'aria-label="工位 {numbers[0]} · 评分项 J1：3 优秀"' in page
    assert "tabindex" not in page.split("<main", 1)[1]  # the document order is the tab order
    assert page.count('name="csrfmiddlewaretoken"') >= 8 and page.count("hx-post=") == 8
    keys = re.findall(r'name="idempotency_key" value="([0-9a-f-]{36})"', page)
    assert len(keys) == len(set(keys)) == 8  # one fresh key per cell


# --- budgets ----------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cast", ["scenario", "big_scenario"])
def test_the_marking_page_costs_the_same_queries_however_many_workstations(  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest, client_of, django_assert_max_num_queries, cast: str
) -> None:
    s: Scenario = request.getfixturevalue(cast)
    for entry in s.entries_b[:2]:
        mark_entry(s, entry)
    client = client_of(s.r1)  # on every panel: every workstation and aspect
    client.get("/")  # signed in already
    with django_assert_max_num_queries(MARKING_PAGE_BUDGET):
        page = client.get(_url(s)).content.decode()
    sheet = selectors.marking_sheet(referee=s.r1, skill=s.skill)
    assert page.count('data-testid="workstation"') == len(s.entries) == len(sheet.workstations)
    assert page.count("data-cell ") == sheet.total == 4 * len(s.entries_a) + 2 * len(s.entries_b)  # A1, A2: A's only


@pytest.mark.django_db(transaction=True)
def test_a_mark_saved_with_htmx_keeps_its_budget(scenario: Scenario, client_of, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    client = client_of(s.referee_a)
    assert client.get(_url(s)).status_code == 200
    with django_assert_max_num_queries(HTMX_MARK_BUDGET):
        assert _post(client, s, s.entries_b[0].workstation_no, "A1", "20").status_code == 200

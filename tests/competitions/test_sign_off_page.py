"""The chief referee's sign-off page (issue 10 item 4): the panel's scores beside a divergence (no names), every
sign-off asks before it submits, the clean sheets signed off together, in a fixed number of queries."""

from __future__ import annotations

import re

from django.test import Client

from audit.models import AuditEntry
from competitions import selectors
from competitions.models import Sheet, SheetStatus
from tests.accounts.steps import bearer
from tests.competitions.steps import Scenario, mark, mark_entry


def _url(s: Scenario) -> str:
    return f"/competitions/skills/{s.skill.pk}/sheets/"


def test_a_divergence_shows_the_panel_s_scores_without_names_beside_its_reason_field(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of
) -> None:
    s = scenario
    entry = s.entries_b[1]
    mark_entry(s, entry, j1=(0, 2, 3))  # J1 diverges: max − min = 3
    html = client_of(s.chief).get(_url(s)).content.decode()
    sheet = Sheet.objects.get(entry=entry, module__code="M2")
    row = html.split(f'data-sheet="{sheet.pk}"', 1)[1].split("</tr>", 1)[0]
    assert 'data-testid="panel-scores" data-aspect="J1"' in row and "0、2、3" in row
    assert 'name="confirm_J1"' in row and "required" in row
    # Never who gave which. Random tokens (CSRF, CSP nonce) are taken out first: a username as short as "r2" can
    # turn up inside one by chance.
    words = re.sub(r"[A-Za-z0-9_-]{20,}", " ", html)
    for referee in s.panel(entry):
        assert referee.username not in words and referee.real_name not in html
    # The API gives the chief the same scores.
    listed = Client().get(f"/api/v1/competitions/skills/{s.skill.pk}/sheets", **bearer(s.chief)).json()
    (api_row,) = [r for r in listed if r["sheet_id"] == sheet.pk]
    assert [float(v) for v in api_row["panel_scores"]["J1"]] == [0, 2, 3]


def test_on_a_phone_each_sheet_reads_as_a_labelled_card_with_its_divergence_above_the_reason(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of
) -> None:
    """A table scrolled sideways on a phone put the 工位号 out of sight while the chief typed a divergence's reason;
    as a stacked table (platform.css: cards under 720px) every cell is labelled and on its own line."""
    s = scenario
    entry = s.entries_b[1]
    mark_entry(s, entry, j1=(0, 2, 3))
    html = client_of(s.chief).get(_url(s)).content.decode()
    assert 'data-testid="sheets" class="stacked"' in html
    sheet = Sheet.objects.get(entry=entry, module__code="M2")
    row = html.split(f'data-sheet="{sheet.pk}"', 1)[1].split("</tr>", 1)[0]
    labels = [part.split('"', 1)[0] for part in row.split('<td data-label="')[1:]]
    assert labels == ["工位号", "模块", "成绩", "状态", "分歧（本组评分，不含裁判姓名）"]
    assert row.index('data-testid="panel-scores"') < row.index('name="confirm_J1"')


def test_every_sign_off_form_asks_before_it_submits(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    mark_entry(s, s.entries_b[0])
    html = client_of(s.chief).get(_url(s)).content.decode()
    forms = [f for f in html.split("<form")[1:] if 'name="sheet_id"' in f.split(">", 1)[1].split("</form>")[0]]
    assert forms and all("data-confirm=" in f.split(">", 1)[0] for f in forms)


def test_the_clean_sheets_are_signed_off_together_and_a_sheet_that_changed_meanwhile_is_left_open(  # type: ignore[no-untyped-def]
    scenario: Scenario, client_of
) -> None:
    s = scenario
    for entry in s.entries:
        mark_entry(s, entry)
    client = client_of(s.chief)
    html = client.get(_url(s)).content.decode()
    form = html.split('data-testid="sign-off-clean"', 1)[1].split("</form>", 1)[0]
    shown = [int(v) for v in form.split('name="sheet_id" value="')[1:] for v in [v.split('"', 1)[0]]]
    assert sorted(shown) == sorted(Sheet.objects.filter(entry__skill=s.skill).values_list("pk", flat=True))
    # Before the chief clicks, one referee changes a judgement score so that J1 of one sheet now diverges.
    changed = Sheet.objects.get(entry=s.entries_a[0], module__code="M2")
    mark(s.panel(s.entries_a[0])[0], s.entries_a[0], s.aspects["J1"], 0)
    response = client.post(_url(s), {"clean": "1", "sheet_id": shown}, follow=True)
    text = response.content.decode()
    assert f"已一并签字确认 {len(shown) - 1} 份评分表。" in text
    assert 'data-code="sheet.divergent"' in text and s.entries_a[0].workstation_no in text
    statuses = dict(Sheet.objects.filter(pk__in=shown).values_list("pk", "status"))
    assert statuses.pop(changed.pk) == SheetStatus.OPEN
    assert set(statuses.values()) == {SheetStatus.SIGNED_OFF}
    assert AuditEntry.objects.filter(action="competitions.sheet.signed_off").count() == len(shown) - 1


def test_the_bulk_sign_off_is_the_chief_s_only_and_refuses_an_empty_list_or_an_unknown_sheet(
    scenario: Scenario, client: Client
) -> None:
    s = scenario
    mark_entry(s, s.entries_b[0])
    clean = [v.sheet_id for v in selectors.chief_sheets(chief=s.chief, skill=s.skill) if v.clean]
    url = f"/api/v1/competitions/skills/{s.skill.pk}/sheets/sign-off"
    refused = client.post(url, {"sheet_ids": clean}, content_type="application/json", **bearer(s.r1))
    assert refused.status_code == 403
    assert client.post(url, {"sheet_ids": []}, content_type="application/json",
                       **bearer(s.chief)).status_code == 422
    unknown = Sheet.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    foreign = client.post(url, {"sheet_ids": [*clean, unknown]}, content_type="application/json",
                          **bearer(s.chief))
    assert foreign.status_code == 404
    assert not Sheet.objects.filter(status=SheetStatus.SIGNED_OFF).exists()  # a refused request signs nothing
    done = client.post(url, {"sheet_ids": clean}, content_type="application/json", **bearer(s.chief))
    assert done.status_code == 200
    body = done.json()
    assert sorted(r["sheet_id"] for r in body["signed"]) == sorted(clean) and body["left_open"] == []
    again = client.post(url, {"sheet_ids": clean}, content_type="application/json", **bearer(s.chief)).json()
    assert again["signed"] == [] and {r["code"] for r in again["left_open"]} == {"sheet.already_signed"}


def test_the_page_for_forty_sheets_costs_what_it_costs_for_eight(  # type: ignore[no-untyped-def]
    big_scenario: Scenario, client_of, django_assert_max_num_queries
) -> None:
    s = big_scenario
    for entry in s.entries[::2]:
        mark_entry(s, entry)
    client = client_of(s.chief)
    assert Sheet.objects.filter(entry__skill=s.skill).count() >= 40
    with django_assert_max_num_queries(10):  # the same budget as eight sheets (tests/competitions/test_pages.py)
        html = client.get(_url(s)).content.decode()
    assert html.count('data-testid="sheet"') >= 40

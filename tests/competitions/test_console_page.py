"""The offline referee console's views (issue 11 item 1; competitions.views.console): the console page, its web app
manifest and its service worker answer with their content types, to the same access as the marking page
(anonymous → the login page, a referee of another skill → refused by `access.access_skill_for_marking`), and the
console lists only what the referee marks: the scenario's referee_a, recused from enterprise A, sees enterprise
B's two workstations and nothing of A's."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from accounts.models import Role
from competitions import services
from competitions.models import RefereeRole
from competitions.views.console import USER_HEADER, worker_version
from tests.accounts.factories import person
from tests.competitions.factories import SkillFactory, welding_scheme
from tests.competitions.steps import Scenario, mark


def _console(s: Scenario) -> str:
    return f"/competitions/skills/{s.skill.pk}/console/"


def _manifest(s: Scenario) -> str:
    return f"/competitions/skills/{s.skill.pk}/console/manifest.webmanifest"


WORKER = "/competitions/console-sw.js"


def _workstations(html: str) -> list[str]:
    return re.findall(r'data-testid="workstation" data-workstation="([^"]+)"', html)


@pytest.mark.parametrize("url", [_console, _manifest, lambda s: WORKER])
def test_anonymous_callers_are_sent_to_sign_in(scenario: Scenario, client: Client, url) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url(scenario))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("url", [_console, _manifest])
def test_a_referee_of_another_skill_is_refused(scenario: Scenario, client_of, exam_center, url) -> None:  # type: ignore[no-untyped-def]
    elsewhere = SkillFactory(event=scenario.event, name="电工")
    services.scheme_save(actor=scenario.organizer, skill=elsewhere, modules=welding_scheme())
    other = person(Role.REFEREE, exam_center, username="elsewhere")
    services.referee_assign(actor=scenario.organizer, skill=elsewhere, referee=other, role=RefereeRole.REFEREE)
    assert client_of(other).get(f"/competitions/skills/{elsewhere.pk}/console/").status_code == 200
    assert client_of(other).get(url(scenario)).status_code == 404  # not assigned: as the marking page answers


def test_someone_without_the_referee_role_gets_no_worker(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    assert client_of(scenario.organizer).get(WORKER).status_code == 403


def test_the_console_lists_only_the_referee_s_own_workstations(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    mark(s.referee_a, s.entries_b[0], s.aspects["A1"], 20)
    response = client_of(s.referee_a).get(_console(s))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert response[USER_HEADER] == str(s.referee_a.pk)  # what the worker files the page under
    html = response.content.decode()
    assert _workstations(html) == sorted(e.workstation_no for e in s.entries_b)
    assert not set(_workstations(html)) & {e.workstation_no for e in s.entries_a}
    # Each cell with its range and what it takes; the referee's own value as the server holds it.
    first = s.entries_b[0].workstation_no
    assert f'data-workstation="{first}" data-aspect="A1"' in html
    cell = re.search(rf'id="c-{first}-A1"[^>]*data-server-value="([^"]*)"', html, re.S)
    assert cell is not None and cell.group(1) == "20"
    assert "0 或满分 20" in html and "评价分 0–3" in html and "达到行业标准" in html
    # The script's words come from the page, translated; the manifest and worker are linked.
    assert 'data-t-offline="' in html and f'data-worker="{WORKER}"' in html
    assert f'rel="manifest" href="{_manifest(s)}" crossorigin="use-credentials"' in html
    assert "<script>" not in html and "style=" not in html  # the Content-Security-Policy allows neither


def test_the_manifest_opens_the_skill_s_console_standalone(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    response = client_of(scenario.referee_a).get(_manifest(scenario))
    assert response.status_code == 200 and response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "技能山东 裁判评分" and manifest["display"] == "standalone"
    assert manifest["start_url"] == _console(scenario)
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512", "any"}


def test_the_manifest_speaks_the_referee_s_language(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    scenario.referee_a.language = "en"
    scenario.referee_a.save(update_fields=["language"])
    manifest = json.loads(client_of(scenario.referee_a).get(_manifest(scenario)).content)
    assert manifest["name"] == "Skills Shandong referee console"


def test_the_worker_is_javascript_allowed_the_whole_site_and_versioned(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    response = client_of(scenario.referee_a).get(WORKER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert body.startswith(f'self.CONSOLE_VERSION = "{worker_version()}";') and "addEventListener(\"fetch\"" in body

"""With DEBUG off (as the test server runs) the Content-Security-Policy breaks nothing: each demo role's pages, the
admin site and the interactive API docs load without a refused script, style or image, or any console error."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.steps import outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The demo's event, its published skill (焊工), the one being marked (电工), the one under review (汽车维修工, with
# objections) and the one with a divergent panel (数控车工), by their ids in this database.
PAGES = {
    "admin": ["/", "/accounts/people/", "/accounts/tokens/", "/audit/", "/admin/", "/admin/accounts/user/",
              "/admin/accounts/organization/add/", "/certification/banks/", "/certification/banks/{welder}/4/",
              "/certification/banks/{welder}/4/questions/", "/certification/banks/{welder}/4/blueprint/",
              "/certification/banks/{welder}/4/trial/",
              "/api/v1/docs"],  # last: the check below waits for the docs to render
    "organizer": ["/competitions/", "/competitions/events/{event}/manage/", "/competitions/events/{event}/results/",
                  "/competitions/skills/{published}/excel/", "/competitions/events/{event}/titles/",
                  "/competitions/events/{event}/board/", "/competitions/events/{event}/board/jury/?screen=1"],
    "referee": ["/competitions/mine/", "/competitions/skills/{marking}/marking/",
                "/competitions/skills/{marking}/console/"],
    "chief": ["/competitions/skills/{marking}/sheets/", "/competitions/skills/{published}/corrections/",
              "/competitions/skills/{review}/objections/", "/competitions/skills/{divergent}/sheets/"],
    "encryptor": ["/competitions/draws/", "/competitions/events/{event}/draws/"],
    "examcenter": ["/certification/batches/", "/certification/batches/{batch}/"],
    "candidate": ["/certification/registrations/mine/"],
}


def _demo_ids() -> dict[str, int]:
    from competitions import demo
    from competitions.models import Skill

    published, marking, review, divergent = (Skill.objects.get(event__name=demo.EVENT_NAME, name=n) for n in (
        "焊工", "电工", demo.REVIEW_SKILL, demo.DIVERGENT_SKILL))
    from certification import demo_batches
    from certification.models import Batch, Occupation

    return {"event": published.event_id, "published": published.pk, "marking": marking.pk, "review": review.pk,
            "divergent": divergent.pk, "welder": Occupation.objects.get(code="6-18-02-04").pk,
            "batch": Batch.objects.get(name=demo_batches.BATCH_NAME).pk}


def test_the_policy_refuses_nothing_the_pages_need(page, demo_data, asgi_server: str, artifacts: Path) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    # A refused resource is a console error ("Refused to load …", "Refused to apply inline style …"); a missing one
    # is a failed response, listed by URL (the browser's own /favicon.ico probe aside).
    page.on("console", lambda message: message.type == "error" and not message.text.startswith("Failed to load")
            and problems.append(f"{page.url}: {message.text}"))
    page.on("response", lambda response: response.status >= 400 and not response.url.endswith("/favicon.ico")
            and problems.append(f"{response.url}: {response.status}"))
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    ids = outside_the_browser_loop(_demo_ids)
    for username, urls in PAGES.items():
        sign_in(page, asgi_server, username)
        for url in (u.format(**ids) for u in urls):
            response = page.goto(asgi_server + url)
            page.wait_for_load_state("networkidle")
            assert response is not None and response.status == 200, (username, url)
            assert "default-src 'self'" in (response.headers.get("content-security-policy") or ""), url
        if username == "admin":
            page.wait_for_selector("#swagger-ui .opblock")  # the docs rendered under the policy
            page.screenshot(path=str(artifacts / "api-docs-under-csp.png"))
        page.goto(asgi_server + "/")
        page.click("form[action$='/logout/'] button")
        page.wait_for_url(f"{asgi_server}/accounts/login/")
    assert problems == []

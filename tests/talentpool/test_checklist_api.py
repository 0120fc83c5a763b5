"""The checklists' API: file, read, replace, submit, Excel; 422 naming field paths; 404 for another unit."""

from __future__ import annotations

import io

import pytest
from django.test import Client

from accounts.models import Organization, OrganizationKind, Role, User
from talentpool.domain import checklists as d
from talentpool.excel import checklists as excel
from talentpool.models import DemandChecklist
from talentpool.selectors import checklists as selectors
from tests.accounts.factories import OrganizationFactory, person
from tests.certification.factories import occupation
from tests.talentpool.checklist_forms import TURNER, WELDER, demand_form, supply_form

pytestmark = pytest.mark.django_db
API = "/api/v1/talentpool"


@pytest.fixture(autouse=True)
def _catalogue(db: None) -> None:
    occupation(WELDER, "焊工")
    occupation(TURNER, "车工")


def test_hr_files_reads_replaces_and_submits(client_of, hr_of_a: User, enterprise_a: Organization) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_of(hr_of_a)
    body = {"year": 2026, "form": d.to_dict(demand_form()), "reason": "API"}
    answer = client.post(f"{API}/enterprises/{enterprise_a.pk}/demand-checklists", body,
                         content_type="application/json")
    assert answer.status_code == 200, answer.json()
    checklist_id = answer.json()["id"]
    assert answer.json()["form"]["posts"][0]["occupation_name"] == "焊工"
    assert len(answer.json()["post_ids"]) == 1
    form = d.to_dict(demand_form())
    form["posts"][0]["headcount"] = 9
    answer = client.put(f"{API}/demand-checklists/{checklist_id}", {"form": form}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["form"]["posts"][0]["headcount"] == 9
    assert client.post(f"{API}/demand-checklists/{checklist_id}/submit").json()["status"] == "submitted"
    assert client.post(f"{API}/demand-checklists/{checklist_id}/submit").status_code == 409
    assert [r["id"] for r in client.get(f"{API}/demand-checklists?status=submitted").json()] == [checklist_id]
    exported = client.get(f"{API}/demand-checklists/{checklist_id}/export")
    assert exported.status_code == 200
    assert excel.read_demand(exported.content, selectors.chains_by_name()).form.posts[0].headcount == 9


def test_bad_fields_are_named_by_path(client_of, hr_of_a: User, enterprise_a: Organization) -> None:  # type: ignore[no-untyped-def]
    form = d.to_dict(demand_form(contact_email="x@"))
    form["posts"][0]["headcount"] = 0
    form["posts"][0]["level"] = "大师"
    answer = client_of(hr_of_a).post(f"{API}/enterprises/{enterprise_a.pk}/demand-checklists",
                                     {"year": 2026, "form": form}, content_type="application/json")
    assert answer.status_code == 422
    assert set(answer.json()["fields"]) == {"posts[0].headcount", "posts[0].level", "contact_email"}
    no_post = d.to_dict(demand_form(posts=()))
    answer = client_of(hr_of_a).post(f"{API}/enterprises/{enterprise_a.pk}/demand-checklists",
                                     {"year": 2026, "form": no_post}, content_type="application/json")
    assert answer.json()["fields"] == {"posts": ["需求清单至少要有一个岗位。"]}
    assert not DemandChecklist.objects.exists()


def test_another_unit_gets_404(client_of, hr_of_a: User, hr_of_b: User, enterprise_a: Organization) -> None:  # type: ignore[no-untyped-def]
    client_of(hr_of_a).post(f"{API}/enterprises/{enterprise_a.pk}/demand-checklists",
                            {"year": 2026, "form": d.to_dict(demand_form())}, content_type="application/json")
    checklist = DemandChecklist.objects.get()
    other: Client = client_of(hr_of_b)
    assert other.get(f"{API}/demand-checklists/{checklist.pk}").status_code == 404
    assert other.put(f"{API}/demand-checklists/{checklist.pk}", {"form": d.to_dict(demand_form())},
                     content_type="application/json").status_code == 404
    assert other.get(f"{API}/demand-checklists").json() == []


def test_a_college_imports_its_supply_workbook(client_of) -> None:  # type: ignore[no-untyped-def]
    college = OrganizationFactory(kind=OrganizationKind.COLLEGE)
    client: Client = client_of(person(Role.COLLEGE_STAFF, college))
    data = excel.supply_workbook(2026, supply_form(), selectors.chain_names())
    upload = io.BytesIO(data)
    upload.name = "supply.xlsx"
    answer = client.post(f"{API}/colleges/{college.pk}/supply-checklists/import", {"file": upload})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["form"]["teachers"][0]["senior_title"] == 8
    bad = io.BytesIO(b"not a workbook")
    bad.name = "x.xlsx"
    answer = client.post(f"{API}/colleges/{college.pk}/supply-checklists/import", {"file": bad})
    assert answer.status_code == 422 and answer.json()["rows"][0]["sheet"] == "院校供给清单"
    assert client.get(f"{API}/supply-checklist-template").status_code == 200


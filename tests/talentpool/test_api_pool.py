"""The pool's API (issue 14 items 2, 3, 7): contact requests and their moves, the person's profile, the shortlist
and saved searches, each through the same services as the pages; contact data masked until consent."""

from __future__ import annotations

import pytest

from accounts.models import User
from talentpool.models import Talent
from talentpool.services.profiles import ProfileData, talent_profile_update
from tests.talentpool.factories import talent_of

pytestmark = pytest.mark.django_db
PHONE = "13612345678"


@pytest.fixture
def talent(worker_of_a: User) -> Talent:
    t = talent_of(worker_of_a)
    talent_profile_update(actor=worker_of_a, data=ProfileData(contact_phone=PHONE, open_to_offers=True))
    return t


def test_contact_request_moves_through_the_api(client_of, talent: Talent, hr_of_a: User,  # type: ignore[no-untyped-def]
                                               worker_of_a: User) -> None:
    hr = client_of(hr_of_a)
    made = hr.post("/api/v1/talentpool/contact-requests", {"talent_id": talent.pk, "message": "面试"},
                   content_type="application/json")
    assert made.status_code == 201 and made.json()["status"] == "pending"
    request_id = made.json()["id"]
    again = hr.post("/api/v1/talentpool/contact-requests", {"talent_id": talent.pk}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "talentpool.contact.open_exists"
    assert hr.get(f"/api/v1/talentpool/talents/{talent.pk}").json()["contact"] is None
    assert hr.post(f"/api/v1/talentpool/me/contact-requests/{request_id}/accept", {},
                   content_type="application/json").status_code == 404  # the HR is not the person
    person = client_of(worker_of_a)
    inbox = person.get("/api/v1/talentpool/me/contact-requests").json()
    assert [r["id"] for r in inbox] == [request_id]
    accepted = person.post(f"/api/v1/talentpool/me/contact-requests/{request_id}/accept", {},
                           content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    hr = client_of(hr_of_a)
    assert hr.get(f"/api/v1/talentpool/talents/{talent.pk}").json()["contact"]["phone"] == PHONE
    assert hr.get("/api/v1/talentpool/contact-requests").json()[0]["contact"]["phone"] == PHONE
    person = client_of(worker_of_a)
    revoked = person.post(f"/api/v1/talentpool/me/contact-requests/{request_id}/revoke", {"reason": "不再考虑"},
                          content_type="application/json")
    assert revoked.json()["status"] == "revoked"
    hr = client_of(hr_of_a)
    assert hr.get(f"/api/v1/talentpool/talents/{talent.pk}").json()["contact"] is None
    assert hr.get("/api/v1/talentpool/contact-requests").json()[0]["contact"] is None


def test_the_person_edits_their_profile_through_the_api(client_of, talent: Talent, worker_of_a: User) -> None:  # type: ignore[no-untyped-def]
    person = client_of(worker_of_a)
    bad = person.put("/api/v1/talentpool/me", {"contact_phone": "123", "contact_email": "x@"},
                     content_type="application/json")
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"contact_phone", "contact_email"}
    good = person.put("/api/v1/talentpool/me", {"city": "yantai", "years_experience": 4,
                                                "skills": [{"name": "数控车床编程", "rung": 5}]},
                      content_type="application/json")
    assert good.status_code == 200 and good.json()["city_label"] == "烟台"
    assert good.json()["skills"][0]["name"] == "数控车床编程" and good.json()["years_experience"] == 4
    cleared = person.put("/api/v1/talentpool/me", {"city": "yantai"}, content_type="application/json")
    assert cleared.status_code == 200 and cleared.json()["years_experience"] is None  # absent: not given
    none_yet = person.put("/api/v1/talentpool/me", {"years_experience": 0}, content_type="application/json")
    assert none_yet.json()["years_experience"] == 0


def test_shortlist_and_saved_searches_through_the_api(client_of, talent: Talent, hr_of_a: User,  # type: ignore[no-untyped-def]
                                                      hr_of_b: User) -> None:
    hr = client_of(hr_of_a)
    added = hr.post("/api/v1/talentpool/shortlist", {"talent_id": talent.pk, "note": "优先"},
                    content_type="application/json")
    assert added.status_code == 201
    listed = hr.get("/api/v1/talentpool/shortlist").json()
    assert listed[0]["note"] == "优先" and listed[0]["talent"]["contact"] is None
    saved = hr.post("/api/v1/talentpool/saved-searches", {"name": "焊工", "query": {"occupation": "焊工"}},
                    content_type="application/json")
    assert saved.status_code == 201
    run = hr.get(f"/api/v1/talentpool/saved-searches/{saved.json()['id']}/run").json()
    assert run["total"] == 1 and run["rows"][0]["id"] == talent.pk
    other = client_of(hr_of_b)
    assert other.get(f"/api/v1/talentpool/saved-searches/{saved.json()['id']}/run").status_code == 404
    assert other.delete(f"/api/v1/talentpool/shortlist/{added.json()['id']}").status_code in (403, 404)
    hr = client_of(hr_of_a)
    assert hr.delete(f"/api/v1/talentpool/shortlist/{added.json()['id']}").status_code == 204
    assert hr.delete(f"/api/v1/talentpool/saved-searches/{saved.json()['id']}").status_code == 204


def test_the_profile_page_has_a_query_budget(client_of, talent: Talent, hr_of_a: User,  # type: ignore[no-untyped-def]
                                             django_assert_max_num_queries) -> None:
    hr = client_of(hr_of_a)
    with django_assert_max_num_queries(20):
        assert hr.get(f"/talentpool/talents/{talent.pk}/").status_code == 200


def test_the_home_page_tells_the_person_of_waiting_requests(client_of, talent: Talent, hr_of_a: User,  # type: ignore[no-untyped-def]
                                                            worker_of_a: User) -> None:
    client_of(hr_of_a).post(f"/talentpool/talents/{talent.pk}/contact/", {"message": "你好"})
    home = client_of(worker_of_a).get("/").content.decode()
    assert 'data-code="talentpool.contact_requests"' in home

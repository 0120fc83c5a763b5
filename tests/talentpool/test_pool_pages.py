"""The pool's pages (issue 14 items 1, 2, 7): search with filters and a query budget, the profile page, the
person's profile and inbox, saved searches, the shortlist, the exports — contact data masked on each until the
person consents, shown after acceptance, masked again after revocation; and who may open what."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import OrganizationKind, Role, User
from talentpool.models import ContactRequest, ContactStatus, IntakePolicy, SavedSearch, ShortlistItem, Talent
from talentpool.services import contacts
from talentpool.services.profiles import ProfileData, talent_profile_update
from tests.accounts.factories import OrganizationFactory, person
from tests.talentpool.factories import talent_of

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


@pytest.fixture
def talent(worker_of_a: User) -> Talent:
    t = talent_of(worker_of_a)
    talent_profile_update(actor=worker_of_a, data=ProfileData(city="qingdao", years_experience=6,
                                                              open_to_offers=True, contact_phone=PHONE,
                                                              contact_email="weld@example.cn"))
    return t


def _sheet_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)


def _outputs(client: Client, talent: Talent) -> dict[str, str]:
    return {
        "profile": client.get(reverse("talentpool:talent", args=[talent.pk])).content.decode(),
        "search": client.get(reverse("talentpool:pool")).content.decode(),
        "api_search": client.get("/api/v1/talentpool/talents").content.decode(),
        "api_profile": client.get(f"/api/v1/talentpool/talents/{talent.pk}").content.decode(),
        "export": _sheet_text(client.get(reverse("talentpool:pool_export")).content),
        "shortlist_export": _sheet_text(client.get(reverse("talentpool:shortlist") + "?format=xlsx").content),
    }


def test_contact_is_masked_in_every_output_until_consent_and_after_revocation(
        client_of, talent: Talent, hr_of_a: User, worker_of_a: User) -> None:  # type: ignore[no-untyped-def]
    hr = client_of(hr_of_a)
    hr.post(reverse("talentpool:shortlist_add", args=[talent.pk]), {"note": "焊工候选"})
    before = _outputs(hr, talent)
    for name, text in before.items():
        assert PHONE not in text and "weld@example.cn" not in text, name
    assert "已隐藏，需本人同意" in before["profile"] and "已隐藏，需本人同意" in before["export"]
    hr.post(reverse("talentpool:contact_request", args=[talent.pk]), {"message": "诚邀面试"})
    request = ContactRequest.objects.get()
    person_page = client_of(worker_of_a)
    inbox = person_page.get(reverse("talentpool:my_requests")).content.decode()
    assert "诚邀面试" in inbox and PHONE in inbox  # what the enterprise will see
    person_page.post(reverse("talentpool:my_request_move", args=[request.pk, "accept"]))
    hr = client_of(hr_of_a)
    after = _outputs(hr, talent)
    for name, text in after.items():
        assert PHONE in text, name
    assert PHONE in hr.get(reverse("talentpool:contact_requests")).content.decode()
    client_of(worker_of_a).post(reverse("talentpool:my_request_move", args=[request.pk, "revoke"]),
                                {"reason": "已入职"})
    request.refresh_from_db()
    assert request.status == ContactStatus.REVOKED
    hr = client_of(hr_of_a)
    for name, text in _outputs(hr, talent).items():
        assert PHONE not in text, name


def test_another_enterprise_never_sees_the_contact(client_of, talent: Talent, hr_of_a: User, hr_of_b: User,  # type: ignore[no-untyped-def]
                                                   worker_of_a: User) -> None:
    request = contacts.contact_request_create(actor=hr_of_a, talent_id=talent.pk)
    contacts.contact_request_accept(actor=worker_of_a, request_id=request.pk)
    for name, text in _outputs(client_of(hr_of_b), talent).items():
        assert PHONE not in text, name


def test_search_filters_and_query_budget(client_of, hr_of_a: User, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for i in range(25):
        t = talent_of(person(None, None, real_name=f"人才{i:02d}"), code="6-18-02-04" if i % 2 else "6-20-01-01",
                      name="焊工" if i % 2 else "电工")
        Talent.objects.filter(pk=t.pk).update(city="jinan" if i % 3 == 0 else "weifang", open_to_offers=i % 5 != 0)
    hr = client_of(hr_of_a)
    with django_assert_max_num_queries(16):
        page = hr.get(reverse("talentpool:pool"))
    assert page.status_code == 200 and page.content.decode().count('data-talent="') == 20
    assert "第 1 / 2 页" in page.content.decode()
    found = hr.get(reverse("talentpool:pool"), {"occupation": "6-18-02-04", "city": "jinan", "open_only": "1"})
    expected = [i for i in range(25) if i % 2 and i % 3 == 0 and i % 5 != 0]
    assert found.content.decode().count('data-talent="') == len(expected)
    by_name = hr.get(reverse("talentpool:pool"), {"occupation": "电工", "min_rung": "6"})
    assert by_name.content.decode().count('data-talent="') == 0
    with django_assert_max_num_queries(16):
        api = hr.get("/api/v1/talentpool/talents", {"occupation": "6-18", "page": "2"})
    assert api.status_code == 200 and api.json()["total"] == 12


def test_saved_searches_and_shortlist(client_of, talent: Talent, hr_of_a: User, hr_of_b: User) -> None:  # type: ignore[no-untyped-def]
    hr = client_of(hr_of_a)
    hr.post(reverse("talentpool:saved_search_create"), {"name": "青岛焊工", "occupation": "焊工", "city": "qingdao"})
    saved = SavedSearch.objects.get()
    assert saved.query == {"occupation": "焊工", "city": "qingdao"}
    page = hr.get(reverse("talentpool:pool")).content.decode()
    assert "青岛焊工" in page
    hr.post(reverse("talentpool:shortlist_add", args=[talent.pk]), {"note": "重点"})
    assert "重点" in hr.get(reverse("talentpool:shortlist")).content.decode()
    other = client_of(hr_of_b)
    assert other.post(reverse("talentpool:saved_search_delete", args=[saved.pk])).status_code == 404
    item = ShortlistItem.objects.get()
    assert other.post(reverse("talentpool:shortlist_remove", args=[item.pk])).status_code in (403, 404)
    assert "重点" not in other.get(reverse("talentpool:shortlist")).content.decode()
    hr = client_of(hr_of_a)
    hr.post(reverse("talentpool:saved_search_delete", args=[saved.pk]))
    hr.post(reverse("talentpool:shortlist_remove", args=[item.pk]))
    assert not SavedSearch.objects.exists() and not ShortlistItem.objects.exists()


def test_who_may_open_the_pool(client_of, talent: Talent, outsider: User, organizer: User) -> None:  # type: ignore[no-untyped-def]
    college = OrganizationFactory(name="测试技师学院", kind=OrganizationKind.COLLEGE)
    college_staff = person(Role.COLLEGE_STAFF, college)
    for someone in (outsider, college_staff):
        c = client_of(someone)
        assert c.get(reverse("talentpool:pool")).status_code == 403
        assert c.get(reverse("talentpool:talent", args=[talent.pk])).status_code in (403, 404)
        assert c.get("/api/v1/talentpool/talents").status_code == 403
        assert c.post(reverse("talentpool:contact_request", args=[talent.pk])).status_code in (403, 404)
        assert c.get(reverse("talentpool:shortlist")).status_code == 403
    staff = client_of(organizer)
    assert staff.get(reverse("talentpool:pool")).status_code == 200
    assert PHONE not in staff.get(reverse("talentpool:talent", args=[talent.pk])).content.decode()


def test_the_person_edits_the_profile_page_with_field_errors(client_of, talent: Talent, worker_of_a: User) -> None:  # type: ignore[no-untyped-def]
    c = client_of(worker_of_a)
    page = c.get(reverse("talentpool:my_profile"))
    assert page.status_code == 200 and PHONE in page.content.decode()
    bad = c.post(reverse("talentpool:my_profile"), {"education": "0", "years_experience": "3",
                                                    "contact_phone": "12345", "contact_email": "x@",
                                                    "skill_0": "氩弧焊", "skill_rung_0": "5"})
    assert bad.status_code == 422
    html = bad.content.decode()
    assert 'data-field="contact_phone"' in html and 'data-field="contact_email"' in html
    good = c.post(reverse("talentpool:my_profile"), {"education": "3", "years_experience": "9", "city": "zibo",
                                                     "contact_phone": "0533-12345678", "skill_0": "氩弧焊",
                                                     "skill_rung_0": "5", "open_to_offers": "on"})
    assert good.status_code == 302
    talent.refresh_from_db()
    assert talent.city == "zibo" and talent.contact_phone == "0533-12345678" and talent.skills.count() == 1


def test_someone_outside_the_pool_is_told_how_to_come_in(client_of, outsider: User) -> None:  # type: ignore[no-untyped-def]
    page = client_of(outsider).get(reverse("talentpool:my_profile"))
    assert page.status_code == 200 and "不在优秀技能人才库中" in page.content.decode()


def test_the_admin_changes_the_policy_with_a_reason_and_adds_a_chain(client_of, platform_admin: User,  # type: ignore[no-untyped-def]
                                                                     hr_of_a: User) -> None:
    admin = client_of(platform_admin)
    refused = admin.post(reverse("talentpool:intake_policy"), {"min_competition_level": "city",
                                                               "min_certificate_rung": "4", "reason": ""})
    assert refused.status_code == 422 and 'data-field="reason"' in refused.content.decode()
    admin.post(reverse("talentpool:intake_policy"), {"min_competition_level": "provincial_2", "award_codes": ["gold"],
                                                     "min_certificate_rung": "4", "reason": "扩大高级工入库"})
    policy = IntakePolicy.objects.order_by("-created_at", "-pk").first()
    assert policy is not None and policy.min_certificate_rung == 4 and policy.reason == "扩大高级工入库"
    assert admin.post(reverse("talentpool:intake_run")).status_code == 302
    admin.post(reverse("talentpool:chains"), {"code": "smart-home", "name": "智能家居"})
    assert "智能家居" in admin.get(reverse("talentpool:chains")).content.decode()
    assert client_of(hr_of_a).get(reverse("talentpool:intake_policy")).status_code == 403


def test_years_nobody_gave_read_not_given_everywhere_and_a_person_can_give_or_clear_them(
        client_of, worker_of_a: User, hr_of_a: User) -> None:  # type: ignore[no-untyped-def]
    """Intake brings a person in from a certificate, which says nothing of their years in the trade: the pool
    showed "0 年" for them, as if they had none (fixed: None, read 未填写)."""
    talent = talent_of(worker_of_a)
    assert talent.years_experience is None
    hr = client_of(hr_of_a)
    outputs = _outputs(hr, talent)
    assert "<dt>从业年限</dt><dd>未填写</dd>" in outputs["profile"]
    assert "<td>未填写</td>" in outputs["search"]
    assert '"years_experience": null' in outputs["api_profile"]
    book = openpyxl.load_workbook(io.BytesIO(hr.get(reverse("talentpool:pool_export")).content))
    header, *rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][header.index("从业年限")] is None  # an empty cell, not 0
    me = client_of(worker_of_a)
    assert me.post(reverse("talentpool:my_profile"), {"education": "3", "years_experience": "0"}).status_code == 302
    talent.refresh_from_db()
    assert talent.years_experience == 0  # the person's own "none yet" is kept as 0
    assert "<dt>从业年限</dt><dd>0 年</dd>" in client_of(hr_of_a).get(
        reverse("talentpool:talent", args=[talent.pk])).content.decode()
    me = client_of(worker_of_a)  # one test client, signed in again
    assert me.post(reverse("talentpool:my_profile"), {"education": "3", "years_experience": ""}).status_code == 302
    talent.refresh_from_db()
    assert talent.years_experience is None

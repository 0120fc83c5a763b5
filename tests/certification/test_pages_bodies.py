"""The bodies' certificate pages (certpages): the list of bodies with their filing codes (the admin sees every
body and links to each filing page; a body's staff their own; a candidate is refused), one body's certificates
with filters (batch, status, number or name), paginated, with the body's Excel export; another body's staff and
outsiders get 404; the names are escaped; a query budget."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Organization, Role, User
from certification.models import Certificate
from certification.selectors import bodies
from certification.services import certificates as services
from tests.accounts.factories import person
from tests.certification.certificate_steps import file_codes, published_batch

pytestmark = pytest.mark.usefixtures("certificate_keys")


@pytest.fixture
def issued(exam_staff: User, exam_center: Organization, enterprise_a: Organization, platform_admin: User,  # type: ignore[no-untyped-def]
           settings) -> list[Certificate]:
    file_codes(platform_admin, exam_center)
    sitting = published_batch(exam_staff, exam_center, enterprise_a, settings)
    return list(services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk).issued)


def test_the_admin_lists_every_body_with_its_filing_codes(client_of, issued, platform_admin: User,  # type: ignore[no-untyped-def]
                                                          exam_center: Organization) -> None:
    unfiled = Organization.objects.create(name="<i>丁考核站</i>", kind="exam_center", city="潍坊")
    page = client_of(platform_admin).get(reverse("certification:bodies")).content.decode()
    assert f'data-body="{exam_center.pk}" data-filed="true"' in page and "0000 · 37 · 000123" in page
    assert f'data-body="{unfiled.pk}" data-filed="false"' in page
    assert "&lt;i&gt;丁考核站&lt;/i&gt;" in page and "<i>丁考核站" not in page
    assert reverse("certification:body_filing", args=[unfiled.pk]) in page
    assert reverse("certification:body_certificates", args=[exam_center.pk]) in page
    home = client_of(platform_admin).get(reverse("home")).content.decode()
    assert reverse("certification:bodies") in home  # the navigation offers it


def test_a_bodys_staff_see_only_their_own_body(client_of, issued, exam_staff: User,  # type: ignore[no-untyped-def]
                                               exam_center: Organization) -> None:
    other = Organization.objects.create(name="另一考核站", kind="exam_center", city="青岛")
    page = client_of(exam_staff).get(reverse("certification:bodies")).content.decode()
    assert f'data-body="{exam_center.pk}"' in page and f'data-body="{other.pk}"' not in page
    assert reverse("certification:bodies") in client_of(exam_staff).get(reverse("home")).content.decode()


def test_a_candidate_has_no_bodies_page(client_of, issued) -> None:  # type: ignore[no-untyped-def]
    holder = issued[0].holder
    client = client_of(holder)
    assert client.get(reverse("certification:bodies")).status_code in (403, 404)
    assert reverse("certification:bodies") not in client.get(reverse("home")).content.decode()


def test_the_body_page_lists_filters_and_exports(client_of, issued, exam_staff: User,  # type: ignore[no-untyped-def]
                                                 exam_center: Organization) -> None:
    services.certificate_revoke(actor=exam_staff, certificate_id=issued[0].pk, reason="材料造假")
    client = client_of(exam_staff)
    url = reverse("certification:body_certificates", args=[exam_center.pk])
    batch_url = reverse("certification:certificates", args=[issued[0].registration.batch_id])
    assert url in client.get(batch_url).content.decode()
    page = client.get(url).content.decode()
    assert issued[0].number in page and issued[1].number in page and 'data-testid="export-link"' in page
    revoked = client.get(url, {"status": "revoked"}).content.decode()
    assert issued[0].number in revoked and issued[1].number not in revoked
    by_number = client.get(url, {"q": issued[1].number[-6:]}).content.decode()
    assert issued[1].number in by_number and issued[0].number not in by_number
    by_name = client.get(url, {"q": issued[0].holder_name}).content.decode()
    assert issued[0].number in by_name
    by_batch = client.get(url, {"batch": str(issued[0].registration.batch_id)}).content.decode()
    assert issued[0].number in by_batch and issued[1].number in by_batch
    none = client.get(url, {"batch": "999999", "status": "nonsense"}).content.decode()
    assert 'data-testid="none"' in none
    assert issued[0].id_number_masked in page  # masked, never the full ID number
    assert issued[0].holder.id_number not in page
    export = client.get(reverse("certification:body_certificates_export", args=[exam_center.pk]))
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_body_page_is_paginated(client_of, issued, exam_staff: User, exam_center: Organization,  # type: ignore[no-untyped-def]
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bodies, "PER_PAGE", 1)
    client = client_of(exam_staff)
    url = reverse("certification:body_certificates", args=[exam_center.pk])
    first = client.get(url).content.decode()
    assert 'data-testid="pager"' in first and 'rel="next"' in first
    second = client.get(url, {"page": "2"}).content.decode()
    assert first.count("data-certificate=") == second.count("data-certificate=") == 1
    assert client.get(url, {"page": "x"}).status_code == 200


def test_outsiders_and_other_bodies_get_404(client_of, issued, outsider: User,  # type: ignore[no-untyped-def]
                                            exam_center: Organization) -> None:
    other_staff = person(Role.EXAM_CENTER_STAFF, Organization.objects.create(name="另一考核站", kind="exam_center",
                                                                            city="青岛"), username="other_staff")
    for user in (outsider, other_staff):
        client = client_of(user)
        assert client.get(reverse("certification:body_certificates", args=[exam_center.pk])).status_code == 404
        assert client.get(reverse("certification:body_certificates_export",
                                  args=[exam_center.pk])).status_code == 404


def test_organizer_staff_read_every_body(client_of, issued, organizer: User, exam_center: Organization) -> None:  # type: ignore[no-untyped-def]
    client = client_of(organizer)
    assert f'data-body="{exam_center.pk}"' in client.get(reverse("certification:bodies")).content.decode()
    assert client.get(reverse("certification:body_certificates", args=[exam_center.pk])).status_code == 200


def test_the_body_page_has_a_query_budget(client_of, issued, exam_staff: User, exam_center: Organization,  # type: ignore[no-untyped-def]
                                          django_assert_max_num_queries) -> None:
    client = client_of(exam_staff)
    url = reverse("certification:body_certificates", args=[exam_center.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    services.certificate_reissue(actor=exam_staff, certificate_id=issued[0].pk, reason="遗失", kind="lost")  # type: ignore[arg-type]
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)

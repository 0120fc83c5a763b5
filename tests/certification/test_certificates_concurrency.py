"""Gap-free numbering under concurrency (issue 13 item 2): transactions issuing for the same site, year and level
at the same moment, each thread on its own database connection, get consecutive serials with no duplicate and no
gap; two bodies issuing at once each count their own. PostgreSQL only: SQLite serialises every writer on one
database lock, so it cannot show the race (and its in-memory test database is not shared between threads)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from accounts.models import Organization, OrganizationKind, Role, User
from certification.models import Certificate, CertificateSerial, HeldLevel, SourceKind
from certification.services import certificates as services
from tests.accounts.factories import person
from tests.certification.certificate_steps import file_codes
from tests.certification.factories import occupation

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL: SQLite serialises writers on one lock and shares no test database "
                              "between threads, so no race can be shown"),
    pytest.mark.usefixtures("certificate_keys"),
]

WORKERS = 8


def _promotions(unit: Organization, n: int, prefix: str) -> list[int]:
    welder = occupation()
    people = [person(Role.CANDIDATE, unit, username=f"{prefix}{i}", real_name=f"选手{i}") for i in range(n)]
    return [HeldLevel.objects.create(
        person=p, occupation=welder, level=3, source_kind=SourceKind.PROMOTION,
        source_type=ContentType.objects.get_for_model(Organization), source_id=unit.pk + 1000 * i,
        source_label="省赛", obtained_on=timezone.localdate(), recorded_at=timezone.now()).pk
        for i, p in enumerate(people)]


def _race(jobs: list[tuple[User, int, int]]) -> list[BaseException]:
    barrier = threading.Barrier(len(jobs))
    errors: list[BaseException] = []

    def issue(actor: User, held_id: int, body_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.certificate_issue_promotion(actor=actor, held_level_id=held_id, body_id=body_id)
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_of_one_site_get_consecutive_numbers(platform_admin: User) -> None:
    unit = Organization.objects.create(name="省竞赛办", kind=OrganizationKind.ORGANIZER, city="济南")
    staff = person(Role.ORGANIZER_STAFF, unit, username="org_staff")
    file_codes(platform_admin, unit, site="000001")
    held_ids = _promotions(unit, WORKERS, "p")
    assert _race([(staff, h, unit.pk) for h in held_ids]) == []
    serials = sorted(Certificate.objects.values_list("serial", flat=True))
    assert serials == list(range(1, WORKERS + 1))  # no duplicate, no gap
    assert CertificateSerial.objects.get().last == WORKERS
    assert len(set(Certificate.objects.values_list("status_index", flat=True))) == WORKERS


@pytest.mark.django_db(transaction=True)
def test_two_bodies_issuing_at_once_each_count_their_own(platform_admin: User) -> None:
    units = [Organization.objects.create(name=f"竞赛办{i}", kind=OrganizationKind.ORGANIZER, city="济南")
             for i in range(2)]
    jobs = []
    for i, unit in enumerate(units):
        staff = person(Role.ORGANIZER_STAFF, unit, username=f"staff{i}")
        file_codes(platform_admin, unit, site=f"00000{i + 1}")
        jobs += [(staff, h, unit.pk) for h in _promotions(unit, WORKERS // 2, f"b{i}_")]
    assert _race(jobs) == []
    for unit in units:
        serials = sorted(Certificate.objects.filter(body=unit).values_list("serial", flat=True))
        assert serials == list(range(1, WORKERS // 2 + 1))
    assert Certificate.objects.values("number").distinct().count() == WORKERS

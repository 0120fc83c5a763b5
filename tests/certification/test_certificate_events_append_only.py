"""A certificate's history (CertificateEvent) is append-only, as the audit entries are: the model and its queryset
refuse a change or a deletion, and the database refuses a raw UPDATE (both databases) and a raw DELETE
(PostgreSQL; on SQLite the DELETE trigger is left out for Django's test flush, migration 0008)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.models import Organization, User
from certification.models import CertificateEvent
from certification.services import certificates as services
from core.errors import Conflict
from tests.certification.certificate_steps import file_codes, published_batch

pytestmark = pytest.mark.usefixtures("certificate_keys")


@pytest.fixture
def event(exam_staff: User, exam_center: Organization, enterprise_a: Organization, platform_admin: User,  # type: ignore[no-untyped-def]
          settings) -> CertificateEvent:
    file_codes(platform_admin, exam_center)
    sitting = published_batch(exam_staff, exam_center, enterprise_a, settings)
    services.certificate_issue_batch(actor=exam_staff, batch_id=sitting.batch.pk)
    found = CertificateEvent.objects.order_by("pk").first()
    assert found is not None
    return found


def _raw(sql: str, *params: str | int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, list(params))


def test_the_database_refuses_an_update_of_a_certificate_event(event: CertificateEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"):
        _raw("UPDATE certification_certificateevent SET reason = %s WHERE id = %s", "改写", event.pk)
    assert CertificateEvent.objects.get(pk=event.pk).reason == event.reason


def test_the_database_refuses_a_delete_of_a_certificate_event(event: CertificateEvent) -> None:
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match="append-only"):
            _raw("DELETE FROM certification_certificateevent WHERE id = %s", event.pk)
    with pytest.raises(Conflict) as refused:
        event.delete()
    assert refused.value.code == "certificate.events_append_only"
    with pytest.raises(Conflict):
        CertificateEvent.objects.filter(pk=event.pk).delete()
    assert CertificateEvent.objects.filter(pk=event.pk).exists()


def test_the_model_refuses_a_change_of_a_certificate_event(event: CertificateEvent) -> None:
    event.reason = "改写"
    with pytest.raises(Conflict):
        event.save()
    with pytest.raises(Conflict):
        CertificateEvent.objects.filter(pk=event.pk).update(reason="改写")
    assert CertificateEvent.objects.get(pk=event.pk).reason == ""

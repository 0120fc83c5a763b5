"""The demo's certificates (certification.demo_certificates): seed_demo issues to the passed candidates of the
demo's second batch, revokes one with a reason, issues the promotions' certificates, prints a verification URL;
running it again doubles nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from certification.demo_certificates import BATCH_NAME, REVOKED_REASON
from certification.models import Certificate

pytestmark = pytest.mark.usefixtures("certificate_keys")


def test_the_demo_issues_revokes_and_prints_a_verification_url(db: None) -> None:
    out = io.StringIO()
    call_command("seed_demo", verbosity=0, stdout=out)
    batch = Certificate.objects.filter(registration__batch__name=BATCH_NAME)
    assert batch.count() == 2  # candidate3 failed the practical
    assert list(batch.filter(status="revoked").values_list("revoked_reason", flat=True)) == [REVOKED_REASON]
    assert Certificate.objects.filter(source="promotion").exists()
    count = Certificate.objects.count()
    call_command("seed_demo", verbosity=0, stdout=out)
    assert Certificate.objects.count() == count

"""The demo's certificates (certification.demo_certificates): seed_demo issues to the passed candidates of the
demo's finished batch (certification.demo_published), revokes one with a reason, issues the promotions'
certificates, prints a verification URL; running it again doubles nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from certification.demo_certificates import BATCH_NAME, REVOKED_HOLDER, REVOKED_REASON
from certification.models import Certificate

pytestmark = pytest.mark.usefixtures("certificate_keys")


def test_the_demo_issues_revokes_and_prints_a_verification_url(db: None) -> None:
    out = io.StringIO()
    call_command("seed_demo", verbosity=0, stdout=out)
    batch = Certificate.objects.filter(registration__batch__name=BATCH_NAME)
    assert batch.count() == 6  # six of the eight passed
    assert list(batch.filter(status="revoked").values_list("holder__username", "revoked_reason")) == [
        (REVOKED_HOLDER, REVOKED_REASON)]
    assert batch.filter(holder__username="candidate", status="valid").exists()
    assert Certificate.objects.filter(source="promotion").exists()
    count = Certificate.objects.count()
    call_command("seed_demo", verbosity=0, stdout=out)
    assert Certificate.objects.count() == count

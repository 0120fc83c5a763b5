"""The demo's running exam (certification.demo_exam) stays usable whenever `make demo` runs: a later seeding tops
the demo candidate's time up by the invigilator's audited extra time once less than an hour is left, and does
nothing while enough is left."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from certification.models import ExtraTimeGrant, Sitting
from certification.selectors.exam import sitting_timing


def _mine() -> Sitting:
    return Sitting.objects.select_related("part", "part__exam_policy").get(candidate__username="candidate")


def test_a_later_seeding_tops_the_running_exam_up_to_its_two_hours(db: None) -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # at once: plenty left, nothing written
    assert not ExtraTimeGrant.objects.exists()
    sitting = _mine()
    Sitting.objects.filter(pk=sitting.pk).update(started_at=sitting.started_at - timedelta(minutes=80))
    call_command("seed_demo", verbosity=0)
    grant = ExtraTimeGrant.objects.get()
    assert grant.granted_by.username == "invigilator" and "演示" in grant.reason
    left = sitting_timing(_mine(), timezone.now()).time_left
    assert timedelta(minutes=118) <= left <= timedelta(minutes=120)
    assert AuditEntry.objects.filter(action="certification.exam.extra_time").count() == 1

"""The demo's finished batch (certification.demo_published): published results, six passed and two failed with
their reasons, the demo `candidate` among those who passed; seeding twice changes nothing."""

from __future__ import annotations

from django.core.management import call_command

from certification.demo_published import BATCH_NAME
from certification.models import Batch, ResultsState
from certification.selectors import results as views


def test_the_demo_has_a_published_batch_with_passes_and_failures(db: None) -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # again: nothing doubles
    batch = Batch.objects.get(name=BATCH_NAME)
    assert batch.results.state == ResultsState.PUBLISHED
    assert batch.registrations.count() == 8
    outcomes = {r.candidate.username: o for r, o in views.batch_outcomes(batch)}
    passed = {name for name, o in outcomes.items() if o.passed}
    assert len(passed) == 6 and "candidate" in passed
    failed = [tuple(str(p.part) for p in o.parts if p.failed) for o in outcomes.values() if not o.passed]
    assert sorted(failed) == [("practical",), ("theory",)]

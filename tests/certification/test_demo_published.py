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


def test_my_registrations_leads_into_the_running_exam_and_to_the_result_of_the_finished_one(  # type: ignore[no-untyped-def]
        db: None, client) -> None:
    from accounts.models import User

    call_command("seed_demo", verbosity=0)
    client.force_login(User.objects.get(username="candidate"), backend="accounts.auth.AccountBackend")
    html = client.get("/certification/registrations/mine/").content.decode()
    finished = Batch.objects.get(name=BATCH_NAME).registrations.get(candidate__username="candidate")
    row = html[html.index(f'data-registration="{finished.pk}"'):]
    row = row[:row.index("</tr>")]
    assert 'data-testid="exam-link"' not in row and "理论考试已结束" in row
    assert f'href="/certification/registrations/{finished.pk}/result/"' in row
    assert html.count('data-testid="exam-link"') == 1  # the running batch's

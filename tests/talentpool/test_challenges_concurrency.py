"""Two picks at once on one challenge (the enterprise's HR clicking in two tabs, two HR people of the same
enterprise): exactly one application is selected and the other pick is refused with a Conflict, never two
selected. PostgreSQL only, as tests/certification/test_certificates_concurrency.py explains."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from accounts.models import Role
from core.errors import Conflict
from talentpool.models import ApplicationStatus, Challenge, ChallengeApplication, ChallengeStatus
from talentpool.services import challenges as services
from tests.accounts.factories import OrganizationFactory, person
from tests.talentpool import meet_steps as steps

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="needs PostgreSQL: SQLite serialises writers and shares no test database "
                                       "between threads")


@pytest.mark.django_db(transaction=True)
def test_two_picks_at_once_select_one() -> None:
    enterprise = OrganizationFactory(name="并发企业", kind="enterprise", city="济南市")
    hr_one, hr_two = (person(Role.ENTERPRISE_HR, enterprise, username=f"hr{i}") for i in (1, 2))
    challenge = services.challenge_publish(actor=hr_one, enterprise_id=enterprise.pk, draft=services.ChallengeDraft(
        title="t", problem="p", goal="g", budget=Decimal(1), deadline=steps.in_days(5)))
    applications = []
    for i in range(2):
        college = steps.college(f"并发院校{i}")
        applications.append(services.challenge_apply(actor=steps.staff_of(college, f"s{i}"),
                                                     challenge_id=challenge.pk, college_id=college.pk,
                                                     proposal="p"))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def pick(actor: object, application_id: int) -> None:
        try:
            barrier.wait(timeout=30)
            services.challenge_pick(actor=actor, application_id=application_id)  # type: ignore[arg-type]
        except BaseException as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=pick, args=(hr, a.pk)) for hr, a in zip((hr_one, hr_two), applications,
                                                                                strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(errors) == 1 and isinstance(errors[0], Conflict), errors
    statuses = sorted(ChallengeApplication.objects.filter(challenge=challenge).values_list("status", flat=True))
    assert statuses == sorted([ApplicationStatus.SELECTED, ApplicationStatus.NOT_SELECTED])
    assert Challenge.objects.get(pk=challenge.pk).status == ChallengeStatus.AWARDED

"""Intake runs by itself (issue 14 item 1): a publication or a certificate change, on commit, enqueues the intake
task for the people concerned; the worker runs it and the pool follows."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from accounts.models import User
from certification.domain.ladder import SkillLevel
from certification.services.levels import held_level_withdraw
from talentpool.models import Talent, TalentStatus
from tests.accounts.factories import person
from tests.certification.factories import held, occupation

# Committed for real: the worker runs the task on its own connection (PostgreSQL refuses one in the test's atomic).
pytestmark = pytest.mark.django_db(transaction=True)


def _run_worker() -> None:
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)


def test_a_recorded_level_then_its_withdrawal_move_the_talent_in_and_out(platform_admin: User) -> None:
    someone = person(None, None)
    level = held(someone.pk, occupation(), SkillLevel.TWO, date(2024, 5, 1))
    assert not Talent.objects.filter(person=someone).exists()  # not before the worker ran
    _run_worker()
    assert Talent.objects.get(person=someone).status == TalentStatus.IN_POOL
    held_level_withdraw(actor=platform_admin, held_id=level.pk, reason="证书已注销")
    _run_worker()
    talent = Talent.objects.get(person=someone)
    assert talent.status == TalentStatus.OUT and "证书已注销" in talent.left_reason

"""Competitions' services under the system actor (accounts.actors): what the demo does, audited as "system"."""

from __future__ import annotations

import pytest

from accounts.actors import SYSTEM
from accounts.models import Organization
from audit.models import AuditEntry
from competitions import services
from competitions.models import EntryStatus, Group, Skill
from core.errors import PermissionDenied
from tests.competitions.factories import contestant


def test_a_competitions_service_with_the_system_actor_records_no_person_and_audits_system(
    registration_skill: Skill, enterprise_a: Organization
) -> None:
    member = services.MemberData(contestant(enterprise_a), Group.WORKER)
    entry = services.entry_submit(actor=SYSTEM, skill=registration_skill, unit=enterprise_a, members=[member])
    assert entry.submitted_by is None
    audited = AuditEntry.objects.get(action="competitions.entry.submitted", target_id=str(entry.pk))
    assert (audited.actor_id, audited.actor_label) == (None, "system")


def test_the_system_actor_may_not_review_what_it_submitted(
    registration_skill: Skill, enterprise_a: Organization
) -> None:
    """Only entering people is a script's; reviewing stays the organizer's (competitions.permissions)."""
    entry = services.entry_submit(actor=SYSTEM, skill=registration_skill, unit=enterprise_a,
                                  members=[services.MemberData(contestant(enterprise_a), Group.WORKER)])
    with pytest.raises(PermissionDenied):
        services.entry_approve(actor=SYSTEM, entry=entry)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED

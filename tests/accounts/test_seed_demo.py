"""The demo province: every role has its login, the data is valid, and running it twice changes nothing."""

from __future__ import annotations

from django.core.management import call_command
from django.utils import timezone

from accounts.identity import normalise_mobile, parse_id_number
from accounts.models import Membership, Organization, OrganizationKind, User
from audit.models import AuditEntry
from audit.sealing import audit_seal_all, audit_verify

ROLE_LOGINS = ["admin", "organizer", "encryptor", "chief", "referee", "contestant", "coach", "examcenter",
               "chiefassessor", "assessor", "candidate", "enterprise", "college", "chief2", "referee2"]


def test_seed_demo_is_believable_valid_and_idempotent(db: None, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username in ROLE_LOGINS:
        user = User.objects.get(username=username)
        assert user.check_password("demo-2026")
        assert username in out
        parse_id_number(user.id_number, today=timezone.localdate())
        assert normalise_mobile(user.mobile) == user.mobile
    kinds = {kind: Organization.objects.filter(kind=kind).count() for kind in OrganizationKind}
    assert kinds[OrganizationKind.ENTERPRISE] >= 3 and kinds[OrganizationKind.COLLEGE] >= 2
    assert kinds[OrganizationKind.EXAM_CENTER] >= 2 and kinds[OrganizationKind.ORGANIZER] >= 1
    counts = (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    # The scripted writes are the system actor's, audited as "system"; the demo people's own acts are theirs.
    scripted = AuditEntry.objects.filter(action__in=["accounts.organization.created", "accounts.person.created",
                                                     "accounts.membership.granted", "competitions.entry.submitted"])
    assert set(scripted.values_list("actor_id", "actor_label").distinct()) == {(None, "system")}
    assert set(AuditEntry.objects.filter(action="competitions.event.created").values_list("actor_label", flat=True)) \
        == {"organizer"}

    call_command("seed_demo")
    assert (User.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == counts
    audit_seal_all()
    assert audit_verify().problem is None

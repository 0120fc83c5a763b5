"""The system actor (accounts.actors): what scripts pass instead of a person, audited as "system"; no service runs
for no actor at all, and an anonymous visitor is refused like anyone without the right."""

from __future__ import annotations

import pickle
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import Client

from accounts import services
from accounts.actors import SYSTEM, SystemActor
from accounts.models import Organization, OrganizationKind, Role, User
from accounts.permissions import Action, can, require
from audit.models import AuditEntry
from audit.services import audit_record
from competitions import services as competitions_services
from competitions.models import CompetitionLevel
from competitions.permissions import Action as CompetitionsAction
from core.errors import NotFound, PermissionDenied
from tests.accounts.factories import person

# What scripts may do as the system actor, written out independently of the rules (accounts, competitions).
SYSTEM_MAY = {
    Action.ORGANIZATION_MANAGE, Action.MEMBERSHIP_MANAGE, Action.PERSON_CREATE, Action.PLATFORM_ADMIN_GRANT,
    Action.TOKEN_MANAGE, Action.PERSON_DEACTIVATE, CompetitionsAction.ENTRY_SUBMIT,
}


def test_a_service_called_with_the_system_actor_is_audited_as_system(
    platform_admin: User, client_of  # type: ignore[no-untyped-def]
) -> None:
    unit = services.organization_create(actor=SYSTEM, name="脚本建的单位", kind=OrganizationKind.COLLEGE, city="淄博市")
    entry = AuditEntry.objects.get(action="accounts.organization.created", target_id=str(unit.pk))
    assert (entry.actor_id, entry.actor_label) == (None, "system")
    history = client_of(platform_admin).get(
        "/api/v1/audit/entries", {"target_type": "accounts.organization", "target_id": unit.pk}
    ).json()
    assert [(e["action"], e["actor_label"]) for e in history] == [("accounts.organization.created", "system")]


def test_the_system_actor_may_do_only_what_its_rules_say(organizer_unit: Organization) -> None:
    every_action = [*Action, *CompetitionsAction]
    assert {action for action in every_action if can(SYSTEM, action)} == SYSTEM_MAY
    # Refused, not blinded: the platform sees every object, it just may not manage an event.
    with pytest.raises(PermissionDenied):
        competitions_services.event_create(actor=SYSTEM, organizer=organizer_unit, data=_event_data())


def test_no_actor_at_all_is_a_type_error_not_a_skipped_check(organizer_unit: Organization) -> None:
    with pytest.raises(TypeError, match="accounts.actors.SYSTEM"):
        services.organization_create(actor=None, name="无人建的单位", kind=OrganizationKind.COLLEGE,  # type: ignore[arg-type]
                                     city="淄博市")
    with pytest.raises(TypeError):
        competitions_services.event_create(actor=None, organizer=organizer_unit, data=_event_data())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        require(None, Action.PROFILE_VIEW)
    for nobody in (None, AnonymousUser()):
        with transaction.atomic(), pytest.raises(TypeError):
            audit_record(actor=nobody, action="tests.x", target=organizer_unit)  # type: ignore[arg-type]
    assert not Organization.objects.filter(name="无人建的单位").exists() and not AuditEntry.objects.exists()


def test_an_anonymous_visitor_is_refused_like_anyone_without_the_right(organizer_unit: Organization) -> None:
    with pytest.raises(PermissionDenied):
        services.organization_create(actor=AnonymousUser(), name="匿名建的单位", kind=OrganizationKind.COLLEGE,  # type: ignore[arg-type]
                                     city="淄博市")
    with pytest.raises(NotFound):  # the organizer's unit is invisible to a visitor, as to another unit
        competitions_services.event_create(actor=AnonymousUser(), organizer=organizer_unit, data=_event_data())  # type: ignore[arg-type]
    assert not can(AnonymousUser(), CompetitionsAction.ENTRY_SUBMIT)


def test_nothing_but_the_sentinel_is_the_system_actor(
    enterprise_a: Organization, client: Client, client_of  # type: ignore[no-untyped-def]
) -> None:
    assert SystemActor() is SYSTEM and pickle.loads(pickle.dumps(SYSTEM)) is SYSTEM  # noqa: S301 - our own bytes
    # A person named "system" is a person: no system rights, audited under their own id.
    namesake = person(Role.ENTERPRISE_HR, enterprise_a, username="system")
    assert not can(namesake, Action.ORGANIZATION_MANAGE) and not can(namesake, Action.PERSON_CREATE)
    services.token_create(actor=namesake, user=namesake, name="平板", password="pw-for-tests-2026")
    audited = AuditEntry.objects.get(action="accounts.token.created")
    assert (audited.actor_id, audited.actor_label) == (namesake.pk, "system")
    # What a request carries is a person or a visitor: the session's and the bearer token's user alike.
    me = client_of(namesake).get("/api/v1/accounts/me")
    assert me.status_code == 200 and me.json()["username"] == "system"
    token = services.token_create(actor=SYSTEM, user=namesake, name="集成").plaintext
    client.logout()
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()["id"] == namesake.pk
    refused = client.post("/api/v1/accounts/tokens", {"name": "x"}, content_type="application/json")
    assert refused.status_code == 401


def _event_data() -> competitions_services.EventData:
    return competitions_services.EventData(name="脚本赛", level=CompetitionLevel.PROVINCIAL_1,
                                           starts_on=date(2026, 9, 1), ends_on=date(2026, 9, 2))

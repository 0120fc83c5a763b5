"""Schemathesis over the whole OpenAPI document, in-process against the WSGI app and the test database.

Every operation gets generated requests, valid and invalid, as a signed-in platform admin (who reaches the most
code) and anonymously: no response may be a 5xx, and every response must be declared in the document and match
its schema. New endpoints are covered as soon as they are mounted.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts import services
from accounts.models import Role
from config.wsgi import application
from tests.accounts.factories import OrganizationFactory, person

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The database fixture is per test, not per example: examples share it, which is what an API's state does anyway.
RELAXED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def admin_bearer(db: None) -> dict[str, str]:
    unit = OrganizationFactory()
    person(Role.CANDIDATE, unit)
    admin = person(Role.PLATFORM_ADMIN, None, username="schema_admin", is_staff=True, is_superuser=True)
    return {"Authorization": "Bearer " + services.token_create(actor=None, user=admin, name="schemathesis").plaintext}


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=RELAXED)
def test_api_as_admin(case: schemathesis.Case, admin_bearer: dict[str, str]) -> None:
    case.call_and_validate(headers=admin_bearer, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=RELAXED)
def test_api_anonymous(case: schemathesis.Case, db: None) -> None:
    case.call_and_validate(checks=CHECKS)

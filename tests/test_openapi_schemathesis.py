"""Schemathesis over the whole OpenAPI document, in-process against the WSGI app and the test database.

Every operation gets generated requests, valid and invalid, as a signed-in platform admin (who reaches the most
code) and anonymously: no response may be a 5xx, and every response must be declared in the document and match
its schema. New endpoints are covered as soon as they are mounted.

Each operation is its own test with its own id (`test_api_as_admin[GET /api/v1/…][admin]`), so pytest-xdist
schedules and counts every one of them; tests/conftest.py prints how many ran at the end of the session.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts import services
from accounts.actors import SYSTEM
from accounts.models import Role
from config.wsgi import application
from tests.accounts.factories import OrganizationFactory, person

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# The database fixture is per test, not per example: examples share it, which is what an API's state does anyway.
RELAXED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_transaction() -> Iterator[None]:
    """Calling the WSGI app directly fires the request signals that close "old" connections, and a connection
    inside the test's transaction looks old to them; Django's own test client unhooks them the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def admin_bearer(db: None) -> dict[str, str]:
    unit = OrganizationFactory()
    person(Role.CANDIDATE, unit)
    admin = person(Role.PLATFORM_ADMIN, None, username="schema_admin", is_staff=True, is_superuser=True)
    return {"Authorization": "Bearer " + services.token_create(actor=SYSTEM, user=admin, name="schemathesis").plaintext}


AUDIENCES = {"test_api_as_admin": "admin", "test_api_anonymous": "anonymous"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Gives each generated test a parameter, and so a node id that names its operation.

    Schemathesis names each operation's test `test_api_as_admin[GET /…]`, but pytest 9 builds the node id from
    the original function name and the parameters only, so all of them shared `…::test_api_as_admin`, and
    `--dist loadfile` ran 2 of them. A parameter brings the name into the id."""
    if "audience" in metafunc.fixturenames:
        metafunc.parametrize("audience", [AUDIENCES[metafunc.definition.originalname.split("[")[0]]])


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=RELAXED)
def test_api_as_admin(case: schemathesis.Case, admin_bearer: dict[str, str], audience: str) -> None:
    case.call_and_validate(headers=admin_bearer, checks=CHECKS)


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=RELAXED)
def test_api_anonymous(case: schemathesis.Case, db: None, audience: str) -> None:
    case.call_and_validate(checks=CHECKS)


def test_every_operation_has_its_own_test_id(request: pytest.FixtureRequest) -> None:
    """The regression this file had: tests that share a node id are scheduled once by pytest-xdist."""
    labels = {result.ok().label for result in schema.get_all_operations()}
    ids = [item.nodeid.split("::", 1)[1] for item in request.session.items
           if item.nodeid.startswith(request.node.nodeid.split("::")[0] + "::test_api_")]
    assert len(ids) == len(set(ids))
    expected = {f"{name}[{label}][{audience}]" for name, audience in AUDIENCES.items() for label in labels}
    assert set(ids) <= expected

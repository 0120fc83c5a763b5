"""The fixed cast every test can call on, named so a test reads like a sentence.

Units: the provincial organizer, enterprise A and enterprise B, an exam center. People: the platform admin, the
organizer's staff, A's HR, B's HR, a referee employed by A, a worker of A (candidate), an exam-center staff member,
and an outsider with no role at all, who must see nothing.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from accounts.models import Organization, OrganizationKind, Role, User
from tests.accounts.factories import OrganizationFactory, person


@pytest.fixture(autouse=True)
def _default_language() -> None:
    """Each test starts in the default language (Chinese): a request in English activates it for the thread (the
    language middleware), which would otherwise carry over to the next test in the same worker."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def organizer_unit(db: None) -> Organization:
    return OrganizationFactory(name="省人社厅（测试）", kind=OrganizationKind.ORGANIZER)


@pytest.fixture
def enterprise_a(db: None) -> Organization:
    return OrganizationFactory(name="甲企业", kind=OrganizationKind.ENTERPRISE, city="济南市")


@pytest.fixture
def enterprise_b(db: None) -> Organization:
    return OrganizationFactory(name="乙企业", kind=OrganizationKind.ENTERPRISE, city="青岛市")


@pytest.fixture
def exam_center(db: None) -> Organization:
    return OrganizationFactory(name="丙考核站", kind=OrganizationKind.EXAM_CENTER, city="烟台市")


@pytest.fixture
def platform_admin(db: None) -> User:
    return person(Role.PLATFORM_ADMIN, None, username="the_admin", is_staff=True, is_superuser=True)


@pytest.fixture
def organizer(organizer_unit: Organization) -> User:
    return person(Role.ORGANIZER_STAFF, organizer_unit, username="the_organizer")


@pytest.fixture
def hr_of_a(enterprise_a: Organization) -> User:
    return person(Role.ENTERPRISE_HR, enterprise_a, username="hr_a")


@pytest.fixture
def hr_of_b(enterprise_b: Organization) -> User:
    return person(Role.ENTERPRISE_HR, enterprise_b, username="hr_b")


@pytest.fixture
def referee_of_a(enterprise_a: Organization) -> User:
    return person(Role.REFEREE, enterprise_a, username="referee_a")


@pytest.fixture
def worker_of_a(enterprise_a: Organization) -> User:
    return person(Role.CANDIDATE, enterprise_a, username="worker_a")


@pytest.fixture
def exam_staff(exam_center: Organization) -> User:
    return person(Role.EXAM_CENTER_STAFF, exam_center, username="exam_staff")


@pytest.fixture
def outsider(db: None) -> User:
    return person(None, None, username="outsider")


@pytest.fixture
def client_of(client: Client):  # type: ignore[no-untyped-def]
    """A test client signed in as the given person."""

    def sign_in(user: User) -> Client:
        client.force_login(user, backend="accounts.auth.AccountBackend")
        return client

    return sign_in


# --- How many API operations the fuzzing ran (tests/test_openapi_schemathesis.py; issue 8 item 7) -----------------
# Counted from the test reports, which pytest-xdist forwards to the controlling process, and printed there once.

_API_FUZZ_PREFIX = "tests/test_openapi_schemathesis.py::test_api_"
_api_fuzz: dict[str, set[str]] = {"passed": set(), "failed": set(), "skipped": set()}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.nodeid.startswith(_API_FUZZ_PREFIX) and (report.when == "call" or not report.passed):
        _api_fuzz[report.outcome].add(report.nodeid)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    ran = set().union(*_api_fuzz.values())
    if not ran or hasattr(terminalreporter.config, "workerinput"):
        return
    operations = {nodeid.split("[", 1)[1].split("]", 1)[0] for nodeid in ran}
    terminalreporter.write_line(
        f"API fuzzing (schemathesis): {len(ran)} operation tests ran over {len(operations)} operations: "
        f"{len(_api_fuzz['passed'])} passed, {len(_api_fuzz['failed'])} failed, {len(_api_fuzz['skipped'])} skipped"
    )

"""The people list (issue 10 item 8): search, pagination instead of a silent cap, masking by role, query budget."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import Organization, Role, User
from accounts.selectors import PEOPLE_PER_PAGE
from tests.accounts.factories import person


def _usernames(html: str) -> list[str]:
    body = html.split('data-testid="people"', 1)[1]
    return re.findall(r"<tr><td>([^<]+)</td>", body)


@pytest.fixture
def crowd(enterprise_a: Organization) -> list[User]:
    """More colleagues than one page holds (the old page cut at 500 rows without a word; the rule is the same)."""
    return [person(Role.CANDIDATE, enterprise_a, username=f"worker_{i:03d}", real_name=f"员工{i:03d}")
            for i in range(PEOPLE_PER_PAGE + 7)]


def test_every_person_is_reachable_through_the_pages(client_of, hr_of_a: User, crowd: list[User]) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_of(hr_of_a)
    first = client.get("/accounts/people/").content.decode()
    second = client.get("/accounts/people/?page=2").content.decode()
    total = len(crowd) + 1  # and the HR person herself
    assert f"共 {total} 人" in first and "第 1 / 2 页" in first and 'rel="next"' in first
    seen = _usernames(first) + _usernames(second)
    assert len(_usernames(first)) == PEOPLE_PER_PAGE
    assert sorted(seen) == sorted([u.username for u in crowd] + [hr_of_a.username])
    # A page number out of range or not a number gives the nearest page, not an error.
    assert _usernames(client.get("/accounts/people/?page=99").content.decode()) == _usernames(second)
    assert client.get("/accounts/people/?page=abc").status_code == 200


def test_search_by_name_username_and_whole_numbers(client_of, hr_of_a: User, crowd: list[User]) -> None:  # type: ignore[no-untyped-def]
    client: Client = client_of(hr_of_a)
    target = crowd[12]
    assert _usernames(client.get("/accounts/people/", {"q": "员工012"}).content.decode()) == [target.username]
    assert _usernames(client.get("/accounts/people/", {"q": "WORKER_012"}).content.decode()) == [target.username]
    # A whole ID number, typed full-width with a lower-case x, finds its person; a fragment finds nobody.
    typed = target.id_number.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    assert _usernames(client.get("/accounts/people/", {"q": typed}).content.decode()) == [target.username]
    assert _usernames(client.get("/accounts/people/", {"q": target.id_number[:6]}).content.decode()) == []
    nobody = client.get("/accounts/people/", {"q": "没有这个人"}).content.decode()
    assert "没有符合搜索的人员。" in nobody and "共 0 人" in nobody


def test_search_never_reaches_another_unit(client_of, hr_of_a: User, hr_of_b: User) -> None:  # type: ignore[no-untyped-def]
    html = client_of(hr_of_a).get("/accounts/people/", {"q": hr_of_b.id_number}).content.decode()
    assert hr_of_b.username not in html and "共 0 人" in html


def test_the_page_costs_the_same_queries_for_any_number_of_rows(  # type: ignore[no-untyped-def]
    client_of, hr_of_a: User, crowd: list[User], django_assert_max_num_queries
) -> None:
    client: Client = client_of(hr_of_a)
    client.get("/accounts/people/")
    with django_assert_max_num_queries(5):
        assert client.get("/accounts/people/").status_code == 200


@pytest.mark.parametrize(("who", "sees_tokens"), [
    ("referee_of_a", True), ("exam_staff", True), ("hr_of_a", True), ("platform_admin", True),
    ("organizer", False), ("worker_of_a", False), ("outsider", False),
])
def test_api_tokens_are_in_the_menu_of_device_roles_only(  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest, client_of, who: str, sees_tokens: bool
) -> None:
    user: User = request.getfixturevalue(who)
    client: Client = client_of(user)
    assert ('data-nav="tokens"' in client.get("/").content.decode()) is sees_tokens
    assert client.get("/accounts/tokens/").status_code == 200  # one's own tokens page stays reachable

"""The audit pages for people (issue 10 item 7): an organizer finds their objects by name (never another unit's),
reads a history as labelled fields with translated values, pages through a long one within a query budget, and
the admin's verification says its result in words, for a good log and a tampered one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation

from accounts.actors import SYSTEM
from accounts.models import Organization, OrganizationKind, Role, User
from audit import selectors
from audit.labels import NONE, field_changes
from audit.models import AuditLeaf
from audit.redaction import REDACTED
from audit.sealing import audit_seal_all, audit_verify
from audit.services import audit_record
from audit.tasks import verify_words
from competitions import services
from competitions.models import CompetitionLevel, Event, Group, Skill, Status
from core.errors import NotFound, PermissionDenied
from tests.accounts.factories import OrganizationFactory, person
from tests.accounts.steps import bearer
from tests.audit.steps import record, tamper


def _event(actor: User, unit: Organization, name: str) -> Event:
    return services.event_create(actor=actor, organizer=unit, data=services.EventData(
        name=name, level=CompetitionLevel.PROVINCIAL_1, starts_on=date(2026, 9, 15), ends_on=date(2026, 9, 17)))


def _skill(actor: User, event: Event, name: str, code: str = "6-31-01-03") -> Skill:
    return services.skill_create(actor=actor, event=event, data=services.SkillData(
        name=name, occupation_code=code, group=Group.WORKER))


@pytest.fixture
def other_organizer(db: None) -> User:
    unit = OrganizationFactory(name="济南市人社局（测试）", kind=OrganizationKind.ORGANIZER)
    return person(Role.ORGANIZER_STAFF, unit, username="other_organizer")


# --- finding by name ----------------------------------------------------------------------------------------------


def test_the_organizer_finds_their_event_and_skill_by_name_never_another_units(
    organizer: User, organizer_unit: Organization, other_organizer: User,
) -> None:
    mine = _event(organizer, organizer_unit, "第三届技能兴鲁大赛")
    electrician = _skill(organizer, mine, "电工")
    theirs = _event(other_organizer, other_organizer.memberships.get().organization, "济南市技能兴鲁电工大赛")
    _skill(other_organizer, theirs, "电工")

    hits = selectors.audit_targets_search(viewer=organizer, query="电工")
    assert [(h.kind, h.target_type, h.target_id) for h in hits] == [
        ("赛项", "competitions.skill", str(electrician.pk))]
    assert hits[0].name == "电工（6-31-01-03，职工组）· 第三届技能兴鲁大赛"
    events = selectors.audit_targets_search(viewer=organizer, query="技能兴鲁")
    assert [(h.kind, h.name) for h in events] == [("赛事", "第三届技能兴鲁大赛")]
    # By occupation code too; the other unit's organizer finds only theirs.
    assert [h.target_id for h in selectors.audit_targets_search(viewer=organizer, query="6-31")] == [
        str(electrician.pk)]
    assert {h.name for h in selectors.audit_targets_search(viewer=other_organizer, query="电工")} == {
        "济南市技能兴鲁电工大赛", "电工（6-31-01-03，职工组）· 济南市技能兴鲁电工大赛"}


def test_a_person_is_found_by_name_or_the_id_suffix_the_mask_shows(
    organizer: User, organizer_unit: Organization, enterprise_a: Organization,
) -> None:
    colleague = person(Role.ORGANIZER_STAFF, organizer_unit, real_name="林晓梅", username="lin")
    person(Role.CONTESTANT, enterprise_a, real_name="林晓东")  # another unit's: not the organizer's to audit
    hits = selectors.audit_targets_search(viewer=organizer, query="林晓")
    assert [(h.kind, h.target_type, h.target_id) for h in hits] == [("人员", "accounts.user", str(colleague.pk))]
    masked = colleague.id_number[:4] + "*" * 10 + colleague.id_number[-4:]
    assert hits[0].name == f"林晓梅（lin，{masked}）"
    for query in (colleague.id_number[-4:], masked):
        assert str(colleague.pk) in {h.target_id for h in selectors.audit_targets_search(viewer=organizer,
                                                                                          query=query)}
    # A longer suffix would unmask digit by digit: it is no ID search (nor anyone's name).
    assert selectors.audit_targets_search(viewer=organizer, query=colleague.id_number[-6:]) == []


def test_units_are_found_by_name_and_an_empty_query_finds_nothing(
    organizer: User, organizer_unit: Organization, platform_admin: User, enterprise_a: Organization,
) -> None:
    assert [(h.kind, h.name) for h in selectors.audit_targets_search(viewer=organizer, query="人社厅")] == [
        ("单位", organizer_unit.name)]
    assert selectors.audit_targets_search(viewer=organizer, query="甲企业") == []
    assert [h.name for h in selectors.audit_targets_search(viewer=platform_admin, query="甲企业")] == ["甲企业"]
    assert selectors.audit_targets_search(viewer=organizer, query="   ") == []


def test_people_without_the_audit_right_may_not_search(hr_of_a: User) -> None:
    with pytest.raises(PermissionDenied):
        selectors.audit_targets_search(viewer=hr_of_a, query="甲")


def test_the_search_page_links_each_result_to_its_history(
    organizer: User, organizer_unit: Organization, client_of: Any,
) -> None:
    event = _event(organizer, organizer_unit, "第三届<技能>兴鲁大赛")
    html = client_of(organizer).get("/audit/", {"q": "兴鲁"}).content.decode()
    assert 'data-testid="audit-hit" data-kind="competitions.event"' in html
    assert f"?target_type=competitions.event&amp;target_id={event.pk}&amp;q=%E5%85%B4%E9%B2%81" in html
    assert "第三届&lt;技能&gt;兴鲁大赛" in html and "<技能>" not in html
    assert "高级：按对象类型和编号查询" in html  # the raw form stays, folded away


# --- a history in words -------------------------------------------------------------------------------------------


def test_the_history_names_its_object_and_shows_statuses_by_their_labels(
    organizer: User, organizer_unit: Organization, client_of: Any,
) -> None:
    event = _event(organizer, organizer_unit, "第三届技能兴鲁大赛")
    skill = _skill(organizer, event, "电工")
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION, reason="如期开放报名")
    target = selectors.audit_target(viewer=organizer, target_type="competitions.skill", target_id=str(skill.pk))
    assert (target.kind, target.name, target.total) == ("赛项", "电工", 2)
    created, moved = selectors.audit_history(viewer=organizer, target_type="competitions.skill",
                                             target_id=str(skill.pk))
    assert (created.action_label, moved.action_label) == ("赛项已创建", "赛项阶段已变更")
    assert [(c.label, c.old, c.new) for c in moved.changes] == [("状态", "筹备", "报名")]
    # A creation lists every key, its old side empty.
    assert {(c.label, c.old, c.new) for c in created.changes} >= {("名称", NONE, "电工"), ("组别", NONE, "职工组"),
                                                                  ("职业编码", NONE, "6-31-01-03")}
    html = client_of(organizer).get("/audit/", {"target_type": "competitions.skill",
                                                "target_id": skill.pk}).content.decode()
    assert '<h1 data-testid="audit-heading">赛项：电工 · 变更记录</h1>' in html
    assert ('<tr data-key="status"><th scope="row">状态</th><td data-col="old">筹备</td>'
            '<td data-col="new">报名</td>') in html
    assert "如期开放报名" in html and "赛项阶段已变更" in html
    # In English, the same entry in English words.
    with translation.override("en"):
        [_, moved_en] = selectors.audit_history(viewer=organizer, target_type="competitions.skill",
                                                target_id=str(skill.pk))
    assert (moved_en.changes[0].old, moved_en.changes[0].new) == ("Draft", "Registration")


def test_the_api_keeps_the_raw_values_beside_the_words(
    organizer: User, organizer_unit: Organization, client: Client,
) -> None:
    event = _event(organizer, organizer_unit, "第三届技能兴鲁大赛")
    _skill(organizer, event, "电工")
    services.event_transition(actor=organizer, event=event, target=Status.REGISTRATION)
    body = client.get("/api/v1/audit/entries", {"target_type": "competitions.event", "target_id": event.pk},
                      **bearer(organizer)).json()
    moved = body[-1]
    assert (moved["old"], moved["new"]) == ({"status": "draft"}, {"status": "registration"})
    assert moved["action_label"] == "赛事阶段已变更"
    assert moved["changes"] == [{"key": "status", "label": "状态", "old": "筹备", "new": "报名", "redacted": False}]


def test_changed_fields_only_with_booleans_times_nesting_and_none_in_words() -> None:
    changes = field_changes(
        action="tests.thing.changed", target_type="competitions.skill",
        old={"status": "marking", "open": True, "name": "电工", "limits": {"min_age": 18, "max_age": 55},
             "review_until": None},
        new={"status": "review", "open": False, "name": "电工", "limits": {"min_age": 18, "max_age": 60},
             "review_until": "2026-12-08T16:00:00+00:00"},
    )
    assert [(c.key, c.label, c.old, c.new) for c in changes] == [
        ("status", "状态", "评分", "成绩公示"),
        ("open", "open", "是", "否"),  # no label registered: the key itself
        ("limits.max_age", "最大年龄", "55", "60"),  # nested, flattened, labelled by its last part
        ("review_until", "公示截止", NONE, "2026-12-09 00:00"),  # UTC shown in Asia/Shanghai
    ]


def test_an_unknown_action_shows_its_code(organizer: User, organizer_unit: Organization) -> None:
    record(organizer, organizer_unit, 1)
    [entry] = selectors.audit_history(viewer=organizer, target_type="accounts.organization",
                                      target_id=str(organizer_unit.pk))
    assert entry.action_label == "tests.thing.changed"
    assert [(c.key, c.old, c.new) for c in entry.changes] == [("v", "0", "1")]


def test_a_redacted_value_shows_the_notice_never_a_value_and_is_never_hidden_as_unchanged() -> None:
    changes = field_changes(action="competitions.sheet.signed_off", target_type="competitions.sheet",
                            old={"status": "open", "workstation_no": REDACTED},
                            new={"status": "signed_off", "workstation_no": REDACTED})
    assert [(c.label, c.old, c.new, c.redacted) for c in changes] == [
        ("状态", "评分中", "已签字锁定", False), ("工位号", REDACTED, REDACTED, True)]
    whole = field_changes(action="x", target_type="y", old=REDACTED, new=REDACTED)
    assert [(c.old, c.new, c.redacted) for c in whole] == [(REDACTED, REDACTED, True)]


def test_another_units_history_is_not_found(organizer: User, other_organizer: User) -> None:
    theirs = _event(other_organizer, other_organizer.memberships.get().organization, "济南市大赛")
    with pytest.raises(NotFound):
        selectors.audit_target(viewer=organizer, target_type="competitions.event", target_id=str(theirs.pk))


def test_a_long_history_pages_within_a_fixed_query_budget(
    organizer: User, organizer_unit: Organization, client_of: Any, django_assert_max_num_queries: Any,
) -> None:
    record(organizer, organizer_unit, 120)
    client = client_of(organizer)
    params = {"target_type": "accounts.organization", "target_id": organizer_unit.pk}
    with django_assert_max_num_queries(12):
        first = client.get("/audit/", params).content.decode()
    assert first.count('data-testid="audit-entry"') == 50 and "第 1 / 3 页" in first and 'rel="next"' in first
    with django_assert_max_num_queries(12):
        last = client.get("/audit/", {**params, "page": 3}).content.decode()
    assert last.count('data-testid="audit-entry"') == 20 and 'rel="prev"' in last and 'rel="next"' not in last
    assert "第119次" in last  # the newest entries come last, in the order they were written


# --- verification in words ----------------------------------------------------------------------------------------


def test_a_good_log_is_said_intact_with_its_counts(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 4)
    audit_seal_all()
    report = audit_verify()
    assert verify_words(report) == f"审计日志完好：共 {report.checked} 条记录，{report.heads} 个签名树头全部核验通过。"
    with translation.override("en"):
        assert verify_words(report).startswith("Audit log intact")


def test_a_tampered_entry_is_named_by_its_place_and_id(organizer_unit: Organization) -> None:
    record(SYSTEM, organizer_unit, 5)
    audit_seal_all()
    entry_id = AuditLeaf.objects.get(index=2).entry_id
    tamper(("UPDATE audit_auditentry SET reason = 'forged' WHERE id = %s", [entry_id]))
    report = audit_verify()
    assert verify_words(report) == f"发现异常：第 3 条记录（编号 {entry_id}）哈希不符：该记录在封存后被修改。"


@pytest.mark.django_db(transaction=True)
def test_the_verify_task_page_says_the_result_in_words(client: Client) -> None:
    admin = person(Role.PLATFORM_ADMIN, None, username="boss4")
    with transaction.atomic():
        audit_record(actor=admin, action="tests.x", target=admin, new={"i": 1})
    client.force_login(admin, backend="accounts.auth.AccountBackend")
    started = client.post("/audit/verify/")
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)
    page = client.get(started["Location"]).content.decode()
    assert 'class="success" data-testid="task-summary">审计日志完好：共 ' in page
    assert "个签名树头全部核验通过" in page and "&#x27;ok&#x27;" not in page  # words, not the result's dump

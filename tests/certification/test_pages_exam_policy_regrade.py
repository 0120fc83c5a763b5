"""The exam policy page (the body's planners set disconnect, deadline and multiple-choice grading; viewers read it)
and the regrade started from a question's page (per candidate old → new score and pass flips, audited); forms
carry CSRF and every value is escaped."""

from __future__ import annotations

import pytest

from accounts.actors import SYSTEM
from accounts.models import Organization, User
from audit.models import AuditEntry
from certification import services
from certification.models import ExamPolicy, PaperItem, Regrade, RegradeChange
from certification.services import exam
from tests.certification.bank_steps import single
from tests.certification.exam_steps import answer, correct_displayed, exam_world, open_sitting, theory, wrong_displayed


@pytest.fixture
def world(exam_staff: User, exam_center: Organization, enterprise_a: Organization):  # type: ignore[no-untyped-def]
    return exam_world(exam_staff, exam_center, enterprise_a)


POLICY = {"duration_minutes": "120", "disconnect": "pause", "pause_per_disconnect_minutes": "5",
          "pause_total_minutes": "15", "deadline": "grace", "submit_grace_minutes": "5", "max_offline_minutes": "10",
          "late_entry_minutes": "15", "multiple_grading": "proportional"}


def test_the_batch_page_links_the_theory_policy(client_of, world, exam_staff) -> None:  # type: ignore[no-untyped-def]
    html = client_of(exam_staff).get(f"/certification/batches/{world.batch.pk}/").content.decode()
    assert f"/certification/exam/parts/{theory(world).pk}/policy/" in html


def test_staff_set_the_policy_by_form_and_it_is_audited(client_of, world, exam_staff) -> None:  # type: ignore[no-untyped-def]
    client = client_of(exam_staff)
    url = f"/certification/exam/parts/{theory(world).pk}/policy/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="policy-default"' in html and "csrfmiddlewaretoken" in html
    assert 'name="disconnect"' in html and 'name="multiple_grading"' in html
    done = client.post(url, POLICY, follow=True)
    html = done.content.decode()
    assert "理论考试规则已保存" in html and "断线暂停计时" in html and "宽限 5 分钟" in html and "少选按比例" in html
    row = ExamPolicy.objects.get(part=theory(world))
    assert (row.duration_s, row.disconnect, row.deadline, row.multiple_grading) == (7200, "pause", "grace",
                                                                                    "proportional")
    entry = AuditEntry.objects.get(action="certification.exam.policy_set")
    assert entry.old is None and entry.new["disconnect"] == "pause"


def test_a_refused_policy_names_its_problem_and_saves_nothing(client_of, world, exam_staff) -> None:  # type: ignore[no-untyped-def]
    refused = client_of(exam_staff).post(f"/certification/exam/parts/{theory(world).pk}/policy/",
                                         {**POLICY, "pause_per_disconnect_minutes": "30"})
    assert refused.status_code == 422 and "断线暂停的每次上限应大于 0，且不超过累计上限" in refused.content.decode()
    assert not ExamPolicy.objects.exists()


def test_the_policy_is_not_anyone_elses_to_set(client_of, world, hr_of_b, outsider) -> None:  # type: ignore[no-untyped-def]
    url = f"/certification/exam/parts/{theory(world).pk}/policy/"
    assert client_of(hr_of_b).get(url).status_code in (403, 404)
    assert client_of(outsider).post(url, POLICY).status_code in (403, 404)
    assert client_of(world.candidates[0]).post(url, POLICY).status_code in (403, 404)
    assert not ExamPolicy.objects.exists()


def _submit_with_points(world, i: int, key: str, first_right: bool, right_points: int):  # type: ignore[no-untyped-def]
    """Candidate i answers item 0 right (or wrong), then other items right until `right_points` more, the rest
    wrong, and submits."""
    sitting = open_sitting(world, i, key=key)
    items = list(PaperItem.objects.filter(paper=sitting.paper).order_by("position"))
    batch, got = [], 0
    for p, item in enumerate(items):
        right = first_right if p == 0 else got + item.points <= right_points
        if p and right:
            got += item.points
        batch.append(answer(p, correct_displayed(sitting, p) if right else wrong_displayed(sitting, p), p + 1))
    exam.answers_save(actor=world.candidates[i], sitting_id=sitting.pk, session_key=key, answers=batch)
    exam.sitting_submit(actor=world.candidates[i], sitting_id=sitting.pk, session_key=key)
    return sitting


def test_a_regrade_from_the_question_page_shows_score_changes_and_pass_flips(client_of, world,  # type: ignore[no-untyped-def]
                                                                              platform_admin) -> None:
    first = _submit_with_points(world, 0, "session-key-0001", True, 4)  # 5 of 8: 62.5, passes
    old = PaperItem.objects.select_related("version").get(paper=first.paper, position=1).version
    client = client_of(platform_admin)
    page = client.get(f"/certification/questions/{old.question_id}/").content.decode()
    assert 'data-testid="regrade-form"' in page and "1 名已交卷考生" in page and "checked required" in page
    c = single(0)
    corrected = type(c)(c.kind, old.point_code, c.importance, old.difficulty, old.stem, tuple(old.options),
                        ((old.answer[0] + 1) % 4,), "答案更正")
    services.question_revise(actor=SYSTEM, question_id=old.question_id, content=corrected, reason="原答案有误")
    refused = client.post(f"/certification/exam/question-versions/{old.pk}/regrade/", {"reason": ""}, follow=True)
    assert "请填写重新评分的原因" in refused.content.decode() and not Regrade.objects.exists()
    done = client.post(f"/certification/exam/question-versions/{old.pk}/regrade/",
                       {"reason": "原答案有误<script>"}, follow=True)
    html = done.content.decode()
    run = Regrade.objects.get()
    assert done.redirect_chain[-1][0] == f"/certification/exam/regrades/{run.pk}/"
    change = RegradeChange.objects.get(regrade=run, sitting=first)
    assert (change.old_score, change.new_score) == (62.5, 50)
    assert "62.5" in html and "50.0" in html and 'data-flip="1"' in html and "合格 → 不合格" in html
    assert "第 1 题 1 → 0" in html and "原答案有误&lt;script&gt;" in html and "<script>" not in html
    assert AuditEntry.objects.get(action="certification.exam.regraded").reason == "原答案有误<script>"
    listed = client.get(f"/certification/questions/{old.question_id}/").content.decode()
    assert f"/certification/exam/regrades/{run.pk}/" in listed


def test_only_the_bank_keeper_regrades_or_reads_a_regrade(client_of, world, exam_staff, platform_admin) -> None:  # type: ignore[no-untyped-def]
    first = _submit_with_points(world, 0, "session-key-0001", True, 7)
    old = PaperItem.objects.get(paper=first.paper, position=1).version
    staff = client_of(exam_staff)
    assert staff.post(f"/certification/exam/question-versions/{old.pk}/regrade/",
                      {"reason": "x", "void": "on"}).status_code in (403, 404)
    assert not Regrade.objects.exists()
    run = exam.question_regrade(actor=SYSTEM, options=exam.RegradeOptions(old.pk, "作废", void=True))
    assert staff.get(f"/certification/exam/regrades/{run.pk}/").status_code in (403, 404)
    assert client_of(platform_admin).get(f"/certification/exam/regrades/{run.pk}/").status_code == 200

"""Pages of the practical assessment and results: the assessor's tablet (htmx save in place, read-only once in
review), the chief's flags, the body's results with what a move waits for, the candidate's own result and
objection; other units and idle assessors get 404 (issue 12 items 8–9)."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Organization, Role, User
from certification.models import AssessorScore, ChiefDecision, Objection, ScoringSheet
from certification.services import results as result_services
from tests.accounts.factories import person
from tests.certification.practical_steps import score, score_all, seated_sitting, theory


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="accounts.auth.AccountBackend")
    return client


@pytest.fixture
def sitting(exam_staff: User, exam_center: Organization, enterprise_a: Organization):  # type: ignore[no-untyped-def]
    return seated_sitting(exam_staff, exam_center, enterprise_a)


def _tablet_url(sitting) -> str:  # type: ignore[no-untyped-def]
    return reverse("certification:practical_tablet", args=[sitting.practical.pk])


def test_the_tablet_lists_candidates_by_ticket_without_names(sitting) -> None:  # type: ignore[no-untyped-def]
    page = signed_in(sitting.panel[0]).get(_tablet_url(sitting)).content.decode()
    for r in sitting.registrations:
        assert r.ticket_no in page
        assert r.candidate.real_name not in page
    assert "csrfmiddlewaretoken" in page and 'hx-post="' in page and "配分 40" in page


def test_an_htmx_save_answers_with_the_candidates_card(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    answer = signed_in(sitting.panel[0]).post(_tablet_url(sitting), {
        "registration": r.pk, "item_code": "A1", "value": "30.5", "idempotency_key": str(uuid4())},
        HTTP_HX_REQUEST="true")
    body = answer.content.decode()
    assert answer.status_code == 200 and f'id="candidate-{r.pk}"' in body and "已保存：30.5 分" in body
    assert "<html" not in body
    assert AssessorScore.objects.get(registration=r, item__code="A1").assessor == sitting.panel[0]


def test_a_bad_score_is_answered_in_the_card_and_nothing_is_saved(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    body = signed_in(sitting.panel[0]).post(_tablet_url(sitting), {
        "registration": r.pk, "item_code": "A1", "value": "45", "idempotency_key": str(uuid4())},
        HTTP_HX_REQUEST="true").content.decode()
    assert "应在 0 至 40" in body and not AssessorScore.objects.exists()


def test_the_tablet_is_read_only_once_the_review_starts(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    for r in sitting.registrations:
        theory(exam_staff, r, "80")
        score_all(sitting, r)
    result_services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    page = signed_in(sitting.panel[0]).get(_tablet_url(sitting)).content.decode()
    assert "评分只读" in page and 'name="value"' not in page


def test_the_home_page_sends_assessors_to_the_tablet_and_candidates_to_their_result_from_the_review(
    sitting, exam_staff: User
) -> None:  # type: ignore[no-untyped-def]
    def waiting(user: User) -> str:
        return signed_in(user).get("/").content.decode()

    candidate = sitting.registrations[0].candidate
    assert _tablet_url(sitting) in waiting(sitting.panel[0])
    assert "certification.tickets" in waiting(candidate) and "certification.result" not in waiting(candidate)
    for r in sitting.registrations:
        theory(exam_staff, r, "80")
        score_all(sitting, r)
    result_services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    result_url = reverse("certification:my_result", args=[sitting.registrations[0].pk])
    assert result_url in waiting(candidate)
    assert _tablet_url(sitting) not in waiting(sitting.panel[0])  # scoring is over once the review starts


def test_an_idle_assessor_and_another_unit_get_404(sitting, exam_center: Organization, hr_of_b: User) -> None:  # type: ignore[no-untyped-def]
    idle = person(Role.ASSESSOR, exam_center, username="idle")
    assert signed_in(idle).get(_tablet_url(sitting)).status_code == 404
    other = signed_in(hr_of_b)
    assert other.get(reverse("certification:results", args=[sitting.batch.pk])).status_code == 404
    assert other.get(reverse("certification:results_export", args=[sitting.batch.pk])).status_code == 404
    assert other.get(reverse("certification:my_result", args=[sitting.registrations[0].pk])).status_code == 404


def test_the_chief_confirms_a_flag_on_the_flags_page(sitting) -> None:  # type: ignore[no-untyped-def]
    r = sitting.registrations[0]
    score_all(sitting, r, ("30", "30", "38"), ("45", "45", "45"))
    client = signed_in(sitting.chief)
    url = reverse("certification:practical_flags", args=[sitting.batch.pk])
    page = client.get(url).content.decode()
    assert r.ticket_no in page and "30、30、38" in page
    assert not any(a.username in page for a in sitting.panel)
    client.post(url, {"registration": r.pk, "part": "practical", "item_code": "A1", "reason": "有依据",
                      "decision": "confirm"})
    assert ChiefDecision.objects.filter(kind="confirmed", reason="有依据").exists()
    assert "没有待处理的评分差异" in client.get(url).content.decode()
    assert signed_in(sitting.panel[0]).get(url).status_code == 403


def test_the_results_page_shows_what_the_review_waits_for(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(exam_staff)
    url = reverse("certification:results", args=[sitting.batch.pk])
    page = client.get(url).content.decode()
    assert "还有 2 名考生有科目未评定成绩" in page and 'data-testid="start-review" disabled' in page
    first, second = sitting.registrations
    client.post(url, {"action": "part", "registration": first.pk, "part": "theory", "score": "75"})
    client.post(url, {"action": "part", "registration": second.pk, "part": "theory", "score": "70"})
    score_all(sitting, first)
    score_all(sitting, second, ("20", "20", "20"), ("34", "34", "34"))
    page = client.get(url).content.decode()
    assert "操作技能考核：54.0 分，低于合格线 60 分" in page and 'data-testid="start-review" disabled' not in page
    client.post(url, {"action": "review"})
    page = client.get(url).content.decode()
    assert 'data-state="in_review"' in page and "公示期尚未结束" in page


def test_the_candidate_sees_their_result_and_objects(sitting, exam_staff: User, settings) -> None:  # type: ignore[no-untyped-def]
    first, second = sitting.registrations
    theory(exam_staff, first, "75")
    theory(exam_staff, second, "70")
    score_all(sitting, first)
    score_all(sitting, second, ("20", "20", "20"), ("34", "34", "34"))
    candidate = signed_in(second.candidate)
    url = reverse("certification:my_result", args=[second.pk])
    assert "成绩尚未公示" in candidate.get(url).content.decode()
    result_services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    page = candidate.get(url).content.decode()
    assert "未通过的原因" in page and "操作技能考核：54.0 分，低于合格线 60 分" in page and "提交异议" in page
    candidate.post(url, {"text": "请复核操作成绩"})
    assert Objection.objects.get().filed_by == second.candidate
    assert signed_in(first.candidate).get(url).status_code in (403, 404)


def test_the_body_edits_the_sheet_on_its_page_until_the_first_score(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(exam_staff)
    url = reverse("certification:practical_sheet", args=[sitting.practical.pk])
    assert 'data-testid="sheet-form"' in client.get(url).content.decode()
    client.post(url, {"code_0": "B1", "title_0": "作品", "max_0": "70", "code_1": "B2", "title_1": "安全文明",
                      "max_1": "30", "tolerance_1": "3", "tolerance_share": "10"})
    sheet = ScoringSheet.objects.get(part=sitting.practical)
    assert [(i.code, i.max_points, i.tolerance) for i in sheet.items.all()] == [
        ("B1", 70, None), ("B2", 30, 3)] and sheet.tolerance_share == Decimal("0.1")
    bad = client.post(url, {"code_0": "B1", "title_0": "作品", "max_0": "70", "tolerance_share": "10"}, follow=True)
    assert "合计应为 100 分" in bad.content.decode()
    score(sitting.panel[0], sitting.registrations[0], "B1", "60")
    page = client.get(url).content.decode()
    assert 'data-frozen="yes"' in page and 'data-testid="sheet-form"' not in page
    assert reverse("certification:practical_sheet", args=[sitting.practical.pk]) in client.get(
        reverse("certification:results", args=[sitting.batch.pk])).content.decode()


def test_the_home_page_leads_assessors_chiefs_and_candidates_to_their_pages(sitting, exam_staff: User) -> None:  # type: ignore[no-untyped-def]
    tablet_url = _tablet_url(sitting)
    assert tablet_url in signed_in(sitting.panel[0]).get("/").content.decode()
    flags_url = reverse("certification:practical_flags", args=[sitting.batch.pk])
    assert flags_url in signed_in(sitting.chief).get("/").content.decode()
    r = sitting.registrations[0]
    result_url = reverse("certification:my_result", args=[r.pk])
    assert result_url not in signed_in(r.candidate).get("/").content.decode()
    for each in sitting.registrations:
        theory(exam_staff, each, "80")
        score_all(sitting, each)
    result_services.results_review_start(actor=exam_staff, batch_id=sitting.batch.pk)
    assert result_url in signed_in(r.candidate).get("/").content.decode()
    assert tablet_url not in signed_in(sitting.panel[0]).get("/").content.decode()  # closed: nothing to do


def test_a_save_costs_a_bounded_number_of_queries_whatever_the_room_holds(
        exam_staff: User, exam_center: Organization, enterprise_a: Organization,
        django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    sitting = seated_sitting(exam_staff, exam_center, enterprise_a, n=6)
    client = signed_in(sitting.panel[0])
    r = sitting.registrations[0]
    # Measured 23 on SQLite (was 43), the durable transaction's SAVEPOINT and RELEASE among them: the room's duties
    # read once for the caller's duty and the panel, the item from the prefetched sheet, the stored result read once
    # for the absence and the part score, and the card built from what the save read (services.practical.Recorded).
    with django_assert_max_num_queries(23):
        answer = client.post(_tablet_url(sitting), {"registration": r.pk, "item_code": "A1", "value": "30",
                                                    "idempotency_key": str(uuid4())}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and answer.content.decode().count("data-candidate ") == 1
    with django_assert_max_num_queries(22):  # a second item: the stored result exists, the sheet is frozen
        client.post(_tablet_url(sitting), {"registration": r.pk, "item_code": "A2", "value": "40",
                                           "idempotency_key": str(uuid4())}, HTTP_HX_REQUEST="true")


def test_the_card_a_save_answers_with_is_the_card_the_page_reads(sitting) -> None:  # type: ignore[no-untyped-def]
    """The card built from the save's own reads equals the one read afresh (an unchanged value is answered by the
    fresh read), idempotency keys, CSRF tokens and the save's message aside."""
    import re

    client = signed_in(sitting.panel[0])
    r = sitting.registrations[0]
    post = {"registration": r.pk, "item_code": "A1", "value": "30"}
    built = client.post(_tablet_url(sitting), {**post, "idempotency_key": str(uuid4())}, HTTP_HX_REQUEST="true")
    fresh = client.post(_tablet_url(sitting), {**post, "idempotency_key": str(uuid4())}, HTTP_HX_REQUEST="true")

    def strip(html: str) -> str:
        html = re.sub(r'name="idempotency_key" value="[^"]+"', "", html)
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r'data-testid="message">[^<]*<', "", html)  # "已保存：30 分" then, unchanged, "30.00 分"
    assert "已保存：30" in built.content.decode()
    assert strip(built.content.decode()) == strip(fresh.content.decode())

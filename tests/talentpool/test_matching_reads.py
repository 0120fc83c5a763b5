"""A post's matches as pages and the API read them (talentpool.selectors.matching, api/matching.py,
views/matching.py): the explained factors with Chinese labels, the lift sentence, no contact data anywhere, the
access rule, the index rebuilt when the pool version moves, and the query budget."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict

import pytest
from django.test import Client

from accounts.models import Organization, User
from talentpool.models import AwardKind, ChecklistStatus, DemandPost, DemandPostSkill, PoolVersion, Talent, TalentSkill
from talentpool.selectors import matching as selectors
from tests.talentpool.matching_steps import college_supply, demand_post, needs, offers, talent, welders

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index() -> Iterator[None]:
    # Each test's database is rolled back, so a pool version number comes round again with other rows.
    selectors.forget_index()
    yield
    selectors.forget_index()


@pytest.fixture
def post(enterprise_a: Organization, hr_of_a: User) -> DemandPost:
    welders()
    return demand_post(enterprise_a, hr_of_a)


def url(post: DemandPost) -> str:
    return f"/api/v1/talentpool/posts/{post.pk}/matches"


def test_the_fifth_welder_would_be_third_one_level_higher(post: DemandPost, hr_of_a: User) -> None:
    matches = selectors.post_matches(viewer=hr_of_a, post=post)
    assert [(t.rank, t.name) for t in matches.talents] == [
        (1, "王大力"), (2, "李焊花"), (3, "张铁"), (4, "赵钢"), (5, "孙小焊")]
    fifth = matches.talents[-1]
    assert fifth.rung_label == "三级/高级工" and fifth.occupation_name == "焊工"
    assert [lift.sentence for lift in fifth.lifts if lift.change == "level+1"] == ["若焊工等级再高一级，将升至第 3 名"]
    assert all(lift.new_rank < fifth.rank for lift in fifth.lifts)
    level = next(f for f in fifth.factors if f.code == "level")
    assert (level.label, level.value, level.detail) == ("技能等级", 0.5, "三级/高级工，要求二级/技师")
    assert matches.talents[0].lifts == ()  # nobody to overtake
    assert matches.candidates == 5 and matches.required_rung_label == "二级/技师"
    assert sum(w.weight for w in matches.weights) == pytest.approx(1.0)


def test_every_factor_has_a_chinese_label_value_weight_and_contribution(post: DemandPost, hr_of_a: User) -> None:
    first = selectors.post_matches(viewer=hr_of_a, post=post).talents[0]
    assert [f.label for f in first.factors] == ["职业（工种）", "技能点覆盖", "技能等级", "工作经验", "学历",
                                                "工作地点", "竞赛奖项与称号"]
    assert first.score == pytest.approx(sum(f.contribution for f in first.factors))
    assert next(f for f in first.factors if f.code == "awards").detail == "国家级及以上竞赛奖牌"


def test_must_have_skill_points_filter_and_closed_talents_are_left_out(enterprise_a: Organization,
                                                                       hr_of_a: User) -> None:
    talent("持证人", rung=5, skills=("机器人示教编程", "焊缝检验"))
    talent("缺必备", rung=6, skills=("焊缝检验",))
    talent("不求职", rung=6, skills=("机器人示教编程",), open_to_offers=False)
    post = demand_post(enterprise_a, hr_of_a, skills=(("机器人示教编程", True), ("焊缝检验", False)))
    matches = selectors.post_matches(viewer=hr_of_a, post=post)
    assert [t.name for t in matches.talents] == ["持证人"]
    assert next(f for f in matches.talents[0].factors if f.code == "skills").detail == "掌握岗位技能点 2/2 项"


def test_the_post_may_tune_its_weights(enterprise_a: Organization, hr_of_a: User) -> None:
    welders()
    post = demand_post(enterprise_a, hr_of_a, weights={"awards": 10, "level": 0})
    names = [t.name for t in selectors.post_matches(viewer=hr_of_a, post=post).talents]
    assert names[:3] == ["王大力", "李焊花", "赵钢"]  # the title holder now outranks the 二级 without an award


def test_the_index_is_rebuilt_when_the_pool_version_moves(post: DemandPost, hr_of_a: User) -> None:
    first = selectors.talent_index()
    assert selectors.talent_index() is first
    talent("新人", rung=8, award=AwardKind.NATIONAL_MEDAL)
    assert selectors.talent_index() is not first
    matches = selectors.post_matches(viewer=hr_of_a, post=post)
    # as good as 王大力 (every factor 1), after him by the tie order (the lower talent id first)
    assert matches.candidates == 6 and [t.name for t in matches.talents[:2]] == ["王大力", "新人"]


def test_an_unchanged_pool_reuses_the_index_even_when_rows_change_unversioned(post: DemandPost,
                                                                               hr_of_a: User) -> None:
    selectors.talent_index()
    Talent.objects.update(open_to_offers=False)  # no service, no bump: the cache is the version's
    assert len(selectors.post_matches(viewer=hr_of_a, post=post).talents) == 5
    PoolVersion.bump()
    assert selectors.post_matches(viewer=hr_of_a, post=post).talents == ()


def test_colleges_supplying_the_post_by_majors_and_graduates(post: DemandPost, hr_of_a: User) -> None:
    college_supply("山东技师学院", occupations=["6-18-02-04"], graduates=120, posts="焊接机器人操作工、焊工")
    college_supply("某职业学院", occupations=["6-18-01-01"], graduates=80, posts="钳工")
    college_supply("烹饪学校", occupations=["4-03-02-01"], graduates=300, posts="焊接机器人操作工")
    college_supply("草稿院校", occupations=["6-18-02-04"], graduates=50, posts="焊工", status=ChecklistStatus.DRAFT)
    colleges = selectors.post_matches(viewer=hr_of_a, post=post).colleges
    assert [(c.college_name, c.major_name, c.graduates) for c in colleges] == [
        ("山东技师学院", "智能焊接技术", 120), ("某职业学院", "智能焊接技术", 80)]
    assert colleges[0].occupation == 1.0 and colleges[0].posts_text > 0


def test_the_api_answers_the_posts_enterprise_with_explained_matches(post: DemandPost, hr_of_a: User,
                                                                     client_of) -> None:  # type: ignore[no-untyped-def]
    response = client_of(hr_of_a).get(url(post))
    assert response.status_code == 200
    body = response.json()
    assert body["candidates"] == 5 and body["talents"][4]["name"] == "孙小焊"
    assert body["talents"][4]["lifts"][0]["sentence"] == "若焊工等级再高一级，将升至第 3 名"
    assert {f["code"] for f in body["talents"][0]["factors"]} == {
        "occupation", "skills", "level", "experience", "education", "place", "awards"}
    assert client_of(hr_of_a).get(url(post), {"k": 2}).json()["talents"][1]["rank"] == 2
    assert client_of(hr_of_a).get(url(post), {"k": 0}).status_code == 422


def test_no_contact_data_in_the_api_the_page_or_the_dataclasses(post: DemandPost, hr_of_a: User,
                                                                client_of) -> None:  # type: ignore[no-untyped-def]
    secrets = [v for t in Talent.objects.select_related("person") for v in (
        t.contact_phone, t.contact_email, t.person.mobile, t.person.id_number, t.person.email) if v]
    api_text = client_of(hr_of_a).get(url(post)).content.decode()
    page_text = client_of(hr_of_a).get(f"/talentpool/posts/{post.pk}/matches/").content.decode()
    data_text = json.dumps(asdict(selectors.post_matches(viewer=hr_of_a, post=post)), ensure_ascii=False)
    for text in (api_text, page_text, data_text):
        assert "孙小焊" in text
        assert [s for s in secrets if s in text] == []


@pytest.mark.parametrize(("who", "status"), [("hr_of_b", 404), ("outsider", 404), ("worker_of_a", 403),
                                             ("organizer", 200), ("platform_admin", 200)])
def test_who_reads_a_posts_matches(post: DemandPost, client_of, who: str, status: int,  # type: ignore[no-untyped-def]
                                   request: pytest.FixtureRequest) -> None:
    reader = client_of(request.getfixturevalue(who))
    assert reader.get(url(post)).status_code == status
    assert reader.get(f"/talentpool/posts/{post.pk}/matches/").status_code == status


def test_signed_out_callers_are_refused(post: DemandPost, client: Client) -> None:
    assert client.get(url(post)).status_code == 401
    assert client.get(f"/talentpool/posts/{post.pk}/matches/").status_code == 302


def test_an_unknown_post_is_not_found(post: DemandPost, hr_of_a: User,
                                      client_of) -> None:  # type: ignore[no-untyped-def]
    assert client_of(hr_of_a).get("/api/v1/talentpool/posts/999999/matches").status_code == 404


def test_the_page_shows_factors_weights_and_the_lift_sentence(post: DemandPost, hr_of_a: User,
                                                              client_of) -> None:  # type: ignore[no-untyped-def]
    response = client_of(hr_of_a).get(f"/talentpool/posts/{post.pk}/matches/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "若焊工等级再高一级，将升至第 3 名" in text and "技能点覆盖" in text and "第 5 名" in text


def test_query_budget_of_the_api_and_the_page(post: DemandPost, hr_of_a: User, client_of,  # type: ignore[no-untyped-def]
                                              django_assert_max_num_queries) -> None:
    for i in range(30):
        talent(f"焊工{i}", rung=3 + i % 5, skills=("焊缝检验",))
    college_supply("山东技师学院", occupations=["6-18-02-04"], graduates=120, posts="焊工")
    hr = client_of(hr_of_a)
    hr.get(url(post))  # the session and the index are warm from here
    with django_assert_max_num_queries(9):
        assert hr.get(url(post)).status_code == 200
    with django_assert_max_num_queries(9):
        assert hr.get(f"/talentpool/posts/{post.pk}/matches/").status_code == 200
    PoolVersion.bump()  # a cold index: three queries more, one per table (talents, holdings, skill points)
    with django_assert_max_num_queries(12):
        assert hr.get(url(post)).status_code == 200


def test_an_empty_pool_has_no_matches(enterprise_a: Organization, hr_of_a: User) -> None:
    matches = selectors.post_matches(viewer=hr_of_a, post=demand_post(enterprise_a, hr_of_a))
    assert (matches.candidates, matches.talents, matches.colleges) == (0, (), ())


def offers_url(checklist_id: int) -> str:
    return f"/api/v1/talentpool/demand-checklists/{checklist_id}/offers"


@pytest.fixture
def filed(post: DemandPost) -> DemandPost:
    """The post's checklist with its needs, one college's submitted supply and one college's draft."""
    needs(post.checklist)
    offers(college_supply("山东技师学院", occupations=["6-18-02-04"], graduates=120, posts="焊工"))
    offers(college_supply("草稿院校", occupations=["6-18-02-04"], graduates=50, posts="焊工",
                          status=ChecklistStatus.DRAFT))
    return post


def test_training_needs_meet_courses_and_collaboration_needs_research_open_equipment_and_cases(
        filed: DemandPost, hr_of_a: User) -> None:
    result = selectors.checklist_offers(viewer=hr_of_a, checklist=filed.checklist)
    assert [need.offers[0].title for need in result.training] == ["焊接机器人操作与编程", "可编程控制器应用"]
    assert [(need.offers[0].kind_label, need.offers[0].title) for need in result.collaboration] == [
        ("科研项目", "中厚板焊接残余变形数值模拟与控制方法研究"), ("开放设备", "中性盐雾腐蚀试验箱")]
    every = [o for need in (*result.training, *result.collaboration) for o in need.offers]
    assert {o.college_name for o in every} == {"山东技师学院"}  # a draft checklist is not read
    assert "盐雾试验箱（教学专用）" not in {o.title for o in every}  # equipment not open to enterprises
    assert all(0 < o.score <= 1 for o in every)


def test_the_offers_api_and_page_for_the_enterprise_without_college_contact_data(
        filed: DemandPost, hr_of_a: User, client_of) -> None:  # type: ignore[no-untyped-def]
    hr = client_of(hr_of_a)
    response = hr.get(offers_url(filed.checklist_id), {"k": 1})
    assert response.status_code == 200
    assert [len(need["offers"]) for need in response.json()["training"]] == [1, 1]
    page = hr.get(f"/talentpool/demand-checklists/{filed.checklist_id}/offers/").content.decode()
    assert "焊接机器人操作与编程" in page and "中性盐雾腐蚀试验箱" in page
    for text in (response.content.decode(), page):
        assert "0531-66668888" not in text and "陈老师" not in text


@pytest.mark.parametrize(("who", "status"), [("hr_of_b", 404), ("worker_of_a", 403), ("organizer", 200)])
def test_who_reads_a_checklists_offers(filed: DemandPost, client_of, who: str,  # type: ignore[no-untyped-def]
                                       status: int, request: pytest.FixtureRequest) -> None:
    reader = client_of(request.getfixturevalue(who))
    assert reader.get(offers_url(filed.checklist_id)).status_code == status
    assert reader.get(f"/talentpool/demand-checklists/{filed.checklist_id}/offers/").status_code == status


@pytest.mark.django_db(transaction=True)
def test_a_large_pool_answers_from_the_previous_index_while_one_thread_rebuilds(
        enterprise_a: Organization, hr_of_a: User) -> None:
    welders()
    before = selectors.talent_index(inline_up_to=0)  # nothing cached yet: built before answering
    newcomer = talent("新人", rung=8, award=AwardKind.NATIONAL_MEDAL)
    assert selectors.talent_index(inline_up_to=0) is before  # stale, at once; the rebuild runs behind it
    selectors.wait_for_rebuild(timeout=30)
    after = selectors.talent_index(inline_up_to=0)
    assert after is not before and after.version == selectors.pool_version()
    assert newcomer.pk in after.talent_ids.tolist() and newcomer.pk not in before.talent_ids.tolist()


def test_the_rank_of_a_talent_beyond_the_top_k_when_asked(post: DemandPost, hr_of_a: User,
                                                          client_of) -> None:  # type: ignore[no-untyped-def]
    fifth = Talent.objects.get(person__real_name="孙小焊")
    matches = selectors.post_matches(viewer=hr_of_a, post=post, k=2, talent_id=fifth.pk)
    assert [t.rank for t in matches.talents] == [1, 2]
    assert matches.asked is not None and (matches.asked.name, matches.asked.rank) == ("孙小焊", 5)
    assert matches.asked.lifts[0].sentence == "若焊工等级再高一级，将升至第 3 名"
    closed = talent("不求职", rung=8, open_to_offers=False)
    assert selectors.post_matches(viewer=hr_of_a, post=post, talent_id=closed.pk).asked is None
    hr = client_of(hr_of_a)
    assert hr.get(url(post), {"k": 1, "talent_id": fifth.pk}).json()["asked"]["rank"] == 5
    assert hr.get(url(post)).json()["asked"] is None
    page = hr.get(f"/talentpool/posts/{post.pk}/matches/", {"talent": fifth.pk}).content.decode()
    assert "所查人才的排名" in page and page.count("孙小焊") == 2
    assert "不在人才库中" in hr.get(f"/talentpool/posts/{post.pk}/matches/", {"talent": "x"}).content.decode()


def test_a_skill_point_asked_at_a_rung_needs_that_rung_or_an_unstated_one(enterprise_a: Organization,
                                                                          hr_of_a: User) -> None:
    graded = talent("三级示教", rung=5, skills=("机器人示教编程",))
    TalentSkill.objects.filter(talent=graded).update(rung=4)
    talent("未定级示教", rung=5, skills=("机器人示教编程",))
    low = talent("二级以下示教", rung=5, skills=("机器人示教编程",))
    TalentSkill.objects.filter(talent=low).update(rung=3)
    post = demand_post(enterprise_a, hr_of_a, skills=(("机器人示教编程", True),))
    DemandPostSkill.objects.filter(post=post).update(required_rung=4)
    PoolVersion.bump()
    assert sorted(t.name for t in selectors.post_matches(viewer=hr_of_a, post=post).talents) == [
        "三级示教", "未定级示教"]


def test_only_the_posts_city_when_asked(post: DemandPost, hr_of_a: User,
                                        client_of) -> None:  # type: ignore[no-untyped-def]
    talent("青岛焊工", rung=8, award=AwardKind.NATIONAL_MEDAL, city="qingdao")
    everywhere = selectors.post_matches(viewer=hr_of_a, post=post)
    assert everywhere.candidates == 6 and "青岛焊工" in {t.name for t in everywhere.talents}
    here = selectors.post_matches(viewer=hr_of_a, post=post, same_city_only=True)
    assert here.candidates == 5 and "青岛焊工" not in {t.name for t in here.talents}
    hr = client_of(hr_of_a)
    assert hr.get(url(post), {"same_city": "true"}).json()["candidates"] == 5
    page = hr.get(f"/talentpool/posts/{post.pk}/matches/", {"same_city": "1"}).content.decode()
    assert "只显示济南的人才" in page and "青岛焊工" not in page


ALL_ZERO = dict.fromkeys(("occupation", "skills", "level", "experience", "education", "place", "awards"), 0)


@pytest.mark.parametrize("weights", [{"awards": -1}, {"luck": 1}, {"level": "high"}, {"level": True}, ALL_ZERO])
def test_a_post_with_malformed_weights_is_refused_naming_them(enterprise_a: Organization, hr_of_a: User,
                                                               weights: dict[str, object],
                                                               client_of) -> None:  # type: ignore[no-untyped-def]
    post = demand_post(enterprise_a, hr_of_a)
    DemandPost.objects.filter(pk=post.pk).update(weights=weights)
    hr = client_of(hr_of_a)
    response = hr.get(url(post))
    assert (response.status_code, response.json()["code"]) == (422, "match.bad_weights")
    page = hr.get(f"/talentpool/posts/{post.pk}/matches/")
    assert page.status_code == 422 and "匹配权重须为非负数" in page.content.decode()


def test_years_nobody_gave_score_as_none_and_read_not_given(enterprise_a: Organization, hr_of_a: User) -> None:
    """A talent brought in by intake has no years of experience on record: the match reads 未填写, not "0 年",
    and scores as no experience (module docstring of talentpool.selectors.matching)."""
    talent("未填者", rung=5, years=None)
    talent("新手", rung=5, years=0)
    talent("老手", rung=5, years=8)
    post = demand_post(enterprise_a, hr_of_a)
    post.years_experience = 4
    post.save(update_fields=["years_experience"])
    PoolVersion.bump()
    by_name = {t.name: t for t in selectors.post_matches(viewer=hr_of_a, post=post).talents}
    experience = {name: next(f for f in t.factors if f.code == "experience") for name, t in by_name.items()}
    assert (experience["未填者"].value, experience["未填者"].detail) == (0, "未填写，要求 4 年")
    assert (experience["新手"].value, experience["新手"].detail) == (0, "0 年，要求 4 年")
    assert (experience["老手"].value, experience["老手"].detail) == (1, "8 年，要求 4 年")
    assert by_name["未填者"].score == pytest.approx(by_name["新手"].score)
    assert [lift.sentence for lift in by_name["未填者"].lifts if lift.change == "experience=required"] == [
        "若工作经验达到 4 年，将升至第 1 名"]
    post.years_experience = 0
    post.save(update_fields=["years_experience"])
    PoolVersion.bump()
    unasked = selectors.post_matches(viewer=hr_of_a, post=post).talents
    assert {next(f for f in t.factors if f.code == "experience").detail for t in unasked} == {
        "未填写", "0 年", "8 年"}

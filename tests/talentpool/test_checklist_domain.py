"""The checklists' validation (talentpool.domain.checklists): every problem named by its field path."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentpool.domain import checklists as d
from talentpool.models import (
    CollaborationForm,
    Education,
    EnterpriseNature,
    IpKind,
    ResearchLevel,
    TrainingMode,
)
from talentpool.models.pool import City
from tests.talentpool.checklist_forms import TURNER, WELDER, demand_form, supply_form

VOCABULARY = d.Vocabulary(occupations=frozenset({WELDER, TURNER}), chains=frozenset({"high-end-equipment"}))


def _demand_problems(form: d.DemandForm, year: int = 2026) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in d.validate_demand(form, year=year, this_year=2026, vocabulary=VOCABULARY)}


def _supply_problems(form: d.SupplyForm) -> set[tuple[str, str]]:
    return {(e.field, e.code) for e in d.validate_supply(form, year=2026, this_year=2026, vocabulary=VOCABULARY)}


def _post(**changes: object) -> d.PostForm:
    return dataclasses.replace(demand_form().posts[0], **changes)


def test_the_choice_values_mirror_the_models() -> None:
    assert d.NATURES == tuple(EnterpriseNature.values)
    assert d.CITIES == tuple(City.values)
    assert d.EDUCATIONS == tuple(Education.values)
    assert d.TRAINING_MODES == tuple(TrainingMode.values)
    assert d.COLLABORATION_FORMS == tuple(CollaborationForm.values)
    assert d.RESEARCH_LEVELS == tuple(ResearchLevel.values)
    assert d.IP_KINDS == tuple(IpKind.values)


def test_valid_forms_have_no_problem() -> None:
    assert _demand_problems(demand_form()) == set()
    assert _supply_problems(supply_form()) == set()


@pytest.mark.parametrize(("text", "rung"), [
    ("学徒工", 1), ("五级", 2), ("初级工", 2), ("五级/初级工", 2), ("四级（中级工）", 3), ("三级", 4), ("高级工", 4),
    ("技师", 5), ("二级/技师", 5), ("一级/高级技师", 6), ("特级技师", 7), ("首席技师", 8), ("3", 3), ("８", 8), (4, 4),
    ("0", None), ("9", None), ("五级/技师", None), ("大师", None), ("", None),
])
def test_levels_are_read_as_people_write_them(text: str | int, rung: int | None) -> None:
    assert d.rung_of(text) == rung


@pytest.mark.parametrize("rung", range(1, 9))
def test_a_level_label_reads_back_as_its_rung(rung: int) -> None:
    assert d.rung_of(d.level_label(rung)) == rung


@pytest.mark.parametrize(("phone", "ok"), [
    ("13800000000", True), ("19912345678", True), ("0531-88888888", True), ("053188888888", True),
    ("0532-8888888-123", True), ("0531-88888888转806", True), ("12800000000", False), ("1380000000", False),
    ("88888888", False), ("0531-888", False), ("+86 138", False), ("abc", False),
])
def test_phones(phone: str, ok: bool) -> None:
    assert d.phone_ok(phone) is ok


@pytest.mark.parametrize(("changes", "problem"), [
    ({"posts": ()}, ("posts", "demand.no_post")),
    ({"posts": (_post(headcount=0),)}, ("posts[0].headcount", "checklist.not_positive")),
    ({"posts": (_post(headcount=-3),)}, ("posts[0].headcount", "checklist.not_positive")),
    ({"posts": (_post(occupation_code="6180204"),)},
     ("posts[0].occupation_code", "checklist.occupation_code_malformed")),
    ({"posts": (_post(occupation_code="9-99-99-99"),)}, ("posts[0].occupation_code", "checklist.occupation_unknown")),
    ({"posts": (_post(level="大师"),)}, ("posts[0].level", "checklist.level_unknown")),
    ({"posts": (_post(level=""),)}, ("posts[0].level", "checklist.required")),
    ({"posts": (_post(city="beijing"),)}, ("posts[0].city", "checklist.not_a_choice")),
    ({"posts": (_post(), _post())}, ("posts[1].name", "checklist.duplicate_row")),
    ({"posts": (_post(skills=(d.PostSkillForm("识图"), d.PostSkillForm("识 图"))),)},
     ("posts[0].skills[1].name", "checklist.duplicate_row")),
    ({"posts": (_post(skills=(d.PostSkillForm("识图", "九级"),)),)},
     ("posts[0].skills[0].level", "checklist.level_unknown")),
    ({"contact_phone": "12345"}, ("contact_phone", "checklist.phone_malformed")),
    ({"contact_phone": ""}, ("contact_phone", "checklist.required")),
    ({"contact_email": "hr@"}, ("contact_email", "checklist.email_malformed")),
    ({"enterprise_name": " "}, ("enterprise_name", "checklist.required")),
    ({"nature": "big"}, ("nature", "checklist.not_a_choice")),
    ({"chains": ()}, ("chains", "checklist.chain_required")),
    ({"chains": ("moon",)}, ("chains[0]", "checklist.chain_unknown")),
    ({"credit_code": "123"}, ("credit_code", "checklist.credit_code_malformed")),
    ({"training_needs": (d.TrainingNeedForm("x", "y", 0, "z", "offline"),)},
     ("training_needs[0].size", "checklist.not_positive")),
    ({"collaboration_needs": (d.CollaborationNeedForm("x", "", "joint_lab"),)},
     ("collaboration_needs[0].goal", "checklist.required")),
])
def test_each_bad_demand_field_is_named(changes: dict[str, object], problem: tuple[str, str]) -> None:
    assert problem in _demand_problems(demand_form(**changes))


def test_every_problem_is_reported_at_once() -> None:
    form = demand_form(contact_phone="1", contact_email="x", posts=(_post(headcount=0), _post(name="b", level="?")))
    assert _demand_problems(form) == {("contact_phone", "checklist.phone_malformed"),
                                      ("contact_email", "checklist.email_malformed"),
                                      ("posts[0].headcount", "checklist.not_positive"),
                                      ("posts[1].level", "checklist.level_unknown")}


def test_a_year_out_of_range_is_refused() -> None:
    assert ("year", "checklist.year_out_of_range") in _demand_problems(demand_form(), year=1999)
    assert ("year", "checklist.year_out_of_range") in _demand_problems(demand_form(), year=2028)


def test_a_message_names_the_row_and_the_field_in_chinese() -> None:
    [error] = d.validate_demand(demand_form(posts=(_post(), _post(name="b", headcount=0))), year=2026,
                                this_year=2026, vocabulary=VOCABULARY)
    assert error.message == "“岗位需求第2行 需求人数”必须大于 0。"


def _supply_with(**changes: object) -> d.SupplyForm:
    return supply_form(**changes)


@pytest.mark.parametrize(("changes", "problem"), [
    ({"teachers": (d.TeacherForm("0302", 5, 6),)}, ("teachers[0].senior_title", "supply.senior_over_full_time")),
    ({"students": (d.StudentForm("9999", 2025, 1),)}, ("students[0].major_code", "supply.major_unknown")),
    ({"students": (d.StudentForm("0302", 2010, 1),)}, ("students[0].grade", "checklist.year_out_of_range")),
    ({"graduates": (d.GraduateForm("0302", 2020, 10),)}, ("graduates[0].year", "checklist.year_out_of_range")),
    ({"graduates": (d.GraduateForm("0302", 2025, 10, 11),)},
     ("graduates[0].employed_in_province", "supply.employed_over_graduates")),
    ({"majors": (d.MajorForm("0302", "a"), d.MajorForm("0302", "b"))}, ("majors[1].code", "checklist.duplicate_row")),
    ({"majors": (d.MajorForm("0302", "a", ("6-18",)),)},
     ("majors[0].occupation_codes[0]", "checklist.occupation_code_malformed")),
    ({"equipment": (d.EquipmentForm("车床", 0, "x"),)}, ("equipment[0].count", "checklist.not_positive")),
    ({"research": (d.ResearchForm("x", "galactic", "y", 2025),)}, ("research[0].level", "checklist.not_a_choice")),
    ({"ip": (d.IpForm("software", "x", "2025SR1", 1980),)}, ("ip[0].year", "checklist.year_out_of_range")),
    ({"courses": (d.CourseForm("x", "y", 10, "offline", "1-11-11-11"),)},
     ("courses[0].occupation_code", "checklist.occupation_unknown")),
    ({"cases": (d.CaseForm("x", ""),)}, ("cases[0].description", "checklist.required")),
    ({"contact_phone": "0531-1"}, ("contact_phone", "checklist.phone_malformed")),
])
def test_each_bad_supply_field_is_named(changes: dict[str, object], problem: tuple[str, str]) -> None:
    assert problem in _supply_problems(_supply_with(**changes))


_text = st.text(alphabet="焊工车钳电数控装配abc", min_size=1, max_size=12)
_skills = st.lists(st.builds(d.PostSkillForm, name=_text, level=st.sampled_from(["", "四级", "技师", "6"]),
                             must_have=st.booleans()), max_size=3, unique_by=lambda s: d.skill_key(s.name))
_posts = st.lists(st.builds(d.PostForm, name=_text, occupation_code=st.sampled_from([WELDER, TURNER]),
                            headcount=st.integers(1, 1000),
                            level=st.sampled_from([d.level_label(r) for r in range(1, 9)]),
                            city=st.sampled_from(d.CITIES), education=st.sampled_from(d.EDUCATIONS),
                            years_experience=st.integers(0, 30), skills=_skills.map(tuple)),
                  min_size=1, max_size=4, unique_by=lambda p: (p.name.strip(), p.occupation_code))


@given(posts=_posts, phone=st.from_regex(r"\A1[3-9]\d{9}\Z"), nature=st.sampled_from(d.NATURES))
def test_valid_demand_forms_validate_and_round_trip(posts: list[d.PostForm], phone: str, nature: str) -> None:
    form = demand_form(posts=tuple(posts), contact_phone=phone, nature=nature)
    assert _demand_problems(form) == set()
    again = d.demand_from_dict(d.to_dict(form))
    assert again == form
    for post in again.posts:
        assert d.level_label(d.rung_of(post.level) or 0) == post.level

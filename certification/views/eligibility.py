"""The eligibility check page (申报条件核查; issue 12 item 3): staff enter a person (username or ID number), an
occupation and a level, and the facts the platform does not hold (years in the trade, apprenticeship, school,
education); the page shows every path of the rule with every condition met or not, from the same selector and pure
function as the API (certification.selectors.eligibility)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.auth import signed_in_user
from accounts.identity import normalise_id_number
from accounts.models import User
from accounts.permissions import require
from certification import access, selectors
from certification.domain.eligibility import Education, SchoolType
from certification.domain.ladder import SkillLevel
from certification.models import Level, Occupation
from certification.permissions import Action
from core.errors import NotFound, PermissionDenied, RuleBroken

SCHOOL_CHOICES = [
    ("", gettext_lazy("（无）")), (SchoolType.TECHNICAL_SCHOOL.value, gettext_lazy("技工学校")),
    (SchoolType.SENIOR_TECHNICAL_SCHOOL.value, gettext_lazy("高级技工学校")),
    (SchoolType.TECHNICIAN_COLLEGE.value, gettext_lazy("技师学院")),
    (SchoolType.HIGHER_VOCATIONAL.value, gettext_lazy("高职")),
]
EDUCATION_CHOICES = [
    (Education.NONE.value, gettext_lazy("初中及以下")), (Education.SECONDARY.value, gettext_lazy("高中/中专")),
    (Education.COLLEGE.value, gettext_lazy("大专")), (Education.BACHELOR.value, gettext_lazy("本科")),
    (Education.GRADUATE.value, gettext_lazy("研究生")),
]


class EligibilityForm(forms.Form):
    person = forms.CharField(label=gettext_lazy("人员"), max_length=50,
                             help_text=gettext_lazy("用户名或完整的身份证号"))
    occupation = forms.TypedChoiceField(label=gettext_lazy("职业"), coerce=int)
    level = forms.TypedChoiceField(label=gettext_lazy("申报等级"), coerce=int, choices=Level.choices, initial=4)
    years_in_trade = forms.DecimalField(label=gettext_lazy("从事本职业工作年限"), min_value=0, max_value=60,
                                        decimal_places=1, initial=0)
    apprenticeship_finished = forms.BooleanField(label=gettext_lazy("已完成学徒培训"), required=False)
    school = forms.ChoiceField(label=gettext_lazy("毕业院校类型"), choices=SCHOOL_CHOICES, required=False)
    education = forms.TypedChoiceField(label=gettext_lazy("学历"), coerce=int, choices=EDUCATION_CHOICES, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["occupation"]
        assert isinstance(field, forms.TypedChoiceField)  # noqa: S101 - declared above
        field.choices = selectors.occupation_choices()


def _find_person(text: str) -> User | None:
    text = text.strip()
    found = User.objects.filter(username=text, is_active=True).first()
    if found is None and text:
        found = User.objects.filter(id_number=normalise_id_number(text), is_active=True).first()
    return found


@login_required
def eligibility(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    require(user, Action.ELIGIBILITY_CHECK)
    form = EligibilityForm(request.GET or None)
    explanation = None
    if request.GET and form.is_valid():
        d = form.cleaned_data
        person = _find_person(d["person"])
        try:
            if person is None:
                raise NotFound()
            person = access.access_person_for_eligibility(user, person.pk)
            occupation = access.access_occupation(user, d["occupation"])
            explanation = selectors.eligibility_explanation(
                person=person, occupation=occupation, level=SkillLevel(d["level"]), on=timezone.localdate(),
                facts=selectors.Facts(years_in_trade=d["years_in_trade"],
                                      apprenticeship_finished=d["apprenticeship_finished"],
                                      school=SchoolType(d["school"]) if d["school"] else None,
                                      education=Education(d["education"])),
            )
        except (NotFound, PermissionDenied):
            # Whoever the caller may not see is "not found", as an unknown person is: the page never tells them apart.
            form.add_error("person", NotFound().message)
        except RuleBroken as exc:
            form.add_error("level", exc.message)
        except Occupation.DoesNotExist:
            form.add_error("occupation", NotFound().message)
    return render(request, "certification/eligibility.html", {"form": form, "explanation": explanation},
                  status=422 if form.errors else 200)

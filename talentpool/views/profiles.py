"""The person's own pages (issue 14 items 2–3): 我的人才档案 (edit the profile) and 联系请求 (the inbox: accept,
decline, revoke, with what the enterprise will see). A person not in the pool is told so."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.auth import signed_in_user
from core.errors import Conflict, NotFound, ValidationFailed
from talentpool import access_pool
from talentpool.models import City, Education, Talent
from talentpool.selectors.pool import chain_choices
from talentpool.selectors.profiles import talent_inbox, talent_profile
from talentpool.services import contacts
from talentpool.services.profiles import ProfileData, SkillEntry, talent_profile_update
from talentpool.views.pool import RUNGS, _error_text

SKILL_ROWS = 8


class ProfileForm(forms.Form):
    city = forms.ChoiceField(label=gettext_lazy("所在城市"), required=False,
                             choices=[("", gettext_lazy("未填写")), *City.choices])
    education = forms.TypedChoiceField(label=gettext_lazy("学历"), coerce=int, choices=Education.choices)
    years_experience = forms.IntegerField(label=gettext_lazy("从业年限（年）"), min_value=0, max_value=60,
                                          required=False)  # left empty: not given
    open_to_offers = forms.BooleanField(label=gettext_lazy("接受工作机会（企业可在人才库中看到我在求职）"),
                                        required=False)
    chain_ids = forms.TypedMultipleChoiceField(label=gettext_lazy("产业链"), coerce=int, required=False,
                                               widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label=gettext_lazy("个人简介"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    contact_phone = forms.CharField(label=gettext_lazy("联系电话"), required=False, max_length=20,
                                    help_text=gettext_lazy("仅在您同意企业的联系请求后，该企业才能看到"))
    contact_email = forms.CharField(label=gettext_lazy("电子邮箱"), required=False, max_length=254)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["chain_ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)  # noqa: S101 - declared above
        field.choices = chain_choices()


def _initial(talent: Talent) -> dict[str, Any]:
    return {"city": talent.city, "education": talent.education, "years_experience": talent.years_experience,
            "open_to_offers": talent.open_to_offers, "chain_ids": list(talent.chains.values_list("pk", flat=True)),
            "summary": talent.summary, "contact_phone": talent.contact_phone, "contact_email": talent.contact_email}


def _skill_rows(talent: Talent, post: Any = None) -> list[dict[str, Any]]:
    if post is not None:
        return [{"name": post.get(f"skill_{i}", ""), "rung": post.get(f"skill_rung_{i}", ""), "error": ""}
                for i in range(SKILL_ROWS)]
    rows = [{"name": s.skill_point.name, "rung": s.rung or "", "error": ""}
            for s in talent.skills.select_related("skill_point").order_by(F("rung").desc(nulls_last=True),
                                                                           "skill_point__name")]
    return (rows + [{"name": "", "rung": "", "error": ""}] * SKILL_ROWS)[:max(SKILL_ROWS, len(rows))]


def _not_in_pool(request: HttpRequest) -> HttpResponse:
    return render(request, "talentpool/profile/not_in_pool.html", status=200)


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        talent = access_pool.access_own_talent(user)
    except NotFound:
        return _not_in_pool(request)
    status = 200
    if request.method == "POST":
        form = ProfileForm(request.POST)
        skills = _skill_rows(talent, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            entries = []
            for row in skills:
                try:
                    rung = int(row["rung"]) if row["rung"] else None
                except ValueError:
                    rung = 0
                entries.append(SkillEntry(str(row["name"]), rung))
            try:
                talent_profile_update(actor=user, data=ProfileData(
                    city=d["city"], education=d["education"], years_experience=d["years_experience"],
                    open_to_offers=d["open_to_offers"], chain_ids=tuple(d["chain_ids"]), summary=d["summary"],
                    contact_phone=d["contact_phone"], contact_email=d["contact_email"], skills=tuple(entries)))
            except ValidationFailed as exc:
                for error in exc.field_errors:
                    if error.field.startswith("skills."):
                        index = int(error.field.split(".")[1])
                        skills[index] = {**skills[index], "error": error.message}
                    else:
                        form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("人才档案已保存。"))
                return redirect("talentpool:my_profile")
        status = 422
    else:
        form = ProfileForm(initial=_initial(talent))
        skills = _skill_rows(talent)
    return render(request, "talentpool/profile/mine.html", {
        "form": form, "skills": skills, "rungs": RUNGS, "profile": talent_profile(user, talent),
    }, status=status)


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    try:
        talent = access_pool.access_own_talent(user)
    except NotFound:
        return _not_in_pool(request)
    return render(request, "talentpool/profile/requests.html", {
        "requests": talent_inbox(talent), "profile": talent_profile(user, talent),
    })


_MOVES = {"accept": (contacts.contact_request_accept, gettext_lazy("已同意，该企业现在可以看到您的联系方式。")),
          "decline": (contacts.contact_request_decline, gettext_lazy("已拒绝该联系请求。")),
          "revoke": (contacts.contact_consent_revoke, gettext_lazy("已撤回同意，该企业不再能看到您的联系方式。"))}


@login_required
@require_POST
def my_request_move(request: HttpRequest, request_id: int, move: str) -> HttpResponse:
    user = signed_in_user(request)
    if move not in _MOVES:
        raise NotFound()
    service, done = _MOVES[move]
    try:
        service(actor=user, request_id=request_id, reason=request.POST.get("reason", ""))
    except (ValidationFailed, Conflict) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, str(done))
    return redirect("talentpool:my_requests")

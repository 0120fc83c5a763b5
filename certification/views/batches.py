"""Exam batch pages (issue 12 item 4): the batches (the body's own, and those open for registration), planning a
batch (parts, rooms, staff, the staffing check), its registrations (review one by one or in bulk, seats), a
candidate applying with the eligibility explanation shown before they submit, a unit registering its people one by
one or by Excel, a candidate's registrations and 准考证, and the door check a ticket's QR opens. Thin: rights from
certification.access, writes through the services, reads through the selectors."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.auth import signed_in_user
from accounts.identity import normalise_id_number
from accounts.models import Organization, Role, User
from accounts.permissions import can, units_of
from certification import access, tickets
from certification.domain.batches import parts_for
from certification.domain.eligibility import Education, SchoolType
from certification.excel.batches import REGISTRATIONS, registrations_template
from certification.models import Level, RegistrationStatus
from certification.permissions import Action
from certification.photos import MAX_BYTES, registration_photo_bytes
from certification.selectors import batches as views
from certification.selectors import occupation_choices
from certification.services import batches as services
from certification.services.registration_photos import registration_photo_set
from certification.tasks import registrations_import_submit
from certification.views.eligibility import EDUCATION_CHOICES, SCHOOL_CHOICES
from core.errors import DomainError, ImportFailed, NotFound, PermissionDenied, ValidationFailed
from core.pdf_fonts import GlyphMissing
from tasks.models import TaskProgress


def _error(request: HttpRequest, exc: DomainError) -> None:
    if isinstance(exc, ValidationFailed):
        for field_errors in exc.fields().values():
            for text in field_errors:
                messages.error(request, text)
    else:
        messages.error(request, exc.message)


class BatchForm(forms.Form):
    body = forms.TypedChoiceField(label=gettext_lazy("评价机构"), coerce=int)
    occupation = forms.TypedChoiceField(label=gettext_lazy("职业"), coerce=int)
    level = forms.TypedChoiceField(label=gettext_lazy("等级"), coerce=int, choices=Level.choices, initial=4)
    name = forms.CharField(label=gettext_lazy("批次名称"), max_length=200)
    registration_opens = forms.DateField(label=gettext_lazy("报名开始"), widget=forms.DateInput(attrs={"type": "date"}))
    registration_closes = forms.DateField(label=gettext_lazy("报名截止"),
                                          widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, bodies: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].choices = [(o.pk, o.name) for o in bodies]  # type: ignore[attr-defined]
        self.fields["occupation"].choices = occupation_choices()  # type: ignore[attr-defined]


def _bodies(user: User) -> list[Organization]:
    return list(Organization.objects.filter(pk__in=units_of(user, [Role.EXAM_CENTER_STAFF])).order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def batches(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    bodies = _bodies(user)
    form = BatchForm(request.POST or None, bodies=bodies) if bodies else None
    if request.method == "POST" and form is not None and form.is_valid():
        d = form.cleaned_data
        try:
            batch = services.batch_create(actor=user, data=services.BatchData(
                d["body"], d["occupation"], d["level"], d["name"], d["registration_opens"], d["registration_closes"]))
        except ValidationFailed as exc:
            for field, texts in exc.fields().items():
                for text in texts:
                    form.add_error(field if field in form.fields else None, text)
        else:
            messages.success(request, _("批次已创建，请安排科目、考场和考务人员。"))
            return redirect("certification:batch", batch_id=batch.pk)
    return render(request, "certification/batches.html", {
        "managed": views.batches_managed(user) if can(user, Action.BATCH_VIEW) else [],
        "open": views.batches_open(on=timezone.localdate()), "form": form,
        "may_register_people": can(user, Action.REGISTRATION_SUBMIT),
    }, status=422 if form is not None and form.errors else 200)


class PartForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("科目"), choices=[])
    day = forms.DateField(label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=gettext_lazy("开始"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=gettext_lazy("结束"), widget=forms.TimeInput(attrs={"type": "time"}))


def _aware(day: Any, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def _batch_page(request: HttpRequest, batch_id: int) -> HttpResponse:
    user = signed_in_user(request)
    batch = access.access_batch_announced(user, batch_id)
    manage = can(user, Action.BATCH_VIEW, batch)
    context: dict[str, Any] = {"summary": views.batch_summary(batch), "manage": manage,
                               "may_manage": can(user, Action.BATCH_MANAGE, batch),
                               "may_review": can(user, Action.REGISTRATION_REVIEW, batch)}
    if manage:
        status = request.GET.get("status", "")
        context.update(plan=views.batch_plan(batch), status=status,
                       registrations=views.batch_registrations(user, batch, status=status),
                       statuses=RegistrationStatus.choices, part_kinds=[
                           (k.value, views.part_label(k.value)) for k in parts_for(batch.level)])
    units = [u for u in units_of(user, [Role.ENTERPRISE_HR, Role.COLLEGE_STAFF, Role.EXAM_CENTER_STAFF])]
    context["unit_rows"] = views.unit_registrations(user, batch, units) if units and not manage else []
    context["may_register_people"] = bool(units)
    return render(request, "certification/batch.html", context)


@login_required
@require_GET
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    return _batch_page(request, batch_id)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_POST
def batch_plan(request: HttpRequest, batch_id: int) -> HttpResponse:
    """One planning step, named by `step`: part, room, staff, unstaff, open, close, cancel."""
    user = signed_in_user(request)
    access.access_batch(user, batch_id, manage=True)
    step, post = request.POST.get("step", ""), request.POST
    try:
        if step == "part":
            form = PartForm(post)
            form.fields["kind"].choices = [(k, k) for k in ("theory", "practical", "review")]  # type: ignore[attr-defined]
            if not form.is_valid():
                messages.error(request, _("请填写科目的日期和起止时间。"))
            else:
                d = form.cleaned_data
                services.batch_part_set(actor=user, batch_id=batch_id, kind=d["kind"],
                                        starts_at=_aware(d["day"], d["starts"]), ends_at=_aware(d["day"], d["ends"]))
        elif step == "room":
            services.room_add(actor=user, part_id=_int(post.get("part")) or 0, name=post.get("name", ""),
                              seats=_int(post.get("seats")) or 0)
        elif step == "staff":
            found = User.objects.filter(username=post.get("username", "").strip(), is_active=True).first()
            if found is None:
                raise NotFound()
            services.staff_assign(actor=user, part_id=_int(post.get("part")) or 0, person_id=found.pk,
                                  room_id=_int(post.get("room")))
        elif step == "unstaff":
            services.staff_remove(actor=user, assignment_id=_int(post.get("assignment")) or 0)
        elif step == "open":
            services.batch_open(actor=user, batch_id=batch_id)
            messages.success(request, _("已发布报名。"))
        elif step == "close":
            services.batch_close(actor=user, batch_id=batch_id)
            messages.success(request, _("报名已截止。"))
        elif step == "cancel":
            services.batch_cancel(actor=user, batch_id=batch_id, reason=post.get("reason", ""))
    except NotFound:
        messages.error(request, _("未找到该人员、科目或考场。"))
    except DomainError as exc:
        _error(request, exc)
    return redirect("certification:batch", batch_id=batch_id)


@login_required
@require_POST
def batch_review(request: HttpRequest, batch_id: int) -> HttpResponse:
    """Approve or reject the ticked registrations (one or many); allocate seats."""
    user = signed_in_user(request)
    access.access_batch_for_review(user, batch_id)
    ids = [i for i in (_int(v) for v in request.POST.getlist("registration")) if i is not None]
    decision = request.POST.get("decision", "")
    try:
        if decision == "allocate":
            allocation = services.seats_allocate(actor=user, batch_id=batch_id)
            messages.success(request, _("考场编排完成：%(n)s 人（种子 %(seed)s）。") % {"n": allocation.seated,
                                                                                  "seed": allocation.seed})
        elif not ids:
            messages.error(request, _("请先勾选报名。"))
        elif decision == "approve":
            services.registrations_approve(actor=user, batch_id=batch_id, registration_ids=ids)
            messages.success(request, _("已通过 %(n)s 条报名。") % {"n": len(ids)})
        elif decision == "reject":
            services.registrations_reject(actor=user, batch_id=batch_id, registration_ids=ids,
                                          reason=request.POST.get("reason", ""))
            messages.success(request, _("已驳回 %(n)s 条报名。") % {"n": len(ids)})
    except NotFound:
        messages.error(request, _("未找到该报名。"))
    except PermissionDenied:
        raise
    except DomainError as exc:
        _error(request, exc)
    return redirect("certification:batch", batch_id=batch_id)


class FactsForm(forms.Form):
    years_in_trade = forms.DecimalField(label=gettext_lazy("从事本职业工作年限"), min_value=0, max_value=60,
                                        decimal_places=1, initial=0)
    apprenticeship_finished = forms.BooleanField(label=gettext_lazy("已完成学徒培训"), required=False)
    school = forms.ChoiceField(label=gettext_lazy("毕业院校类型"), choices=SCHOOL_CHOICES, required=False)
    education = forms.TypedChoiceField(label=gettext_lazy("学历"), coerce=int, choices=EDUCATION_CHOICES, initial=1)

    def facts(self) -> views.FactsIn:
        d = self.cleaned_data
        return views.FactsIn(d["years_in_trade"], d["apprenticeship_finished"],
                             SchoolType(d["school"]) if d["school"] else None, Education(d["education"]))


@login_required
@require_http_methods(["GET", "POST"])
def batch_apply(request: HttpRequest, batch_id: int) -> HttpResponse:
    """A candidate applies: the facts, then the eligibility explanation ("核查"), then submit."""
    user = signed_in_user(request)
    batch = access.access_batch_announced(user, batch_id)
    form = FactsForm(request.POST or request.GET or None)
    record = None
    if form.is_bound and form.is_valid():
        record = views.eligibility_records(batch, {user.pk: form.facts()}, on=timezone.localdate())[user.pk]
        if request.method == "POST":
            try:
                services.registration_submit(actor=user, batch_id=batch.pk, candidate_id=user.pk, facts=form.facts())
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("报名已提交，请等待评价机构审核。"))
                return redirect("certification:my_registrations")
    return render(request, "certification/batch_apply.html", {
        "summary": views.batch_summary(batch), "form": form, "record": record,
    }, status=422 if form.errors else 200)


class PersonFactsForm(FactsForm):
    id_number = forms.CharField(label=gettext_lazy("身份证号"), max_length=30)
    unit = forms.TypedChoiceField(label=gettext_lazy("报名单位"), coerce=int)


def _register_units(user: User) -> list[Organization]:
    return list(Organization.objects.filter(pk__in=units_of(user, [Role.ENTERPRISE_HR, Role.COLLEGE_STAFF,
                                                                    Role.EXAM_CENTER_STAFF])).order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def batch_register(request: HttpRequest, batch_id: int) -> HttpResponse:
    """A unit's staff register one person, or upload the Excel of many (a background task above a few hundred)."""
    user = signed_in_user(request)
    batch = access.access_batch_announced(user, batch_id)
    units = _register_units(user)
    if not units:
        raise PermissionDenied()
    failed: ImportFailed | None = None
    form = PersonFactsForm(request.POST if request.POST.get("step") == "one" else None)
    form.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]
    if request.method == "POST" and request.POST.get("step") == "one" and form.is_valid():
        found = User.objects.filter(id_number=normalise_id_number(form.cleaned_data["id_number"]),
                                    is_active=True).first()
        try:
            if found is None:
                raise NotFound()
            services.registration_submit(actor=user, batch_id=batch.pk, candidate_id=found.pk, facts=form.facts(),
                                         unit_id=form.cleaned_data["unit"])
        except (NotFound, ValidationFailed):
            form.add_error("id_number", _("本单位没有该身份证号的人员。"))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已为 %(name)s 提交报名。") % {"name": str(found)})
            return redirect("certification:batch_register", batch_id=batch.pk)
    elif request.method == "POST" and request.POST.get("step") == "excel":
        upload = request.FILES.get("file")
        unit_id = _int(request.POST.get("unit"))
        if upload is None or unit_id is None:
            messages.error(request, _("请选择单位和要上传的 Excel 文件。"))
        else:
            try:
                result = registrations_import_submit(actor=user, batch_id=batch.pk, unit_id=unit_id,
                                                     data=upload.read(), filename=upload.name or "")
            except ImportFailed as exc:
                failed = exc
            except (NotFound, PermissionDenied):
                raise
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                if isinstance(result, TaskProgress):
                    return redirect("task_detail", task_id=result.pk)
                messages.success(request, _("已导入 %(count)s 条报名。") % {"count": len(result)})
                return redirect("certification:batch_register", batch_id=batch.pk)
    return render(request, "certification/batch_register.html", {
        "summary": views.batch_summary(batch), "form": form, "units": units, "failed": failed,
        "error_rows": failed.rows() if failed else [],
        "rows": views.unit_registrations(user, batch, [u.pk for u in units]),
    }, status=422 if failed or form.errors else 200)


@login_required
@require_GET
def registrations_template_download(request: HttpRequest) -> HttpResponse:
    from certification.excel.sheets import XLSX_CONTENT_TYPE

    response = HttpResponse(registrations_template(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = ("attachment; filename=\"registrations.xlsx\"; "
                                       "filename*=UTF-8''%E6%89%B9%E6%AC%A1%E6%8A%A5%E5%90%8D%E8%A1%A8.xlsx")
    return response


@login_required
@require_GET
def my_registrations(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    return render(request, "certification/my_registrations.html", {"rows": views.my_registrations(user),
                                                                    "sheet": REGISTRATIONS})


@login_required
@require_POST
def registration_withdraw(request: HttpRequest, registration_id: int) -> HttpResponse:
    user = signed_in_user(request)
    try:
        services.registration_withdraw(actor=user, registration_id=registration_id,
                                       reason=request.POST.get("reason", ""))
        messages.success(request, _("报名已撤回。"))
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        _error(request, exc)
    return redirect("certification:my_registrations")


@login_required
@require_POST
def registration_photo_upload(request: HttpRequest, registration_id: int) -> HttpResponse:
    """证件照: the candidate (or the staff of their unit) uploads or replaces the ID photo of a registration."""
    upload = request.FILES.get("photo")
    try:
        registration_photo_set(actor=signed_in_user(request), registration_id=registration_id,
                               data=upload.read(MAX_BYTES + 1) if upload is not None else None)
        messages.success(request, _("证件照已保存，将用于准考证和证书。"))
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        _error(request, exc)
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                                                require_https=request.is_secure()):
        return redirect(back)
    return redirect("certification:my_registrations")


@login_required
@require_GET
def registration_photo(request: HttpRequest, registration_id: int) -> HttpResponse:
    """The stored ID photo, for whoever may see the registration; never from a public media URL."""
    registration = access.access_registration(signed_in_user(request), registration_id)
    data = registration_photo_bytes(registration)
    if data is None:
        raise NotFound()
    response = HttpResponse(data, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def ticket_pdf(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration = access.access_registration(signed_in_user(request), registration_id)
    if registration.status != RegistrationStatus.SEATED:
        messages.error(request, _("考场编排后才能下载准考证。"))
        return redirect("certification:my_registrations")
    view = views.ticket_view(registration)
    try:
        data = tickets.ticket_pdf(view, request.build_absolute_uri(view.verify_path),
                                  registration_photo_bytes(registration))
    except GlyphMissing as exc:
        messages.error(request, exc.message)
        return redirect("certification:my_registrations")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="ticket-{view.ticket_no}.pdf"'
    return response


@login_required
@require_GET
def ticket_verify(request: HttpRequest, token: str) -> HttpResponse:
    """The door check (准考证核验): who the ticket belongs to, for the body's staff; anyone else sees nothing."""
    registration = access.access_ticket(signed_in_user(request), token)
    return render(request, "certification/ticket_verify.html", {"ticket": views.ticket_view(registration)})

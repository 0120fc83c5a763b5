"""What the competitions endpoints share: optional authentication for public reads, object lookup, the output
shapes built by hand and the Excel response."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from accounts.models import User
from competitions import excel as workbooks
from competitions.models import (
    Entry,
    Event,
    Skill,
)
from config.api import BearerTokenAuth, PageSessionAuth
from core.errors import NotFound


def anonymous(request: HttpRequest) -> Any:
    """The last resort of optional authentication: anyone, as the anonymous user."""
    return AnonymousUser()


OPTIONAL_AUTH = [BearerTokenAuth(), PageSessionAuth(), anonymous]




def user_of(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def get_object(model: type[Model], pk: int, **related: Any) -> Any:
    obj = model.objects.filter(pk=pk).select_related(*related.get("select", ())).first()  # type: ignore[attr-defined]
    if obj is None:
        raise NotFound()
    return obj


def event_out(event: Event) -> dict[str, Any]:
    return {
        "id": event.pk, "name": event.name, "level": event.level, "level_label": str(event.get_level_display()),
        "series": event.series, "organizer_id": event.organizer_id, "organizer": event.organizer.name,
        "starts_on": event.starts_on, "ends_on": event.ends_on, "status": event.status,
        "status_label": str(event.get_status_display()),
    }


def skill_out(skill: Skill) -> dict[str, Any]:
    return {
        "id": skill.pk, "event_id": skill.event_id, "name": skill.name, "occupation_code": skill.occupation_code,
        "group": skill.group, "team_size": skill.team_size, "status": skill.status,
        "review_until": skill.review_until, "decrypted": skill.decrypted_at is not None,
        "published_at": skill.published_at,
    }


def entry_out(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk, "skill_id": entry.skill_id, "unit_id": entry.unit_id, "unit": entry.unit.name,
        "status": entry.status, "status_label": str(entry.get_status_display()), "review_reason": entry.review_reason,
        "members": [{"person_id": m.person_id, "name": m.person.real_name or m.person.username}
                    for m in entry.members.all()],
    }


# A binary answer: ninja documents a response model as JSON, so the 200 is declared without a model and its
# content type and schema are written into the OpenAPI document here.
XLSX_RESPONSE = {"responses": {200: {"description": "Excel 工作簿 (.xlsx)", "content": {
    workbooks.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}}}}}


def xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=workbooks.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = workbooks.content_disposition(filename)
    return response

"""The encryption officer's two draws and decryption."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from accounts.auth import signed_in_user
from competitions import selectors, services
from competitions.api.schemas import DrawIn
from competitions.models import DrawStage, Skill
from competitions.selectors import DrawView, SkillView
from core.errors import NotFound
from core.lookup import get_or_404
from core.schemas import RowId, errors

router = Router()


@router.post("/skills/{skill_id}/draws/{stage}", response={201: DrawView, **errors(404, 409)},
             summary="抽签（checkin 检录号 / workstation 工位号） Run a draw")
def draw_run(request: HttpRequest, skill_id: RowId, stage: str, payload: DrawIn) -> Status[DrawView]:
    skill = get_or_404(Skill, pk=skill_id)
    if stage == DrawStage.CHECKIN:
        draw = services.draw_checkin(officer=signed_in_user(request), skill=skill, seed=payload.seed or None)
    elif stage == DrawStage.WORKSTATION:
        draw = services.draw_workstations(officer=signed_in_user(request), skill=skill, seed=payload.seed or None)
    else:
        raise NotFound()
    return Status(201, selectors.draw_view(draw))


@router.post("/skills/{skill_id}/decrypt", response={200: SkillView, **errors(404, 409)},
             summary="解密 Decrypt a skill")
def decrypt(request: HttpRequest, skill_id: RowId) -> SkillView:
    skill = services.skill_decrypt(officer=signed_in_user(request), skill=get_or_404(Skill, pk=skill_id))
    return selectors.skill_view(skill)


@router.get("/draws/{draw_id}/record", response={200: dict[str, Any], **errors(404)},
            summary="抽签记录（可离线复算） A draw's record")
def draw_record(request: HttpRequest, draw_id: RowId) -> dict[str, Any]:
    """The record `python -m competitions.draws verify FILE` re-runs with no database (selectors.draw_record_file:
    who gets which record, and when)."""
    return selectors.draw_record_file(viewer=signed_in_user(request), draw_id=draw_id)

"""Competitions API, mounted at /api/v1/competitions/: one Router per subject (events, registration, marking,
draws, review, excel), thin endpoints over the services and selectors; schemas.py holds the input shapes.

Events and results are readable without signing in (their `auth` ends with an anonymous fallback): the events past
their draft, and the standings of skills from the review period on. A signed-in member of the jury gets
provisional standings from the same endpoint. Referees address entries by 工位号 only (`POST /skills/{id}/marks`).
"""

from __future__ import annotations

from ninja import Router

from competitions.api import draws, events, excel, marking, registration, review

router = Router()
for subject in (events, registration, marking, draws, review, excel):
    router.add_router("", subject.router)

__all__ = ["router"]

"""Talent pool API, mounted at /api/v1/talentpool/: one Router per subject (pool and profiles, contact requests,
checklists, matching, matchmaking, challenges, equipment, dashboard), thin endpoints over the services and
selectors."""

from __future__ import annotations

from ninja import Router

from talentpool.api import challenges, checklists, matching, matchmaking, pool

router = Router()
for subject in (matching, pool, checklists, matchmaking, challenges):
    router.add_router("", subject.router)

__all__ = ["router"]

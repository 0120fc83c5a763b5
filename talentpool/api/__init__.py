"""Talent pool API, mounted at /api/v1/talentpool/: one Router per subject (pool and profiles, contact requests,
checklists, matching, matchmaking, challenges, equipment, dashboard), thin endpoints over the services and
selectors."""

from __future__ import annotations

from ninja import Router

from talentpool.api import challenges, matching, matchmaking

router = Router()
router.add_router("", matching.router)
router.add_router("", matchmaking.router)
router.add_router("", challenges.router)

__all__ = ["router"]

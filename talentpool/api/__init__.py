"""Talent pool API, mounted at /api/v1/talentpool/: one Router per subject (pool and profiles, contact requests,
checklists, matching, matchmaking, challenges, equipment, dashboard), thin endpoints over the services and
selectors."""

from __future__ import annotations

from ninja import Router

from talentpool.api import matching

router = Router()
router.add_router("", matching.router)

__all__ = ["router"]

from talentpool.api import pool  # noqa: E402 - intake, profiles, consent, enterprise pool (pool2)

router.add_router("", pool.router)

"""Access to the talent pool's objects: each function loads one object, checks the caller's right through
`accounts.permissions` (talentpool.permissions), and locks it when asked (DESIGN.md "Layout": access.py). The API,
the pages and the services call these; nobody else looks these objects up and checks rights by hand.

- `access_post_for_matching(user, post_id)` → a demand post whose matches the caller reads (`MATCH_VIEW`: the
  post's enterprise, organizer staff, the admin): 404 when missing or of an enterprise the caller does not see.
- `access_checklist_for_matching(user, checklist_id)` → a demand checklist whose needs the caller reads matched to
  colleges' offers (`MATCH_VIEW` on the checklist, the same readers).
"""

from __future__ import annotations

from typing import Any

from accounts.permissions import require
from core.lookup import get_or_404
from talentpool.models import DemandChecklist, DemandPost
from talentpool.permissions import Action


def access_post_for_matching(user: Any, post_id: int) -> DemandPost:
    post = get_or_404(DemandPost.objects.select_related("checklist"), pk=post_id)
    require(user, Action.MATCH_VIEW, post)
    return post


def access_checklist_for_matching(user: Any, checklist_id: int) -> DemandChecklist:
    checklist = get_or_404(DemandChecklist, pk=checklist_id)
    require(user, Action.MATCH_VIEW, checklist)
    return checklist

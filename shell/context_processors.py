"""What every page renders with: the menu entries the person may open, and the roles they hold."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.permissions import roles_of
from shell.navigation import nav_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": [], "nav_roles": []}
    from accounts.models import Role

    return {
        "nav_entries": nav_for(user),
        "nav_roles": [str(Role(role).label) for role in sorted(roles_of(user))],
    }

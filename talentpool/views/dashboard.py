"""The dashboard (产教资源匹配数字地图, issue 14 item 10): a schematic tile map of the 16 cities coloured by the
chosen measure (gap by default), the chain × city gap matrix, demand against supply per chain, and outcomes by
kind, each chart drawn by the vendored ECharts from the page's JSON and each followed by a table of the same
numbers, so the page reads without JS. Aggregates only (talentpool.selectors.dashboard)."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.auth import signed_in_user
from accounts.permissions import require
from talentpool.domain.dashboard import GRID_COLUMNS, GRID_ROWS
from talentpool.permissions import Action
from talentpool.selectors.dashboard import dashboard as dashboard_figures


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require(signed_in_user(request), Action.DASHBOARD_VIEW)
    figures = dashboard_figures()
    chart = {
        "grid": [GRID_COLUMNS, GRID_ROWS],
        "tiles": [asdict(t) for t in figures.tiles],
        "chains": [{"label": r.label, "demand": r.demand, "supply": r.supply, "gap": r.gap} for r in figures.chains],
        "cities": figures.city_labels,
        "matrix": [{"chain": m.chain, "gaps": m.gaps} for m in figures.matrix],
        "outcomes": [{"label": o.label, "count": o.count} for o in figures.outcomes],
    }
    return render(request, "talentpool/dashboard.html", {"d": figures, "chart": chart})

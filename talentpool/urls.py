"""The talent pool's pages, under /talentpool/; each part adds its pages below."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from talentpool.views import matching

app_name = "talentpool"

urlpatterns: list[URLPattern | URLResolver] = [
    path("posts/<int:post_id>/matches/", matching.post_matches, name="post_matches"),
    path("demand-checklists/<int:checklist_id>/offers/", matching.checklist_offers, name="checklist_offers"),
]

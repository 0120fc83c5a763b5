"""The talent pool's pages, under /talentpool/; each part adds its pages below."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "talentpool"

urlpatterns: list[URLPattern | URLResolver] = []

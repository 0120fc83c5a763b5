"""The talent pool's pages, under /talentpool/; each part adds its pages below."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from talentpool.views import checklist_excel, checklists

app_name = "talentpool"

urlpatterns: list[URLPattern | URLResolver] = []

# The checklists (企业需求清单, 院校供给清单): pages and Excel.
urlpatterns += [
    path("checklists/demand/", checklists.demand_list, name="demand_checklists"),
    path("checklists/demand/new/", checklists.demand_new, name="demand_checklist_new"),
    path("checklists/demand/excel/", checklist_excel.demand_excel, name="demand_excel"),
    path("checklists/demand/template.xlsx", checklist_excel.demand_template, name="demand_template"),
    path("checklists/demand/import/", checklist_excel.demand_import, name="demand_import"),
    path("checklists/demand/<int:checklist_id>/", checklists.demand_detail, name="demand_checklist"),
    path("checklists/demand/<int:checklist_id>/edit/", checklists.demand_edit, name="demand_checklist_edit"),
    path("checklists/demand/<int:checklist_id>/submit/", checklists.demand_submit, name="demand_checklist_submit"),
    path("checklists/demand/<int:checklist_id>/export.xlsx", checklist_excel.demand_export, name="demand_export"),
    path("checklists/supply/", checklists.supply_list, name="supply_checklists"),
    path("checklists/supply/new/", checklists.supply_new, name="supply_checklist_new"),
    path("checklists/supply/excel/", checklist_excel.supply_excel, name="supply_excel"),
    path("checklists/supply/template.xlsx", checklist_excel.supply_template, name="supply_template"),
    path("checklists/supply/import/", checklist_excel.supply_import, name="supply_import"),
    path("checklists/supply/<int:checklist_id>/", checklists.supply_detail, name="supply_checklist"),
    path("checklists/supply/<int:checklist_id>/edit/", checklists.supply_edit, name="supply_checklist_edit"),
    path("checklists/supply/<int:checklist_id>/submit/", checklists.supply_submit, name="supply_checklist_submit"),
    path("checklists/supply/<int:checklist_id>/export.xlsx", checklist_excel.supply_export, name="supply_export"),
]

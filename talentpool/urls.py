"""The talent pool's pages, under /talentpool/, by part."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from talentpool.views import challenges, checklist_excel, checklists, dashboard, equipment, matching, matchmaking
from talentpool.views import intake as intake_views
from talentpool.views import pool as pool_views
from talentpool.views import profiles as profile_views

app_name = "talentpool"

urlpatterns: list[URLPattern | URLResolver] = [
    # matching
    path("posts/<int:post_id>/matches/", matching.post_matches, name="post_matches"),
    path("demand-checklists/<int:checklist_id>/offers/", matching.checklist_offers, name="checklist_offers"),
    # intake, profiles, consent and the enterprise pool pages
    path("pool/", pool_views.pool_search, name="pool"),
    path("pool/export.xlsx", pool_views.pool_export, name="pool_export"),
    path("talents/<int:talent_id>/", pool_views.talent_detail, name="talent"),
    path("talents/<int:talent_id>/contact/", pool_views.contact_request_create, name="contact_request"),
    path("talents/<int:talent_id>/shortlist/", pool_views.shortlist_add, name="shortlist_add"),
    path("shortlist/", pool_views.shortlist_page, name="shortlist"),
    path("shortlist/<int:item_id>/remove/", pool_views.shortlist_remove, name="shortlist_remove"),
    path("searches/", pool_views.saved_search_create, name="saved_search_create"),
    path("searches/<int:search_id>/delete/", pool_views.saved_search_delete, name="saved_search_delete"),
    path("contact-requests/", pool_views.enterprise_contact_requests, name="contact_requests"),
    path("contact-requests/<int:request_id>/withdraw/", pool_views.contact_request_withdraw,
         name="contact_request_withdraw"),
    path("me/", profile_views.my_profile, name="my_profile"),
    path("me/requests/", profile_views.my_requests, name="my_requests"),
    path("me/requests/<int:request_id>/<str:move>/", profile_views.my_request_move, name="my_request_move"),
    path("intake/", intake_views.intake_policy, name="intake_policy"),
    path("intake/run/", intake_views.intake_run_now, name="intake_run"),
    path("chains/", intake_views.chains, name="chains"),
    # the checklists (企业需求清单, 院校供给清单): pages and Excel
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
    # matchmaking events, 揭榜挂帅 challenges, equipment sharing, the dashboard (branch meet)
    path("events/", matchmaking.events, name="events"),
    path("events/<int:event_id>/", matchmaking.event, name="event"),
    path("events/<int:event_id>/propose/", matchmaking.event_propose, name="event_propose"),
    path("events/<int:event_id>/invite/", matchmaking.event_invite, name="event_invite"),
    path("events/<int:event_id>/outcomes/", matchmaking.event_outcome, name="event_outcome"),
    path("invitations/<int:invitation_id>/uninvite/", matchmaking.invitation_uninvite, name="invitation_uninvite"),
    path("invitations/<int:invitation_id>/respond/", matchmaking.invitation_respond, name="invitation_respond"),
    path("challenges/", challenges.challenges, name="challenges"),
    path("challenges/<int:challenge_id>/", challenges.challenge, name="challenge"),
    path("challenges/<int:challenge_id>/close/", challenges.challenge_close, name="challenge_close"),
    path("applications/<int:application_id>/pick/", challenges.application_pick, name="application_pick"),
    path("applications/<int:application_id>/withdraw/", challenges.application_withdraw,
         name="application_withdraw"),
    path("equipment/", equipment.equipment_search, name="equipment_search"),
    path("equipment/<int:equipment_id>/request/", equipment.equipment_request, name="equipment_request"),
    path("equipment-requests/<int:request_id>/decide/", equipment.equipment_request_decide,
         name="equipment_request_decide"),
    path("equipment-requests/<int:request_id>/withdraw/", equipment.equipment_request_withdraw,
         name="equipment_request_withdraw"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]

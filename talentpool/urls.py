"""The talent pool's pages, under /talentpool/; each part adds its pages below."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from talentpool.views import challenges, dashboard, equipment, matching, matchmaking

app_name = "talentpool"

urlpatterns: list[URLPattern | URLResolver] = [
    path("posts/<int:post_id>/matches/", matching.post_matches, name="post_matches"),
    path("demand-checklists/<int:checklist_id>/offers/", matching.checklist_offers, name="checklist_offers"),
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

"""The talent pool's pages, under /talentpool/, by part."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from talentpool.views import intake as intake_views
from talentpool.views import matching
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
]

from django.urls import path

from certification.views import catalogue, eligibility, levels

app_name = "certification"

urlpatterns = [
    path("catalogue/", catalogue.catalogue, name="catalogue"),
    path("catalogue/<int:occupation_id>/", catalogue.occupation, name="occupation"),
    path("catalogue/excel/", catalogue.catalogue_excel, name="catalogue_excel"),
    path("catalogue/excel/import/", catalogue.catalogue_import, name="catalogue_import"),
    path("catalogue/excel/template.xlsx", catalogue.catalogue_template_download, name="catalogue_template"),
    path("catalogue/excel/catalogue.xlsx", catalogue.catalogue_export_download, name="catalogue_export"),
    path("levels/mine/", levels.my_levels, name="my_levels"),
    path("people/<int:person_id>/levels/", levels.person_levels, name="person_levels"),
    path("levels/<int:held_id>/withdraw/", levels.held_level_withdraw, name="held_level_withdraw"),
    path("eligibility/", eligibility.eligibility, name="eligibility"),
]

from django.urls import path

from certification.views import appointments, bank, catalogue, eligibility, levels

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
    path("appointments/", appointments.appointments, name="appointments"),
    path("enterprises/<int:unit_id>/appointments/", appointments.enterprise_appointments,
         name="enterprise_appointments"),
    path("appointments/<int:appointment_id>/end/", appointments.appointment_end, name="appointment_end"),
    path("appointments/<int:appointment_id>/renew/", appointments.appointment_renew, name="appointment_renew"),
    path("appointments/<int:appointment_id>/evidence/", appointments.appointment_evidence,
         name="appointment_evidence"),
    path("eligibility/", eligibility.eligibility, name="eligibility"),
    path("banks/", bank.banks, name="banks"),
    path("banks/<int:occupation_id>/<int:level>/", bank.bank, name="bank"),
    path("banks/<int:occupation_id>/<int:level>/questions/", bank.questions, name="questions"),
    path("banks/<int:occupation_id>/<int:level>/files/", bank.bank_exchange, name="bank_exchange"),
    path("banks/<int:occupation_id>/<int:level>/files/import/", bank.bank_import, name="bank_import"),
    path("banks/<int:occupation_id>/<int:level>/files/bank.xml", bank.bank_export_xml, name="bank_export_xml"),
    path("banks/<int:occupation_id>/<int:level>/files/bank.xlsx", bank.bank_export_xlsx, name="bank_export_xlsx"),
    path("banks/<int:occupation_id>/<int:level>/files/template.xlsx", bank.bank_template, name="bank_template"),
    path("banks/<int:occupation_id>/<int:level>/blueprint/", bank.blueprint, name="blueprint"),
    path("banks/<int:occupation_id>/<int:level>/trial/", bank.trial, name="trial"),
    path("questions/<int:question_id>/", bank.question, name="question"),
    path("questions/<int:question_id>/retire/", bank.question_retire, name="question_retire"),
]

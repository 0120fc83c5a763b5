from django.urls import path

from certification.views import bank, batches, catalogue, eligibility, levels

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
    path("batches/", batches.batches, name="batches"),
    path("batches/<int:batch_id>/", batches.batch, name="batch"),
    path("batches/<int:batch_id>/plan/", batches.batch_plan, name="batch_plan"),
    path("batches/<int:batch_id>/review/", batches.batch_review, name="batch_review"),
    path("batches/<int:batch_id>/apply/", batches.batch_apply, name="batch_apply"),
    path("batches/<int:batch_id>/register/", batches.batch_register, name="batch_register"),
    path("batches/registrations-template.xlsx", batches.registrations_template_download,
         name="registrations_template"),
    path("registrations/mine/", batches.my_registrations, name="my_registrations"),
    path("registrations/<int:registration_id>/withdraw/", batches.registration_withdraw,
         name="registration_withdraw"),
    path("registrations/<int:registration_id>/ticket.pdf", batches.ticket_pdf, name="ticket_pdf"),
    path("tickets/<str:token>/", batches.ticket_verify, name="ticket_verify"),
]

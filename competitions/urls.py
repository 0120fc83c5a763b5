from django.urls import path

from competitions.views import board as views_board
from competitions.views import console as views_console
from competitions.views import draws as views_draws
from competitions.views import events as views
from competitions.views import excel
from competitions.views import groups as views_groups
from competitions.views import marking as views_marking
from competitions.views import referees as views_referees
from competitions.views import registrations as views_registrations
from competitions.views import review as views_review
from competitions.views import setup as views_setup

app_name = "competitions"

urlpatterns = [
    path("", views.events, name="events"),
    path("mine/", views.mine, name="mine"),
    path("events/<int:event_id>/results/", views.results, name="results"),
    path("events/<int:event_id>/board/", views_board.board, name="board"),
    path("events/<int:event_id>/board/jury/", views_board.jury_board, name="jury_board"),
    path("events/<int:event_id>/results/notice/", views.results_notice, name="results_notice"),
    path("events/<int:event_id>/manage/", views.event_manage, name="event_manage"),
    path("events/<int:event_id>/transition/", views.event_transition, name="event_transition"),
    path("events/<int:event_id>/board/freeze/", views.board_freeze, name="board_freeze"),
    path("events/<int:event_id>/board/reveal/", views.board_reveal, name="board_reveal"),
    path("events/<int:event_id>/board/thaw/", views.board_thaw, name="board_thaw"),
    path("skills/<int:skill_id>/transition/", views.skill_transition, name="skill_transition"),
    path("draws/", views_draws.draws_index, name="draws_index"),
    path("events/<int:event_id>/draws/", views_draws.event_draws, name="event_draws"),
    path("skills/<int:skill_id>/draws/<str:stage>/", views_draws.draw_run, name="draw_run"),
    path("skills/<int:skill_id>/decrypt/", views_draws.skill_decrypt, name="skill_decrypt"),
    path("draws/<int:draw_id>/record.json", views_draws.draw_record, name="draw_record"),
    path("skills/<int:skill_id>/theory/", views.theory, name="theory"),
    path("skills/<int:skill_id>/marking/", views_marking.marking, name="marking"),
    path("skills/<int:skill_id>/sheets/", views_marking.sheets, name="sheets"),
    # the offline referee console (issue 11 item 1; competitions.views.console)
    path("skills/<int:skill_id>/console/", views_console.console, name="console"),
    path("skills/<int:skill_id>/console/manifest.webmanifest", views_console.console_manifest,
         name="console_manifest"),
    path("console-sw.js", views_console.console_worker, name="console_worker"),
    path("skills/<int:skill_id>/groups/", views_groups.groups, name="groups"),
    path("skills/<int:skill_id>/corrections/", views_review.corrections, name="corrections"),
    path("corrections/<int:correction_id>/decide/", views_review.correction_decide, name="correction_decide"),
    path("sheets/<int:sheet_id>/correction/", views_review.sheet_correction, name="sheet_correction"),
    path("marks/<int:mark_id>/correction/", views_review.mark_correction, name="mark_correction"),
    path("skills/<int:skill_id>/objections/", views_review.skill_objections, name="skill_objections"),
    path("objections/<int:objection_id>/answer/", views_review.objection_answer, name="objection_answer"),
    path("events/<int:event_id>/titles/", views_review.event_titles, name="event_titles"),
    path("titles/<int:title_id>/approve/", views_review.title_approve, name="title_approve"),
    path("events/<int:event_id>/objections/", views_review.event_objections, name="event_objections"),
    path("events/<int:event_id>/nominations/", views_review.event_nominations, name="event_nominations"),
    path("entries/<int:entry_id>/objections/", views_review.objection_file, name="objection_file"),
    path("skills/<int:skill_id>/excel/", excel.excel, name="excel"),
    path("skills/<int:skill_id>/excel/roster/import/", excel.roster_import, name="excel_roster_import"),
    path("skills/<int:skill_id>/excel/roster.xlsx", excel.roster_export, name="excel_roster_export"),
    path("skills/<int:skill_id>/excel/scheme/import/", excel.scheme_import, name="excel_scheme_import"),
    path("skills/<int:skill_id>/excel/scheme.xlsx", excel.scheme_export, name="excel_scheme_export"),
    path("skills/<int:skill_id>/excel/results.xlsx", excel.results_export, name="excel_results_export"),
    path("excel/templates/<str:kind>.xlsx", excel.template, name="excel_template"),
    # The organizer's setup pages (competitions.views.setup).
    path("events/new/", views_setup.event_new, name="event_new"),
    path("events/<int:event_id>/edit/", views_setup.event_edit, name="event_edit"),
    path("events/<int:event_id>/skills/new/", views_setup.skill_new, name="skill_new"),
    path("skills/<int:skill_id>/edit/", views_setup.skill_edit, name="skill_edit"),
    path("events/<int:event_id>/venues/", views_setup.venues, name="venues"),
    path("events/<int:event_id>/venues/add/", views_setup.venue_add, name="venue_add"),
    path("events/<int:event_id>/venues/import/", views_setup.venues_import, name="venues_import"),
    path("venues/<int:venue_id>/workstations/add/", views_setup.workstations_add, name="workstations_add"),
    path("venues/<int:venue_id>/workstations/remove/", views_setup.workstations_remove, name="workstations_remove"),
    path("skills/<int:skill_id>/scheme/", views_setup.scheme, name="scheme"),
    # registrations (issue 10 items 1 and 2)
    path("events/<int:event_id>/registrations/", views_registrations.event_registrations,
         name="event_registrations"),
    path("events/<int:event_id>/registrations/decide/", views_registrations.registrations_decide,
         name="registrations_decide"),
    path("entries/<int:entry_id>/decide/", views_registrations.entry_decide, name="entry_decide"),
    path("entries/<int:entry_id>/withdraw/", views_registrations.entry_withdraw, name="entry_withdraw"),
    path("unit/", views_registrations.unit_registrations, name="unit_registrations"),
    path("skills/<int:skill_id>/register/", views_registrations.register, name="register"),
    # referees (issue 10 item 1)
    path("skills/<int:skill_id>/referees/", views_referees.referees, name="referees"),
    path("skills/<int:skill_id>/referees/appoint/", views_referees.referee_appoint, name="referee_appoint"),
    path("skills/<int:skill_id>/referees/relationships/", views_referees.relationship_record,
         name="relationship_record"),
]

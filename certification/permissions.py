"""The certification app's section of the one policy table (accounts.permissions): its actions and their rules.

Registered when imported; `CertificationConfig.ready` imports it. Choices (issue 12 items 1–3):
- The catalogue is the national classification, reference data for everyone: anyone signed in reads it
  (`own=True` with no object is the engine's "anyone signed in"). Only the platform admin edits and imports it
  (and scripts, the demo's catalogue): the engine has no way to tell the provincial organizer's staff from a
  city's (both hold `organizer_staff` in an organizer unit), so opening it to organizer staff would open it to
  every city.
- A person's levels: the person (own), the staff of a unit the person belongs to, organizer staff (who review
  promotions and registrations from every unit) and the admin read them.
- Recording a level by hand (a certificate issued before the platform), or withdrawing one: the platform admin
  and organizer staff (the promotions they publish are recorded through the same right, `PROMOTION_RECORD`, which
  scripts may take for the demo's published results).
- Checking eligibility (the explanation page and API): the admin, organizer staff, exam-center staff and the staff
  of enterprises and colleges (who register their people), each then needing `LEVEL_VIEW` on the person.

Question banks and blueprints (issue 12 items 5–6). Real practice: a bank (题库) belongs to an occupation and
level for the whole province (or the nation); it is maintained by the provincial evaluation guidance center
(职业技能鉴定指导中心), and exam centers draw papers from it without seeing the questions or answers outside an
exam. The platform has no role of its own for the guidance center, and organizer staff cannot be told apart from
a city's (see the catalogue above), so the platform admin acts for it:
- `BANK_VIEW`: the bank list with its counts by area × type × difficulty and the blueprints (no question text, no
  answers): the admin, exam-center staff (who plan batches against them) and organizer staff;
- `BANK_MANAGE`: the questions themselves (text, answers, explanations, their versions), edit, retire, import and
  export, define blueprints and test-assemble papers: the platform admin and scripts only.

Appointments (评聘 of 特级技师 and 首席技师, issue 12 item 10). Real practice: the enterprise appoints, by its own
document; the 人社 department oversees. So:
- `APPOINTMENT_MANAGE`: recording, renewing and ending an enterprise's appointments: the enterprise's own HR
  (企业人力资源) for its unit only, and scripts (the demo). Not the platform admin nor organizer staff: they do not
  appoint on an enterprise's behalf (a wrong record is ended by the enterprise, with its reason).
- `APPOINTMENT_VIEW`: an appointment with its document: the appointee (own), the appointing enterprise's HR, organizer
  staff (who oversee 评聘 across the province) and the admin. An appointment belongs to its enterprise alone, so
  another unit's staff get 404 even when the person works for both; they still see the title among the person's
  levels (a level is the person's, like a certificate), without the enterprise's document.
Certificates (issue 13; certification.services.certificates). Real practice: the evaluation body that assessed
the candidate issues the certificate (职业技能等级证书) under its filing (备案) codes; a competition promotion's
certificate is issued by the organizer that published the results (the province's competition office issues it
under its own filing); an appointment letter (聘书) by the appointing enterprise. So:
- `CERTIFICATE_ISSUE`: issuing to a batch's passed candidates, and revoking or re-issuing those certificates: the
  body's exam-center staff for their own unit (asked on the batch or the certificate), scripts. Not the platform
  admin nor organizer staff: they oversee, they do not issue on a body's behalf (a wrong certificate is revoked by
  the body, with its reason).
- `CERTIFICATE_ISSUE_PROMOTION`: a recorded 竞赛晋级's certificate, its revocation and re-issue: organizer staff
  of the issuing organizer unit (asked on that unit or the certificate), scripts.
- `CERTIFICATE_ISSUE_APPOINTMENT`: a 特级技师/首席技师 letter, its revocation and re-issue: the enterprise's HR
  (asked on the enterprise or the certificate), scripts.
- `CERTIFICATE_VIEW`: a certificate with its history: the holder (own), the issuing body's staff (an exam center's,
  an organizer's, an enterprise's HR), organizer staff (who oversee every body) and the admin. A certificate
  belongs to its issuing body alone: another body's staff get 404 (the public verification page, certcrypto's,
  shows anyone the masked facts and the status).
- `FILING_MANAGE`: the filing codes are set by the platform admin (the codes come from the 人社 department's
  filing, not from the body itself) and scripts; `FILING_VIEW`: the admin, organizer staff and the body's own
  staff (exam-center staff, HR) read them.
"""

from __future__ import annotations

from accounts.models import Role
from accounts.permissions import UNIT_STAFF, PolicyAction, Rule, Scope, register_policy


class Action(PolicyAction):
    CATALOGUE_VIEW = "certification.catalogue.view"
    CATALOGUE_MANAGE = "certification.catalogue.manage"
    LEVEL_VIEW = "certification.level.view"
    LEVEL_RECORD = "certification.level.record"
    PROMOTION_RECORD = "certification.promotion.record"
    ELIGIBILITY_CHECK = "certification.eligibility.check"
    BANK_VIEW = "certification.bank.view"
    BANK_MANAGE = "certification.bank.manage"
    BATCH_VIEW = "certification.batch.view"
    BATCH_MANAGE = "certification.batch.manage"
    REGISTRATION_SUBMIT = "certification.registration.submit"
    REGISTRATION_VIEW = "certification.registration.view"
    REGISTRATION_REVIEW = "certification.registration.review"
    TICKET_VERIFY = "certification.ticket.verify"
    RELATIONSHIP_DECLARE = "certification.relationship.declare"
    APPOINTMENT_VIEW = "certification.appointment.view"
    APPOINTMENT_MANAGE = "certification.appointment.manage"
    PRACTICAL_SCORE = "certification.practical.score"
    PRACTICAL_CONFIRM = "certification.practical.confirm"
    RESULTS_MANAGE = "certification.results.manage"
    OBJECTION_FILE = "certification.objection.file"
    EXAM_SIT = "certification.exam.sit"
    EXAM_INVIGILATE = "certification.exam.invigilate"
    EXAM_REGRADE = "certification.exam.regrade"
    CERTIFICATE_VIEW = "certification.certificate.view"
    CERTIFICATE_ISSUE = "certification.certificate.issue"
    CERTIFICATE_ISSUE_PROMOTION = "certification.certificate.issue_promotion"
    CERTIFICATE_ISSUE_APPOINTMENT = "certification.certificate.issue_appointment"
    FILING_VIEW = "certification.filing.view"
    FILING_MANAGE = "certification.filing.manage"


A, U = Scope.ANY, Scope.OWN_UNIT
R = Role

RULES: dict[Action, Rule] = {
    Action.CATALOGUE_VIEW: Rule({R.PLATFORM_ADMIN: A}, own=True, system=True),
    Action.CATALOGUE_MANAGE: Rule({R.PLATFORM_ADMIN: A}, system=True),
    Action.LEVEL_VIEW: Rule({R.PLATFORM_ADMIN: A, **UNIT_STAFF, R.ORGANIZER_STAFF: A}, own=True, system=True),
    Action.LEVEL_RECORD: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A}, system=True),
    # Publication (organizer staff, scripts) records promotions; an approved correction of published results (a
    # chief referee, or the organizer's supervisor) moves them.
    Action.PROMOTION_RECORD: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.CHIEF_REFEREE: A, R.SUPERVISOR: A},
                                  system=True),
    Action.ELIGIBILITY_CHECK: Rule({R.PLATFORM_ADMIN: A, **UNIT_STAFF, R.ORGANIZER_STAFF: A}, system=True),
}
RULES[Action.BANK_VIEW] = Rule({R.PLATFORM_ADMIN: A, R.EXAM_CENTER_STAFF: A, R.ORGANIZER_STAFF: A}, system=True)
RULES[Action.BANK_MANAGE] = Rule({R.PLATFORM_ADMIN: A}, system=True)
# Exam batches (issue 12 item 4; certification.domain.batches, certification.services.batches):
RULES.update({
    # The body's plan in full (parts, rooms, staff, every registration): the body's own staff (an exam center's,
    # or an enterprise's that evaluates its own people: both hold exam_center_staff in their unit), organizer
    # staff (who oversee every evaluation body) and the admin. A batch open for registration is announced to
    # everyone signed in by `selectors.batches_open`, which shows only what a notice shows.
    Action.BATCH_VIEW: Rule({R.PLATFORM_ADMIN: A, R.EXAM_CENTER_STAFF: U, R.ORGANIZER_STAFF: A}, system=True),
    Action.BATCH_MANAGE: Rule({R.PLATFORM_ADMIN: A, R.EXAM_CENTER_STAFF: U}, system=True),
    # Registering: the candidate themselves (own, asked on the candidate), the staff of a unit for its people
    # (asked on the unit), the admin, scripts (the demo).
    Action.REGISTRATION_SUBMIT: Rule({R.PLATFORM_ADMIN: A, **UNIT_STAFF}, own=True, system=True),
    # A registration: the candidate, the staff of the unit that registered them, the body's staff
    # (Registration.permission_unit_ids), organizer staff and the admin.
    Action.REGISTRATION_VIEW: Rule({R.PLATFORM_ADMIN: A, **UNIT_STAFF, R.ORGANIZER_STAFF: A}, own=True,
                                   system=True),
    # Review (approve, reject with a reason) and seats: the body's staff, asked on the batch.
    Action.REGISTRATION_REVIEW: Rule({R.PLATFORM_ADMIN: A, R.EXAM_CENTER_STAFF: U}, system=True),
    # The door check of a ticket's QR: whoever works the body's exams (asked on the batch).
    Action.TICKET_VERIFY: Rule({R.PLATFORM_ADMIN: A, R.EXAM_CENTER_STAFF: U, R.CHIEF_ASSESSOR: U, R.ASSESSOR: U}),
    # A relationship to a candidate (回避申报): the assessor themselves (own, asked on the declarer), or the staff of
    # a unit the declarer belongs to recording it for them.
    Action.RELATIONSHIP_DECLARE: Rule({R.PLATFORM_ADMIN: A, R.EXAM_CENTER_STAFF: U}, own=True, system=True),
})
RULES[Action.APPOINTMENT_VIEW] = Rule({R.PLATFORM_ADMIN: A, R.ENTERPRISE_HR: U, R.ORGANIZER_STAFF: A}, own=True,
                                      system=True)
RULES[Action.APPOINTMENT_MANAGE] = Rule({R.ENTERPRISE_HR: U}, system=True)
# Practical assessment and results (issue 12 items 8–9; certification.services.practical, .results):
RULES.update({
    # Scoring: whoever holds an assessor role (考评员, 主考) somewhere, asked without an object; the access function
    # then finds their duty in the candidate's room (no duty: 404), so an assessor of another unit serving at the
    # body scores there, and nowhere else.
    Action.PRACTICAL_SCORE: Rule({R.ASSESSOR: A, R.CHIEF_ASSESSOR: A}),
    # The chief assessor's confirmations and re-score requests: Role.CHIEF_ASSESSOR, on duty in the batch (access).
    Action.PRACTICAL_CONFIRM: Rule({R.CHIEF_ASSESSOR: A}),
    # Sheets, absences, the theory score for now, the review period, publication and answers to objections: the
    # body's staff (asked on the batch), the admin, scripts (the demo).
    Action.RESULTS_MANAGE: Rule({R.PLATFORM_ADMIN: A, R.EXAM_CENTER_STAFF: U}, system=True),
    # An objection: the candidate themselves (own, asked on the registration), real-name by their account.
    Action.OBJECTION_FILE: Rule({}, own=True),
})
# The online theory exam (issue 12 item 7; certification.services.exam): the candidate sits their own
# registration's paper (own, asked on the registration); the body's staff and the assessors of the body who are
# assigned as the room's invigilators (the composed rule in access.access_room_for_invigilation) watch the room,
# release a session and grant extra time; a regrade after a question is corrected belongs to whoever keeps the
# provincial bank (it spans every body's sittings of that version).
RULES[Action.EXAM_SIT] = Rule({}, own=True)
RULES[Action.EXAM_INVIGILATE] = Rule({R.PLATFORM_ADMIN: A, R.EXAM_CENTER_STAFF: U, R.CHIEF_ASSESSOR: U,
                                      R.ASSESSOR: U}, system=True)
RULES[Action.EXAM_REGRADE] = Rule({R.PLATFORM_ADMIN: A}, system=True)
# Certificates (issue 13; module docstring):
RULES.update({
    Action.CERTIFICATE_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.EXAM_CENTER_STAFF: U,
                                   R.ENTERPRISE_HR: U}, own=True, system=True),
    Action.CERTIFICATE_ISSUE: Rule({R.EXAM_CENTER_STAFF: U}, system=True),
    Action.CERTIFICATE_ISSUE_PROMOTION: Rule({R.ORGANIZER_STAFF: U}, system=True),
    Action.CERTIFICATE_ISSUE_APPOINTMENT: Rule({R.ENTERPRISE_HR: U}, system=True),
    Action.FILING_VIEW: Rule({R.PLATFORM_ADMIN: A, R.ORGANIZER_STAFF: A, R.EXAM_CENTER_STAFF: U,
                              R.ENTERPRISE_HR: U}, system=True),
    Action.FILING_MANAGE: Rule({R.PLATFORM_ADMIN: A}, system=True),
})
register_policy(Action, RULES)


# Certificate verification (issue 13 item 5; certification.selectors.verification). Verifying one certificate is
# public (no action: anyone holding a certificate or its number may check it). The bulk API is for those who check
# many at once: employers (enterprise HR), the talent pool's keepers (organizer staff, who run intake), the admin,
# and scripts (the talent pool's intake runs as the system actor). Any unit: a certificate's status is not a
# unit's secret.
class VerifyAction(PolicyAction):
    CERTIFICATE_VERIFY_BULK = "certification.certificate.verify_bulk"


register_policy(VerifyAction, {
    VerifyAction.CERTIFICATE_VERIFY_BULK: Rule({Role.PLATFORM_ADMIN: Scope.ANY, Role.ENTERPRISE_HR: Scope.ANY,
                                                Role.ORGANIZER_STAFF: Scope.ANY}, system=True),
})

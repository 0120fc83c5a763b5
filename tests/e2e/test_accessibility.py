"""Accessibility (issue 10 item 11): axe-core reports no serious or critical violation on the main pages, each as
its user sees it on the demo, on a desktop and on a 390-pixel phone. A page added to the product's main path is
added to `PAGES`.

The walk runs on the real ASGI server (tests/e2e/conftest.py `asgi_server`), so the board pages' websockets are
answered as in production, and each person walks in their own browser context, as on their own device: with one
context and its cookies cleared between people, a request the previous page still had in flight (the console's
service worker keeping its files, a board's websocket) reached the server without a cookie, was given a new CSRF
cookie, and the next person's sign-in failed ("CSRF token from POST incorrect")."""

from __future__ import annotations

import pytest

from competitions import demo
from competitions.models import Skill
from tests.certification.crypto_steps import use_key_store
from tests.e2e.axe import violations
from tests.e2e.steps import outside_the_browser_loop, sign_in

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _demo_ids() -> dict[str, int]:
    published, marking, review, divergent = (Skill.objects.get(event__name=demo.EVENT_NAME, name=n) for n in (
        "焊工", "电工", demo.REVIEW_SKILL, demo.DIVERGENT_SKILL))
    from certification import demo_batches
    from certification.models import Batch, Occupation, Registration

    batch = Batch.objects.get(name=demo_batches.BATCH_NAME)
    ticket = Registration.objects.get(batch=batch, candidate__username="candidate").ticket_token
    return {"marking": marking.pk, "published": published.pk, "event": published.event_id, "review": review.pk,
            "divergent": divergent.pk, "welder": Occupation.objects.get(code="6-18-02-04").pk, "batch": batch.pk,
            "ticket": ticket, **_certificate_ids(), **_talent_pool_ids()}


def _talent_pool_ids() -> dict[str, object]:
    """The demo's talent pool (talentpool.demo_pool, demo_checklists): the enterprise's demand checklist and its
    first post, the college's supply checklist, and the contestant's pool entry."""
    from talentpool.models import DemandChecklist, SupplyChecklist, Talent

    demand = DemandChecklist.objects.get(enterprise__name="鲁中重型机械股份有限公司")
    return {"demand": demand.pk, "post": demand.posts.order_by("pk").first().pk,  # type: ignore[union-attr]
            "supply": SupplyChecklist.objects.get(college__name="山东工业技师学院").pk,
            "talent": Talent.objects.get(person__username="contestant").pk}


def _certificate_ids() -> dict[str, object]:
    """The demo's certificates (certification.demo_certificates): the finished batch, the candidate's valid
    certificate, its body, and the path of its verification URL (the QR code's)."""
    from urllib.parse import urlsplit

    from certification import demo_published
    from certification.models import Batch, Certificate
    from certification.selectors.certificates import certificate_verification_url

    finished = Batch.objects.get(name=demo_published.BATCH_NAME)
    mine = Certificate.objects.get(holder__username="candidate", status="valid")
    return {"finished": finished.pk, "certificate": mine.pk, "body": mine.body_id,
            "verify": urlsplit(certificate_verification_url(mine)).path}


# (who signs in, or None for a visitor; the path, filled with the demo's ids)
PAGES: list[tuple[str | None, str]] = [
    (None, "/"),  # the public front door
    (None, "/competitions/events/{event}/results/"),
    (None, "/accounts/login/"),
    (None, "/competitions/events/{event}/board/"),  # the live board, every skill
    (None, "/competitions/events/{event}/board/?skill={marking}&screen=1"),  # the venue's big screen
    (None, "{verify}"),  # a demo certificate's QR code opened on a phone
    (None, "/certification/credentials/verify/"),  # the credential upload form
    ("organizer", "/"),
    ("organizer", "/competitions/"),
    ("organizer", "/competitions/events/{event}/manage/"),
    ("organizer", "/competitions/events/new/"),
    ("organizer", "/competitions/events/{event}/registrations/"),
    ("organizer", "/competitions/events/{event}/venues/"),
    ("organizer", "/competitions/skills/{marking}/referees/"),
    ("organizer", "/audit/?q=电工"),  # search results by name
    ("organizer", "/audit/?target_type=competitions.skill&target_id={review}"),  # a history in labelled fields
    ("referee", "/competitions/skills/{marking}/marking/"),
    ("referee", "/competitions/skills/{marking}/console/"),  # the offline console
    ("chief", "/competitions/skills/{marking}/sheets/"),
    ("chief", "/competitions/events/{event}/results/"),  # before decryption: the practical standings
    ("organizer", "/competitions/events/{event}/results/"),  # before decryption: the progress of marking
    ("organizer", "/competitions/events/{event}/board/jury/"),
    ("chief", "/competitions/skills/{marking}/groups/"),
    ("chief", "/competitions/skills/{published}/corrections/"),
    ("chief", "/competitions/skills/{review}/objections/"),  # one open objection, one answered
    ("chief", "/competitions/skills/{divergent}/sheets/"),  # a divergent panel waiting for its reason
    ("contestant", "/competitions/events/{event}/results/"),
    ("contestant", "/competitions/mine/"),
    ("contestant", "/competitions/events/{event}/results/notice/"),
    ("enterprise", "/competitions/unit/"),
    ("encryptor", "/competitions/draws/"),
    ("admin", "/audit/"),
    ("admin", "/accounts/people/"),
    ("admin", "/certification/banks/{welder}/4/"),  # the demo's bank: counts by area × type × difficulty
    ("admin", "/certification/banks/{welder}/4/questions/"),
    ("admin", "/certification/banks/{welder}/4/blueprint/"),  # the table editor
    ("admin", "/certification/banks/{welder}/4/files/"),
    ("admin", "/certification/bodies/"),  # the bodies with their filing codes
    ("admin", "/certification/bodies/{body}/filing/"),  # the filing form
    ("examcenter", "/certification/batches/"),  # the demo's batch (certification.demo_batches) and the new form
    ("examcenter", "/certification/batches/{batch}/"),  # its plan, 30 seated registrations
    ("examcenter", "/certification/batches/{finished}/certificates/"),  # the demo's issued certificates, one revoked
    ("examcenter", "/certification/certificates/{certificate}/"),  # one certificate with its history
    ("examcenter", "/certification/bodies/{body}/certificates/"),  # the body's certificates with filters
    ("enterprise", "/certification/batches/{batch}/register/"),  # a unit's registration: Excel and one by one
    ("candidate", "/certification/registrations/mine/"),  # with the ticket to download
    ("candidate", "/certification/certificates/mine/"),  # 我的证书: verification link, PDF, credential
    ("invigilator", "/certification/tickets/{ticket}/"),  # the door check the ticket's QR opens
    ("organizer", "/talentpool/dashboard/"),  # the supply-demand map: charts, and tables of the same numbers
    ("enterprise", "/talentpool/pool/"),  # the pool search with its filters, contact masked
    ("enterprise", "/talentpool/talents/{talent}/"),  # a profile as an enterprise sees it
    ("enterprise", "/talentpool/shortlist/"),
    ("enterprise", "/talentpool/contact-requests/"),
    ("enterprise", "/talentpool/checklists/demand/"),
    ("enterprise", "/talentpool/checklists/demand/{demand}/"),
    ("enterprise", "/talentpool/checklists/demand/{demand}/edit/"),  # the form with rows added in the page
    ("enterprise", "/talentpool/checklists/demand/excel/"),
    ("enterprise", "/talentpool/posts/{post}/matches/"),  # ranked talents, each factor with value and weight
    ("enterprise", "/talentpool/demand-checklists/{demand}/offers/"),  # needs ↔ colleges' courses and research
    ("college", "/talentpool/checklists/supply/{supply}/"),
    ("college", "/talentpool/checklists/supply/{supply}/edit/"),
    ("contestant", "/talentpool/me/"),  # 我的人才档案: what enterprises see, open to offers
    ("contestant", "/talentpool/me/requests/"),
    ("admin", "/talentpool/intake/"),  # the intake policy
    ("admin", "/talentpool/chains/"),
]


@pytest.fixture
def demo_keys(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A certificate key store before the demo is seeded, so it issues its certificates (demo_certificates)."""
    use_key_store(settings, tmp_path / "certificate-keys")


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_main_pages_have_no_serious_accessibility_violation(  # type: ignore[no-untyped-def]
    browser, demo_keys, demo_data, asgi_server: str, viewport: str
) -> None:
    ids = outside_the_browser_loop(_demo_ids)
    found: dict[str, list[str]] = {}
    context = page = None
    signed_in_as: str | None = None
    try:
        for who, path in PAGES:
            if page is None or who != signed_in_as:
                if context is not None:
                    context.close()
                context = browser.new_context(
                    locale="zh-CN", viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone")
                page = context.new_page()
                page.set_default_timeout(60_000)  # many pages in one test, on a shared, loaded machine
                if who is not None:
                    sign_in(page, asgi_server, who)
                signed_in_as = who
            url = asgi_server + path.format(**ids)
            response = page.goto(url)
            assert response is not None and response.status == 200, (who, url)
            problems = violations(page)
            if problems:
                found[f"{who or 'visitor'} {path}"] = problems
    finally:
        if context is not None:
            context.close()
    assert found == {}

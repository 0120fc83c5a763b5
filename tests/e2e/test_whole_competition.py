"""A whole competition in the browser, pages only (issue 10, "Done when"), on a desktop and on a 390×844 phone.

An organizer creates an event with a skill, types its marking scheme, adds a venue with workstations and appoints
two referees and the chief referee; a unit downloads the roster template from its page, fills in three new people
and uploads it; the organizer approves them; the encryption officer runs both draws; two referees mark (one enters
a 0, which shows as 0); the chief referee signs the clean sheets off together and confirms the one divergence with
the panel's scores in view; the officer decrypts; the organizer starts the review period (公示), and once it is
over (the clock moved on in the test) publishes; a logged-out visitor opens `/` and follows the event to its
published results, where the winner's name and total stand first.

What comes from fixtures is only what a deployment has before anyone signs in: the units, the people of the cast,
and the platform administrator's own role. No page creates a person's real-name record (the admin site shows
name, ID number and mobile read-only: accounts.admin), so the cast's records are made through accounts.services,
as `seed_demo` makes them; their roles are granted by the administrator in the admin site's pages (the user's
成员角色 rows), as the first step of the walk. The contestants are not in the fixture: the unit's Excel roster
creates them.

Decisions where DESIGN.md is silent:
- The clock is moved by replacing `django.utils.timezone.now` (Django's, not ours) with one running ten days
  ahead, for the live server in this process: the review period is 5 working days (DESIGN.md "Publication"), and
  waiting for it is what a test cannot do. Sessions expire by `time.time()` (accounts.sessions), so nobody is
  signed out by the jump.
- The scheme needs a divergence two referees can make: a plain-mean judgement aspect with two referees (the mean
  method allows any panel size; the default threshold 0.2 of the maximum flags a spread above 12 of 60), beside
  a full-or-zero aspect the first referee marks alone, where he enters the 0.
- Every interaction with the referee's marking page is in tests.e2e.steps (`mark_on_page`, `marked_value`), the
  one place to adapt when that page is rebuilt.
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts import services as accounts_services
from accounts.actors import SYSTEM
from accounts.models import OrganizationKind, Role
from accounts.synthetic import synthetic_id_number, synthetic_mobile
from competitions.models import Status
from tests.e2e.steps import fill_scheme_row, follow, mark_on_page, marked_value, outside_the_browser_loop, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ORGANIZER_UNIT = "山东省人力资源和社会保障厅"
UNIT = "鲁中重型机械股份有限公司"
REFEREE_UNITS = ("胶东海工装备有限公司", "山东工业技师学院")
SKILL = "焊工"

# username, real name, role, unit
CAST: list[tuple[str, str, Role, str]] = [
    ("organizer", "孙振华", Role.ORGANIZER_STAFF, ORGANIZER_UNIT),
    ("encryptor", "林晓梅", Role.ENCRYPTION_OFFICER, ORGANIZER_UNIT),
    ("chief", "高建国", Role.CHIEF_REFEREE, ORGANIZER_UNIT),
    ("referee1", "郑海波", Role.REFEREE, REFEREE_UNITS[0]),
    ("referee2", "钱文博", Role.REFEREE, REFEREE_UNITS[1]),
    ("enterprise", "杨丽娟", Role.ENTERPRISE_HR, UNIT),
]
PASSWORD = "demo-2026"  # noqa: S105 - the test cast's password, as steps.sign_in types it
CONTESTANTS = ["李明远", "张慧敏", "王建业"]

# module, module name, aspect, description, method, maximum, referees
SCHEME = [
    ("M1", "焊接操作", "A1", "焊缝尺寸合格", "full_or_zero", "40", ""),
    ("M2", "外观评价", "A2", "焊缝外观", "mean", "60", "2"),
]
# What the referees enter, by 工位号: A1 by the first referee alone (H02 gets his 0), A2 by both.
MARKS = {
    "H01": {"A1": ("40", None), "A2": ("55", "53")},
    "H02": {"A1": ("0", None), "A2": ("50", "20")},  # A2 spread 30 > 0.2 × 60: divergent
    "H03": {"A1": ("40", None), "A2": ("40", "42")},
}
WINNER_STATION, WINNER_TOTAL = "H01", "94.00"  # 40 + (55 + 53) / 2


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str
    mobile: str


def _cast() -> None:
    for name, kind, city in [(ORGANIZER_UNIT, OrganizationKind.ORGANIZER, "济南市"),
                             (UNIT, OrganizationKind.ENTERPRISE, "济南市"),
                             (REFEREE_UNITS[0], OrganizationKind.ENTERPRISE, "青岛市"),
                             (REFEREE_UNITS[1], OrganizationKind.COLLEGE, "淄博市")]:
        accounts_services.organization_create(actor=SYSTEM, name=name, kind=kind, city=city)
    rng = random.Random(2026)
    for n, (username, real_name) in enumerate([("admin", "管理员"), *((c[0], c[1]) for c in CAST)]):
        born = date(1970 + n, 3, 1 + n)
        user = accounts_services.person_create(
            actor=SYSTEM, username=username, password=PASSWORD,
            data=accounts_services.PersonData(real_name=real_name, mobile=synthetic_mobile(rng),
                                              id_number=synthetic_id_number(rng, born=born, male=n % 2 == 0)))
        if username == "admin":  # the platform's first administrator; the admin site grants every other role
            accounts_services.person_make_superuser(actor=SYSTEM, user=user)
            accounts_services.membership_grant(actor=SYSTEM, user=user, role=Role.PLATFORM_ADMIN, organization=None)


@pytest.fixture
def cast(transactional_db: None) -> None:
    """The units and the cast, as a deployment has them before anyone signs in (module docstring)."""
    outside_the_browser_loop(_cast)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[timedelta]]:
    """Django's clock, for the live server in this process, running `offset[0]` ahead (module docstring)."""
    offset = [timedelta(0)]
    real_now = timezone.now

    def moved() -> datetime:
        return real_now() + offset[0]

    monkeypatch.setattr(timezone, "now", moved)
    yield offset


def _contestants() -> list[Person]:
    rng = random.Random(31)
    return [Person(name, synthetic_id_number(rng, born=date(1990 + n, 5, 10), male=n != 1), synthetic_mobile(rng))
            for n, name in enumerate(CONTESTANTS)]


class Walk:
    """One run of the whole flow in one browser context; each step signs its person in and out."""

    def __init__(self, page, base: str, artifacts: Path, viewport: str) -> None:  # type: ignore[no-untyped-def]
        self.page, self.base, self.artifacts, self.viewport = page, base, artifacts, viewport
        self.asked: list[str] = []
        page.on("dialog", self._accept)

    def _accept(self, dialog) -> None:  # type: ignore[no-untyped-def]
        self.asked.append(dialog.message)
        dialog.accept()

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.artifacts / f"whole-{name}-{self.viewport}.png"), full_page=True)
        width = VIEWPORTS[self.viewport]["width"]
        assert self.page.evaluate("document.documentElement.scrollWidth") <= width + 1, name

    def sign_in(self, username: str) -> None:
        sign_in(self.page, self.base, username)

    def sign_out(self) -> None:
        self.page.click("form[action$='/logout/'] button")
        self.page.wait_for_url(f"{self.base}/accounts/login/")

    def message(self, code: str) -> str:
        """The text of the one message with this code; fails naming what the page said instead."""
        found = self.page.locator(f".messages li[data-code='{code}']")
        shown = self.page.locator(".messages").all_inner_texts()
        assert found.count() == 1, f"no message {code}: {shown}"
        return str(found.inner_text())

    def submit(self, selector: str) -> None:
        follow(self.page, selector)

    def open_menu(self) -> None:
        toggle = self.page.locator("label.nav-toggle-label")
        if toggle.is_visible():
            toggle.click()

    def waiting(self, code: str) -> None:
        """Follow the home page's waiting item with this code."""
        self.page.goto(f"{self.base}/")
        follow(self.page, self.page.locator(f"[data-code='{code}'] a").first)

    def event_move(self, status: Status) -> None:
        """The event page's one status move, to `status`."""
        form = self.page.locator("form[action*='/events/'][action$='/transition/']")
        assert form.locator("input[name=target]").get_attribute("value") == status
        follow(self.page, form.locator("button[type=submit]"))
        self.message("done")
        assert self.page.get_by_test_id("event-status").get_attribute("data-status") == status


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_whole_competition_in_the_pages(  # type: ignore[no-untyped-def]
    browser, live_server, cast, clock, artifacts: Path, viewport: str
) -> None:
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone",
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)  # a shared, loaded machine
    problems: list[str] = []  # a script error, or a script or style the Content-Security-Policy refused
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    page.on("console", lambda message: message.type == "error" and "Failed to load" not in message.text
            and problems.append(f"{page.url}: {message.text}"))
    walk = Walk(page, live_server.url, artifacts, viewport)
    event_name = f"第三届“技能兴鲁”职业技能大赛（{viewport}）"
    try:
        _admin_grants_the_roles(walk)
        event_id, skill_id = _organizer_sets_up(walk, event_name)
        _unit_registers_by_excel(walk, skill_id, _contestants())
        _organizer_approves(walk, event_name)
        _officer_draws(walk)
        _organizer_opens_marking(walk, event_id)
        _referees_mark(walk, skill_id)
        _chief_signs_off(walk)
        stations = _officer_decrypts(walk)
        _organizer_reviews_and_publishes(walk, event_id, clock)
        _visitor_sees_the_result(walk, event_name, stations[WINNER_STATION])
        assert problems == []
    finally:
        context.close()


def _admin_grants_the_roles(walk: Walk) -> None:
    """The platform admin gives each person of the cast their role in their unit, in the admin site."""
    page = walk.page
    walk.sign_in("admin")
    walk.open_menu()
    page.click("nav.mainnav a[data-nav=admin]")
    page.wait_for_url(f"{walk.base}/admin/")
    for username, _name, role, unit in CAST:
        page.goto(f"{walk.base}/admin/accounts/user/?q={username}")
        follow(page, page.locator("#result_list a", has_text=re.compile(rf"^{username}$")))
        page.click("#memberships-group .add-row a")
        row = page.locator("#memberships-group tr.form-row.dynamic-memberships").last
        row.locator("select[name$='-role']").select_option(role)
        row.locator(".select2-selection").click()
        page.fill(".select2-container--open .select2-search__field", unit[:4])
        page.locator(".select2-results__option", has_text=unit).click()
        follow(page, "input[name=_continue]")
        refused = page.locator(".errornote, .errorlist").all_inner_texts()
        assert page.locator(".messagelist .success").count() == 1, refused
        granted = page.locator("#memberships-group tr.has_original")
        assert granted.count() == 1
        assert granted.locator("select[name$='-role']").input_value() == role
    walk.sign_out()


def _organizer_sets_up(walk: Walk, event_name: str) -> tuple[int, int]:
    page = walk.page
    walk.sign_in("organizer")
    page.goto(f"{walk.base}/competitions/")
    page.click("[data-testid=event-new]")
    starts = timezone.localdate() + timedelta(days=7)
    page.fill("#id_name", event_name)
    page.select_option("#id_level", "provincial_1")
    page.fill("#id_starts_on", starts.isoformat())
    page.fill("#id_ends_on", (starts + timedelta(days=2)).isoformat())
    page.select_option("#id_award_rule", "places")
    page.click("[data-testid=event-form] button[type=submit]")
    page.wait_for_url("**/manage/")
    event_id = int(re.search(r"/events/(\d+)/manage/", page.url).group(1))  # type: ignore[union-attr]
    assert page.get_by_test_id("event-status").get_attribute("data-status") == Status.DRAFT

    page.click("[data-testid=skill-new]")
    page.fill("#id_name", SKILL)
    page.fill("#id_occupation_code", "6-18-02-04")
    page.fill("#id_min_age", "18")
    page.fill("#id_max_age", "60")
    page.click("[data-testid=skill-form] button[type=submit]")
    page.wait_for_url("**/manage/")
    row = page.locator("[data-testid=skill-row]", has_text=SKILL)
    skill_id = int(row.get_attribute("data-skill") or 0)

    row.locator("[data-testid=skill-scheme]").click()
    rows = page.locator("[data-testid=scheme-row]")
    for n, aspect in enumerate(SCHEME):
        fill_scheme_row(rows.nth(n), *aspect)
    assert page.get_by_test_id("scheme-total").inner_text() == "100"
    walk.submit("[data-testid=scheme-save]")
    walk.message("done")
    walk.shot("scheme")

    page.click(".crumbs a")
    page.click("[data-testid=venues]")
    page.fill("[data-testid=venue-add] input[name=name]", "济南赛场")
    walk.submit("[data-testid=venue-add] button[type=submit]")
    page.fill("[data-testid=stations-add] input[name=numbers]", "H01–H03")
    walk.submit("[data-testid=stations-add] button[type=submit]")
    assert page.get_by_test_id("stations").inner_text() == "H01–H03"
    walk.shot("venues")

    page.click(".crumbs a")
    page.locator(f"[data-testid=skill-row][data-skill='{skill_id}'] [data-testid=skill-referees]").click()
    for name, role, priority in [("郑海波", "referee", "10"), ("钱文博", "referee", "20"), ("高建国", "chief", "1")]:
        page.fill("[data-testid=referee-search]", name)
        page.locator("[data-testid=referee-search]").press("Enter")
        candidate = page.locator("[data-testid=candidate]", has_text=name)
        candidate.wait_for()
        candidate.locator("select[name=role]").select_option(role)
        candidate.locator("input[name=priority]").fill(priority)
        follow(page, candidate.locator("[data-testid=appoint]"))
        walk.message("referee.assigned")
        assert page.locator("[data-testid=appointed-referee]", has_text=name).get_attribute("data-role") == role
    walk.shot("referees")

    follow(page, "a[href$='/manage/']")
    walk.event_move(Status.REGISTRATION)
    walk.sign_out()
    return event_id, skill_id


def _unit_registers_by_excel(walk: Walk, skill_id: int, people: list[Person]) -> None:
    page = walk.page
    walk.sign_in("enterprise")
    walk.waiting("competitions.registration_open")
    page.locator(f"[data-testid=open-skill][data-skill='{skill_id}'] [data-testid=register-excel]").click()
    with page.expect_download() as download:
        page.click("a[href$='/excel/templates/roster.xlsx']")
    assert download.value.suggested_filename == "报名表模板.xlsx"
    with open(download.value.path(), "rb") as template:
        book = load_workbook(io.BytesIO(template.read()))
    sheet = book["报名表"]
    headers = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2, sheet.max_row)  # the template's example row
    for person in people:
        values = {"姓名": person.name, "身份证号": person.id_number, "手机号": person.mobile, "推荐单位": UNIT,
                  "组别": "职工组"}
        sheet.append([values.get(str(header), "") for header in headers])
    data = io.BytesIO()
    book.save(data)
    form = "form[action$='/roster/import/']"
    page.set_input_files(f"{form} input[type=file]",
                         files=[{"name": "报名表.xlsx", "mimeType": XLSX, "buffer": data.getvalue()}])
    walk.submit(f"{form} button[type=submit]")
    assert "已导入 3 条报名" in page.locator(".messages").inner_text()
    page.goto(f"{walk.base}/competitions/unit/")
    entries = page.locator(f"[data-testid=unit-entry][data-skill='{skill_id}'][data-status=submitted]")
    assert entries.count() == 3
    walk.shot("unit-entries")
    walk.sign_out()


def _organizer_approves(walk: Walk, event_name: str) -> None:
    page = walk.page
    walk.sign_in("organizer")
    follow(page, page.locator("[data-code='competitions.entries_to_review']", has_text=event_name).locator("a"))
    assert page.locator("[data-testid=registration-row]").count() == 3
    page.check("[data-testid=select-all]")
    walk.submit("[data-testid=bulk-approve]")
    walk.message("entries.approved")
    assert page.locator("[data-testid=registration-row]").count() == 0  # none waiting
    follow(page, "a[href$='/manage/']")
    assert page.locator("[data-testid=skill-row]", has_text=SKILL).locator("td").nth(2).inner_text() == "3"
    walk.event_move(Status.CHECK_IN)
    walk.sign_out()


def _officer_draws(walk: Walk) -> None:
    page = walk.page
    walk.sign_in("encryptor")
    walk.waiting("competitions.checkin_draw_due")
    draws = page.locator(f"[data-testid=skill-draws][data-skill={SKILL}]")
    for stage in ("checkin", "workstation"):
        follow(page, draws.locator(f"[data-testid=run-{stage}]"))
        walk.message("done")
    assert draws.locator("[data-testid=check-ok]").count() == 2
    drawn = draws.locator("[data-testid=draw-rows] tbody tr")
    assert drawn.count() == 3
    stations = {row.locator("td").nth(1).inner_text().strip() for row in drawn.all()}
    assert stations == set(MARKS)
    walk.shot("draws")
    walk.sign_out()


def _organizer_opens_marking(walk: Walk, event_id: int) -> None:
    page = walk.page
    walk.sign_in("organizer")
    page.goto(f"{walk.base}/competitions/events/{event_id}/manage/")
    walk.event_move(Status.COMPETING)
    walk.event_move(Status.MARKING)
    walk.shot("marking-open")
    walk.sign_out()


def _referees_mark(walk: Walk, skill_id: int) -> None:
    page = walk.page
    for n, username in enumerate(("referee1", "referee2")):
        walk.sign_in(username)
        walk.waiting("competitions.aspects_to_mark")
        assert page.url.endswith(f"/skills/{skill_id}/marking/")
        for station, aspects in MARKS.items():
            for code, values in aspects.items():
                value = values[n]
                if value is None:
                    continue
                mark_on_page(page, station, code, value)
                assert marked_value(page, station, code) == Decimal(value)
        walk.shot(f"marking-{username}")
        walk.sign_out()
    # The first referee's 0 shows as 0, not as a blank.
    walk.sign_in("referee1")
    page.goto(f"{walk.base}/competitions/skills/{skill_id}/marking/")
    assert marked_value(page, "H02", "A1") == 0  # not None: the page shows a number
    assert marked_value(page, "H01", "A1") == 40
    walk.sign_out()


def _chief_signs_off(walk: Walk) -> None:
    page = walk.page
    walk.sign_in("chief")
    walk.waiting("competitions.sheets_divergent")
    sheets = page.locator("[data-testid=sheet]")
    assert sheets.count() == 6
    divergent = page.locator("[data-testid=sheet]", has=page.locator("[data-testid=panel-scores]"))
    assert divergent.count() == 1
    assert divergent.locator("td").first.inner_text().strip() == "H02"
    # The panel's scores are in view beside the reason, lowest first and without names.
    code, scores = divergent.locator("[data-testid=panel-scores][data-aspect=A2]").inner_text().split("：")
    assert code.strip() == "A2" and [Decimal(s) for s in scores.split("、")] == [20, 50]
    walk.shot("sign-off")
    walk.submit("[data-testid=sign-off-clean] button[type=submit]")
    assert "5" in walk.message("sheets.signed_off")
    divergent = page.locator("[data-testid=sheet][data-status=open]")
    assert divergent.count() == 1
    reason = divergent.locator("input[name=confirm_A2]")
    reason.scroll_into_view_if_needed()
    # Never blind: while the chief types the reason, the sheet's 工位号 and the panel's scores are on the screen
    # with it (on a phone too, where each sheet reads as a card instead of a table scrolled sideways).
    for shown in (divergent.locator("td").first, divergent.locator("[data-testid=panel-scores][data-aspect=A2]"),
                  reason):
        assert _on_screen(page, shown), shown
    walk.shot("divergence")
    reason.fill("两位裁判复核后确认：外观评分标准理解不同，取平均")
    follow(page, divergent.locator("button[type=submit]"))
    walk.message("done")
    assert page.locator("[data-testid=sheet][data-status=open]").count() == 0
    assert "分歧已确认" in page.locator("[data-testid=sheet]", has_text="H02").last.inner_text()
    walk.sign_out()


def _on_screen(page, locator) -> bool:  # type: ignore[no-untyped-def]
    """The element lies wholly within the window, not scrolled away inside a wide table."""
    box = locator.bounding_box()
    size = page.viewport_size
    return bool(box and size and box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"] + 1
                and box["y"] + box["height"] <= size["height"] + 1)


def _officer_decrypts(walk: Walk) -> dict[str, str]:
    """The officer decrypts; returns the decrypted table as he sees it: 工位号 → name."""
    page = walk.page
    walk.sign_in("encryptor")
    walk.waiting("competitions.decrypt_due")
    draws = page.locator(f"[data-testid=skill-draws][data-skill={SKILL}]")
    follow(page, draws.locator("[data-testid=decrypt]"))
    walk.message("done")
    assert draws.locator("[data-testid=decrypted]").get_attribute("data-decrypted") == "true"
    stations = {}
    for row in draws.locator("[data-testid=decrypted-rows] tbody tr").all():
        cells = row.locator("td")
        stations[cells.nth(0).inner_text().strip()] = cells.nth(2).inner_text().strip()
    assert set(stations) == set(MARKS) and set(stations.values()) == set(CONTESTANTS)
    walk.shot("decrypted")
    walk.sign_out()
    return stations


def _organizer_reviews_and_publishes(walk: Walk, event_id: int, clock: list[timedelta]) -> None:
    page = walk.page
    walk.sign_in("organizer")
    page.goto(f"{walk.base}/competitions/events/{event_id}/manage/")
    walk.event_move(Status.REVIEW)
    # Publication waits for the end of the review period: the page says until when, and a click is refused.
    row = page.locator("[data-testid=skill-row]", has_text=SKILL)
    until = re.search(r"公示期至 (\S+ \S+) 结束", row.locator("[data-testid=skill-missing]").inner_text())
    assert until is not None
    walk.shot("review")
    walk.submit("form[action*='/events/'][action$='/transition/'] button[type=submit]")
    assert until.group(1) in walk.message("event.transition_blocked")
    assert page.get_by_test_id("event-status").get_attribute("data-status") == Status.REVIEW
    # Meanwhile the public reads the results as under review (公示), with the names.
    public = walk.page.context.browser.new_page(locale="zh-CN")  # type: ignore[union-attr]
    try:
        public.goto(f"{walk.base}/competitions/events/{event_id}/results/")
        assert public.locator("[data-testid=skill-results] [data-testid=under-review]").count() == 1
        assert public.locator("[data-testid=skill-results] tbody tr").count() == 3
    finally:
        public.close()
    clock[0] = timedelta(days=10)  # the review period (5 working days) is over
    page.reload()
    assert page.locator("[data-testid=skill-row]", has_text=SKILL).locator("[data-testid=skill-missing]").count() == 0
    walk.event_move(Status.PUBLISHED)
    assert page.locator("[data-testid=skill-row]", has_text=SKILL).get_attribute("data-status") == Status.PUBLISHED
    walk.sign_out()


def _visitor_sees_the_result(walk: Walk, event_name: str, winner: str) -> None:
    page = walk.page
    page.goto(f"{walk.base}/")
    assert page.locator("[data-testid=front-door]").count() == 1
    item = page.locator("[data-testid=public-item]", has_text=event_name)
    assert item.count() == 1
    walk.shot("front-door")
    follow(page, item.locator("a[data-code='competitions.results']"))
    section = page.locator("[data-testid=skill-results]", has_text=SKILL)
    assert section.locator("[data-testid=published-at]").count() == 1
    first = section.locator("tbody tr").first
    assert first.locator("td[data-col=place]").inner_text().strip() == "1"
    assert first.locator("td[data-col=names]").inner_text().strip() == winner
    assert first.locator("td[data-col=total]").inner_text().strip() == WINNER_TOTAL
    assert section.locator("tbody tr").count() == 3
    walk.shot("results")

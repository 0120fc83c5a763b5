"""The encryption officer's page: both draws, the re-run check and decryption (DESIGN.md "Anonymity (二次加密)";
issue 4 item 7), with who may see the seeds and the 检录号 → 工位号 table."""

from __future__ import annotations

from django.test import Client

from accounts.actors import SYSTEM
from accounts.models import Organization, OrganizationKind, Role, User
from audit.models import AuditEntry
from competitions import home, services
from competitions.domain.draws import seed_commitment
from competitions.models import Draw, DrawStage, Entry, EntryStatus, Group, Sheet, Skill, Status
from competitions.selectors import draws as selectors_draws
from tests.accounts.factories import OrganizationFactory, person
from tests.competitions.factories import contestant
from tests.competitions.steps import Scenario, mark_entry


def _url(skill: Skill) -> str:
    return f"/competitions/events/{skill.event_id}/draws/"


def _at_check_in(skill: Skill, organizer: User, units: list[Organization]) -> list[Entry]:
    entries = []
    for unit in units:
        entry = services.entry_submit(actor=SYSTEM, skill=skill, unit=unit,
                                      members=[services.MemberData(contestant(unit), Group.WORKER)])
        entries.append(services.entry_approve(actor=organizer, entry=entry))
    services.event_transition(actor=organizer, event=skill.event, target=Status.CHECK_IN)
    services.venue_create(actor=organizer, event=skill.event, name="赛场一",
                          workstations={skill: [f"{n:02d}" for n in range(1, 6)]})
    return entries


def test_the_encryption_officer_runs_both_draws_on_the_page(
    registration_skill: Skill, organizer: User, encryptor: User, enterprise_a: Organization,
    enterprise_b: Organization, client_of,  # type: ignore[no-untyped-def]
) -> None:
    skill = registration_skill
    entries = _at_check_in(skill, organizer, [enterprise_a, enterprise_b, enterprise_a])
    client = client_of(encryptor)
    page = client.get(_url(skill)).content.decode()
    assert 'data-testid="run-checkin"' in page and 'data-testid="run-workstation"' not in page
    assert "csrfmiddlewaretoken" in page and "data-confirm=" in page

    done = client.post(f"/competitions/skills/{skill.pk}/draws/checkin/", follow=True).content.decode()
    assert 'data-code="done"' in done
    checkin = Draw.objects.get(skill=skill, stage=DrawStage.CHECKIN)
    assert checkin.drawn_by == encryptor and len(checkin.result) == 3
    audit = AuditEntry.objects.get(action="competitions.draw.checkin", target_id=str(checkin.pk))
    assert audit.actor == encryptor and audit.new["seed_sha256"] == seed_commitment(checkin.seed)
    assert checkin.seed in done and 'data-testid="run-workstation"' in done

    done = client.post(f"/competitions/skills/{skill.pk}/draws/workstation/", follow=True).content.decode()
    assert 'data-code="done"' in done
    second = Draw.objects.get(skill=skill, stage=DrawStage.WORKSTATION)
    assert AuditEntry.objects.filter(action="competitions.draw.workstation", target_id=str(second.pk),
                                     actor=encryptor).exists()
    assert second.seed in done and done.count('data-testid="check-ok"') == 2
    for entry in entries:
        entry.refresh_from_db()
        assert entry.workstation_no and f"<td>{entry.checkin_no:03d}</td><td>{entry.workstation_no}</td>" in done
        assert entry.members.get().person.real_name not in done  # 检录号 → person stays hidden
    assert 'data-testid="decrypt-refusal"' in done and "评分开始后" in done  # why not yet, in the user's language
    assert 'data-testid="decrypt"' not in done
    assert client.post(f"/competitions/skills/{skill.pk}/draws/third/").status_code == 404


def test_who_may_open_the_page_and_who_sees_the_seeds(scenario: Scenario, client_of, platform_admin: User,  # type: ignore[no-untyped-def]
                                                      organizer_unit: Organization) -> None:
    s = scenario
    seed = Draw.objects.get(skill=s.skill, stage=DrawStage.CHECKIN).seed
    officer_page = client_of(s.encryptor).get(_url(s.skill))
    assert officer_page.status_code == 200 and seed in officer_page.content.decode()
    assert 'data-testid="draw-rows"' in officer_page.content.decode()

    # Organizer staff and the platform admin manage the event: draw records and checks, no seed, no table.
    for manager in (s.organizer, platform_admin):
        html = client_of(manager).get(_url(s.skill)).content.decode()
        assert 'data-testid="read-only"' in html and seed not in html, manager
        assert seed_commitment(seed)[:8] in html and 'data-testid="check-ok"' in html
        assert 'data-testid="draw-rows"' not in html
        assert "/draws/checkin/" not in html and "/decrypt/" not in html  # no buttons
    assert client_of(s.organizer).post(f"/competitions/skills/{s.skill.pk}/decrypt/").status_code == 403
    assert client_of(platform_admin).post(f"/competitions/skills/{s.skill.pk}/draws/checkin/").status_code == 403

    # The organizer's referees know the event but have no business with the draws; other units do not see it.
    own_referee = person(Role.REFEREE, organizer_unit, username="organizer_referee")
    assert client_of(own_referee).get(_url(s.skill)).status_code == 403
    assert client_of(s.chief).get(_url(s.skill)).status_code == 403
    other_officer = person(Role.ENCRYPTION_OFFICER, OrganizationFactory(name="市人社局（测试）",
                                                                        kind=OrganizationKind.ORGANIZER))
    assert client_of(other_officer).get(_url(s.skill)).status_code == 404
    assert client_of(other_officer).post(f"/competitions/skills/{s.skill.pk}/decrypt/").status_code == 404
    assert client_of(s.referee_a).get(_url(s.skill)).status_code == 404
    assert Client().get(_url(s.skill)).status_code == 302  # to the login page


def test_the_rerun_check_detects_a_tampered_stored_result(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    stations = list(s.skill.workstations.values_list("number", flat=True))
    workstation = Draw.objects.get(skill=s.skill, stage=DrawStage.WORKSTATION)
    assert selectors_draws.verify_draw(workstation, stations).ok
    assert client_of(s.encryptor).get(_url(s.skill)).content.decode().count('data-testid="check-ok"') == 2

    first, second = sorted(workstation.result)[:2]
    tampered = {**workstation.result, first: workstation.result[second], second: workstation.result[first]}
    Draw.objects.filter(pk=workstation.pk).update(result=tampered)
    html = client_of(s.encryptor).get(_url(s.skill)).content.decode()
    assert html.count('data-testid="check-ok"') == 1 and html.count('data-testid="check-bad"') == 1
    assert "复算结果与记录不一致：2 处不同" in html  # the problem, in the user's language

    checkin = Draw.objects.get(skill=s.skill, stage=DrawStage.CHECKIN)
    Draw.objects.filter(pk=checkin.pk).update(seed="another-seed")
    html = client_of(s.organizer).get(_url(s.skill)).content.decode()
    assert 'data-testid="check-ok"' not in html and html.count('data-testid="check-bad"') == 2
    Draw.objects.filter(pk=checkin.pk).update(algorithm="draw-v0")
    checkin.refresh_from_db()
    assert selectors_draws.verify_draw(checkin, stations).problem == "算法 draw-v0 无法复算。"


def test_decryption_is_refused_before_sign_off_and_shows_the_mapping_after(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    s = scenario
    client = client_of(s.encryptor)
    page = client.get(_url(s.skill)).content.decode()
    open_sheets = Sheet.objects.filter(entry__skill=s.skill).count()
    assert 'data-testid="decrypt-refusal"' in page and 'data-testid="decrypt"' not in page
    assert f"还有 {open_sheets} 张评分表未签字确认，不能解密。" in page  # the reason, in the user's language
    refused = client.post(f"/competitions/skills/{s.skill.pk}/decrypt/", follow=True).content.decode()
    assert 'data-code="decrypt.sheets_open"' in refused
    s.skill.refresh_from_db()
    assert s.skill.decrypted_at is None and not AuditEntry.objects.filter(action="competitions.skill.decrypted")

    for entry in s.entries:
        mark_entry(s, entry)
    for sheet in Sheet.objects.filter(entry__skill=s.skill):
        services.sheet_sign_off(chief=s.chief, sheet_id=sheet.pk)
    page = client.get(_url(s.skill)).content.decode()
    assert 'data-testid="decrypt"' in page and 'data-testid="decrypt-refusal"' not in page
    done = client.post(f"/competitions/skills/{s.skill.pk}/decrypt/", follow=True).content.decode()
    s.skill.refresh_from_db()
    assert s.skill.decrypted_by == s.encryptor and 'data-code="done"' in done
    assert AuditEntry.objects.filter(action="competitions.skill.decrypted", actor=s.encryptor).exists()
    assert 'data-testid="decrypted-rows"' in done and 'data-testid="decrypt"' not in done

    # Decrypted: nothing is secret any more, so the organizer sees the seeds and the whole mapping too.
    organizer_page = client_of(s.organizer).get(_url(s.skill)).content.decode()
    for draw in Draw.objects.filter(skill=s.skill):
        assert draw.seed in organizer_page
    for entry in Entry.objects.filter(skill=s.skill, status=EntryStatus.APPROVED).select_related("unit"):
        name = entry.members.get().person.real_name
        row = f"<td>{entry.workstation_no}</td><td>{entry.checkin_no:03d}</td><td>{name}</td><td>{entry.unit.name}</td>"
        assert row in done and row in organizer_page


def test_the_page_is_linked_from_home_menu_and_event_page(
    registration_skill: Skill, organizer: User, encryptor: User, enterprise_a: Organization, client_of,  # type: ignore[no-untyped-def]
) -> None:
    skill = registration_skill
    _at_check_in(skill, organizer, [enterprise_a])
    (item,) = home.encryption_items(encryptor)
    assert item.url == f"{_url(skill)}#skill-{skill.pk}"
    officer_home = client_of(encryptor).get("/").content.decode()
    assert 'data-nav="competitions_draws"' in officer_home and f'href="{_url(skill)}#skill-{skill.pk}"' in officer_home
    assert client_of(encryptor).get("/competitions/draws/").url == _url(skill)  # one event: straight there
    assert 'data-nav="competitions_draws"' not in client_of(organizer).get("/").content.decode()
    manage = client_of(organizer).get(f"/competitions/events/{skill.event_id}/manage/").content.decode()
    assert f'href="{_url(skill)}"' in manage


def test_the_draws_index_lists_the_officers_events(organizer_unit: Organization, encryptor: User,
                                                   client_of) -> None:  # type: ignore[no-untyped-def]
    html = client_of(encryptor).get("/competitions/draws/").content.decode()
    assert 'data-testid="empty"' in html and 'data-testid="draw-event"' not in html


def test_on_a_phone_each_draw_reads_as_a_labelled_card_with_its_check(scenario: Scenario, client_of) -> None:  # type: ignore[no-untyped-def]
    """A table scrolled sideways on a phone put the ✓ of the re-run check out of sight; as a stacked table
    (platform.css: cards under 720px) every cell of a draw is labelled and on its own line (issue 10)."""
    s = scenario
    for viewer in (s.encryptor, s.organizer):
        html = client_of(viewer).get(_url(s.skill)).content.decode()
        table = html.split('data-testid="draw-records"', 1)[1].split("</table>", 1)[0]
        assert table.startswith(' class="stacked"'), viewer
        for stage in DrawStage:
            row = table.split(f'data-stage="{stage.value}"', 1)[1].split("</tr>", 1)[0]
            labels = [part.split('"', 1)[0] for part in row.split('data-label="')[1:]]
            assert labels == ["抽签", "抽签人", "时间", "算法", "随机种子", "复算核验"], (viewer, stage)
            check = row.split('data-testid="check"', 1)[1].split("</td>", 1)[0]
            assert 'data-testid="check-ok"' in check

"""``/board remind`` and ``/board calendar`` through the core, as business managers and others would type them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from bot.messages import Actor, Request, Visibility
from bot.router import handle
from storage.models import Area, AreaDate, AuditEvent, ReminderRule

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)
BM = frozenset({"business_manager:bscb"})


@pytest.fixture
def ask(services):
    services.clock = lambda: NOW

    async def ask(text: str, *, roles: frozenset[str] = BM, user: str = "jo", admin: bool = False,
                  area: str = "buckinghamshire", request_id: str | None = None):
        actor = Actor.holding("slack", "T1", user, user.title(), roles=roles, admin=admin)
        return await handle(Request(text=f"/board {text}", actor=actor, area=area, platform="slack", request_id=request_id),
                            services)

    return ask


async def rules(services, origin: str = "user") -> list[ReminderRule]:
    async with services.store.session() as s:
        return list((await s.execute(select(ReminderRule).where(ReminderRule.origin == origin).order_by(ReminderRule.id))).scalars())


async def test_a_business_manager_adds_a_one_off_reminder(ask, services) -> None:
    reply = await ask("remind BSCB 2026-12-01 09:30 send minutes to partners")
    assert reply.ok, reply.text
    (row,) = await rules(services)
    assert (row.title, row.recurrence["kind"], row.recurrence["date"], row.local_time, row.audience, row.public) == (
        "send minutes to partners", "once", "2026-12-01", "09:30", ["board:bscb"], False)
    assert f"Reminder #{row.id} added for the BSCB" in reply.text and "Next: Tue 01 Dec 2026, 09:30" in reply.text


@pytest.mark.parametrize("text,kind,title,next_", [
    ("remind BSCB first Tuesday of each quarter officers' meeting", "nth_weekday", "officers' meeting", "Tue 05 Jan 2027, 09:00"),
    ("remind BSCB last working day of March year-end returns", "working_day", "year-end returns", "Wed 31 Mar 2027, 09:00"),
    ("remind Buckinghamshire Safeguarding Children Board every Monday 08:15 weekly check", "weekly", "weekly check",
     "Mon 30 Nov 2026, 08:15"),
])
async def test_recurring_reminders_in_words(ask, services, text, kind, title, next_) -> None:
    reply = await ask(text)
    assert reply.ok, reply.text
    (row,) = await rules(services)
    assert row.recurrence["kind"] == kind and row.title == title
    assert f"Next: {next_}" in reply.text


async def test_a_retried_command_adds_once(ask, services) -> None:
    first = await ask("remind BSCB 2026-12-01 send minutes", request_id="evt-1")
    again = await ask("remind BSCB 2026-12-01 send minutes", request_id="evt-1")
    assert first.ok and again.ok and "already added" in again.text
    assert len(await rules(services)) == 1


@pytest.mark.parametrize("text,says", [
    ("remind 2026-12-01 send minutes", "Which board is the reminder for?"),
    ("remind XYZ 2026-12-01 send minutes", "is not one of Buckinghamshire's boards"),
    ("remind BSCB whenever send minutes", "I couldn't tell when"),
    ("remind BSCB 2026-12-01 09:30", "What should the reminder say?"),
    ("remind BSCB 2026-02-30 send minutes", "not a date on the calendar"),
    ("remind BSCB 2025-01-01 send minutes", "has already passed"),
    ("remind cancel twelve", "Give its number"),
    ("remind cancel 999", "There is no reminder #999"),
    ("remind edit 999 time 10:00", "There is no reminder #999"),
])
async def test_bad_input_changes_nothing_and_shows_what_to_type(ask, services, text, says) -> None:
    reply = await ask(text)
    assert not reply.ok and says in reply.text
    assert "remind" in reply.text.lower() or "e.g." in reply.text
    assert await rules(services) == []


async def test_only_the_boards_business_manager_or_an_admin_adds_and_refusals_are_recorded(ask, services) -> None:
    refused = await ask("remind BSAB 2026-12-01 send minutes")
    assert not refused.ok and "Only the BSAB's business manager" in refused.text
    chair = await ask("remind BSCB 2026-12-01 send minutes", roles=frozenset({"chair:bscb"}), user="chair")
    assert not chair.ok
    admin = await ask("remind BSAB 2026-12-01 send minutes", roles=frozenset(), user="admin", admin=True)
    assert admin.ok
    async with services.store.session() as s:
        kinds = [k for (k,) in (await s.execute(select(AuditEvent.kind).where(AuditEvent.subject_type == "reminder")
                                                .order_by(AuditEvent.id))).all()]
    assert kinds == ["refused", "refused", "added"]


async def test_list_edit_and_cancel(ask, services) -> None:
    await ask("remind BSCB first Tuesday of each quarter officers' prep")
    (row,) = await rules(services)
    listed = await ask("remind list")
    assert listed.ok and f"#{row.id} officers' prep (BSCB)" in listed.text
    assert "From the protocol:" in listed.text and "Officers meeting" in listed.text and "3 Officers Meeting" in listed.text
    # another board's business manager does not see it
    other = await ask("remind list", roles=frozenset({"business_manager:hwb"}), user="sam")
    assert "officers' prep" not in other.text and "Officers meeting" in other.text
    moved = await ask(f"remind edit {row.id} last working day of March 14:00")
    assert moved.ok and "the last working day of March at 14:00" in moved.text and "Next: Wed 31 Mar 2027, 14:00" in moved.text
    reworded = await ask(f"remind edit {row.id} text year-end returns")
    lead = await ask(f"remind edit {row.id} lead 14, 1")
    assert reworded.ok and lead.ok and "posted 14 days before, 1 day before" in lead.text
    # someone else cannot cancel it
    assert not (await ask(f"remind cancel {row.id}", roles=frozenset({"business_manager:hwb"}), user="sam")).ok
    cancelled = await ask(f"remind cancel {row.id}")
    assert cancelled.ok and "Cancelled reminder" in cancelled.text
    (row,) = await rules(services)
    assert (row.active, row.title, row.local_time, row.lead_days) == (False, "year-end returns", "14:00", [14, 1])
    assert f"#{row.id} year-end returns" not in (await ask("remind list")).text


async def test_a_protocol_reminder_is_moved_not_cancelled_and_the_move_survives_a_reimport(ask, services) -> None:
    await ask("remind list")
    officers = next(r for r in await rules(services, "protocol") if r.key == "meeting:officers_quarterly")
    assert not (await ask(f"remind cancel {officers.id}")).ok
    assert not (await ask(f"remind edit {officers.id} text something else")).ok
    moved = await ask(f"remind edit {officers.id} second Wednesday of each quarter 14:00")
    assert moved.ok, moved.text
    async with services.store.session() as s:
        area = (await s.execute(select(Area).where(Area.slug == "buckinghamshire"))).scalar_one()
        assert area.settings["calendar"]["overrides"]["meeting:officers_quarterly"]["recurrence"]["n"] == 2
    # a revised protocol is imported: the rule is updated in place and keeps the business manager's date
    from storage.protocol.loader import bundled_protocol_paths, parse_protocol
    from storage.revisions import import_protocol

    path = next(p for p in bundled_protocol_paths() if p.name == "buckinghamshire.yaml")
    revised = parse_protocol(path.read_text().replace("To support effective joint working between the Boards.",
                                                      "To support effective joint working between the four Boards."), "bucks-v4.yaml")
    async with services.store.session() as s, s.begin():
        await import_protocol(s, revised, origin="import")
    listed = await ask("remind list")
    after = next(r for r in await rules(services, "protocol") if r.key == "meeting:officers_quarterly")
    assert after.id == officers.id and "four Boards" in after.body
    assert after.recurrence["n"] == 2 and after.local_time == "14:00"
    assert "the second Wednesday of each quarter" in listed.text


async def test_recording_a_publication_date_starts_the_statutory_deadline(ask, services) -> None:
    cb = frozenset({"business_manager:lscb"})
    reply = await ask("remind published yearly report 2026-11-20", roles=cb, area="central-bedfordshire")
    assert reply.ok, reply.text
    assert "Recorded: the publication of the yearly report on Fri 20 Nov 2026." in reply.text
    # 7 working days after Friday 20 November
    assert "Send the yearly report to the National Child Safeguarding Practice Review Panel" in reply.text
    assert "due Tue 01 Dec 2026 (LSCB; 003_68feb11e5b6c7078.txt, Reporting)" in reply.text
    again = await ask("remind published yearly report 2026-11-20", roles=cb, area="central-bedfordshire")
    assert "Already recorded" in again.text
    unknown = await ask("remind published annual budget 2026-11-20", roles=cb, area="central-bedfordshire")
    assert not unknown.ok and "remind published yearly report 2026-06-30" in unknown.text
    future = await ask("remind published yearly report 2026-12-20", roles=cb, area="central-bedfordshire")
    assert not future.ok and "still to come" in future.text
    signed = await ask("remind signed protocol 2019-06-12", roles=cb, area="central-bedfordshire")
    # reviewed yearly from signing: due a year after it, as the answers say, so overdue; reminded on its day each year
    assert signed.ok and ("Review of the joint protocol: was due Fri 12 Jun 2020 (yearly from 12 June 2019), so it is "
                          "overdue; boardbot reminds again on Sat 12 Jun 2027 (") in signed.text, signed.text
    assert "1 Introduction" in signed.text
    async with services.store.session() as s:
        keys = sorted(k for (k,) in (await s.execute(select(AreaDate.key))).all())
    assert keys == ["protocol_signed", "publication_of_the_yearly_report"]
    nobody = await ask("remind signed protocol 2019-06-12", roles=frozenset(), user="x", area="central-bedfordshire")
    assert not nobody.ok


async def test_calendar_shows_the_next_90_days_with_clauses_in_london_time(ask, services) -> None:
    await ask("remind BSCB 2026-12-01 09:30 send minutes to partners")
    reply = await ask("calendar")
    assert reply.ok
    lines = reply.text.splitlines()
    assert lines[0] == "Buckinghamshire, BSCB: the next 90 days (London time)."
    assert "Tue 01 Dec 2026" in lines
    assert any("09:30 send minutes to partners (BSCB) \u2014 your board's own reminder" in x for x in lines)
    assert any("all day BSAB Annual Report: present to BSCB, HWB and SSBPB" in x and "3 Reporting arrangements table" in x
               for x in lines)
    # the protocol says "quarterly"; the day is boardbot's default, and the line says so
    assert any("10:00 Officers meeting (BSCB, BSAB, HWB, SSBPB) \u2014 when: boardbot's default, not the protocol's; "
               "what: 002_3d7253e4d784d0af.txt, 3 Officers Meeting" in x for x in lines)
    assert all(e["start"] < (NOW + dt.timedelta(days=90)).isoformat() for e in reply.data["events"])
    # someone with no role on the BSCB sees the public calendar of the area, not its private reminders
    member = await ask("calendar", roles=frozenset(), user="member")
    assert "send minutes" not in member.text and "Officers meeting" in member.text
    hwb = await ask("calendar HWB")
    assert "HWB" in hwb.title and "BSAB Annual Report" in hwb.text
    assert not (await ask("calendar nonsense board")).ok


async def test_calendar_link_is_private_and_revocable(ask, services) -> None:
    link = await ask("calendar link")
    assert link.visibility is Visibility.PERSONAL and link.data["path"].startswith("/calendar/personal/")
    assert len(link.data["path"].split("/")[-1].removesuffix(".ics")) >= 40
    second = await ask("calendar link")
    assert second.data["path"] != link.data["path"]
    revoked = await ask("calendar revoke")
    assert revoked.visibility is Visibility.PRIVATE and "turned off" in revoked.text
    assert "no calendar link" in (await ask("calendar revoke")).text
    async with services.store.session() as s:
        from storage.models import CalendarFeed

        assert (await s.execute(select(func.count()).select_from(CalendarFeed).where(CalendarFeed.revoked_at.is_(None)))).scalar_one() == 0


async def test_an_area_named_inside_the_reminder_does_not_switch_area(ask, services) -> None:
    reply = await ask("remind BSCB 2026-12-01 send the Suffolk comparison to the chair")
    assert reply.ok, reply.text
    (row,) = await rules(services)
    assert row.title == "send the Suffolk comparison to the chair" and row.audience == ["board:bscb"]
    listed = await ask("remind list in Suffolk", roles=frozenset({"business_manager:lscb"}))
    assert listed.ok and "Suffolk" in listed.title

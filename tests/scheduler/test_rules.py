"""What each area's protocol commits it to, as reminder rules, kept in step with the protocol."""

from __future__ import annotations

import datetime as dt

import pytest
from schedtest import Clock, RecordingSender, link_boards, london, machinery
from sqlalchemy import select

from scheduler.recurrence import describe
from scheduler.rules import calendar_part, derive
from storage import directory
from storage.models import Area, Delivery, ReminderRule
from storage.protocol.loader import bundled_protocol_paths, parse_protocol
from storage.revisions import import_protocol


@pytest.fixture(scope="module")
def derived(protocols):
    return {p.area.slug: {r.key: r for r in derive(p)} for p in protocols}


def test_every_rule_cites_its_clause_and_names_who_it_is_for(derived) -> None:
    for area, rules in derived.items():
        assert rules, area
        for r in rules.values():
            assert r.citation and r.citation["file"].endswith(".txt") and r.citation["clause"], (area, r.key)
            assert r.audience and r.title and ("For: " in r.body or "Who: " in r.body), (area, r.key)


def test_the_meetings_and_their_documented_defaults(derived) -> None:
    bucks = derived["buckinghamshire"]
    assert describe(bucks["meeting:officers_quarterly"].recurrence, "10:00") == \
        "the first Tuesday of each quarter (January, April, July and October) at 10:00"
    assert describe(bucks["meeting:chairs_annual"].recurrence) == "the first Tuesday of October"
    # Prevent: the protocol's May and November
    assert bucks["meeting:prevent_at_ssbpb"].recurrence["months"] == [5, 11]
    assert "boardbot's default" in bucks["meeting:officers_quarterly"].body
    cb = derived["central-bedfordshire"]
    assert "review the Risk Log" in cb["meeting:chairs_annual"].body and "following the publication of Annual Reports" in cb["meeting:chairs_annual"].body
    assert "meeting:chairs_cross_cutting" not in cb  # "on a regular basis": no date to remind of
    suffolk = derived["suffolk"]
    assert suffolk["meeting:chairs_annual_meeting"].audience == ["board:lscb", "board:ctjcg", "board:cpb", "board:hwb"]
    assert "review:protocol" not in suffolk  # the protocol states no review rule


def test_the_reporting_calendar(derived) -> None:
    bucks = derived["buckinghamshire"]
    bscb = bucks["report:bscb:bscb_annual_report:autumn:1"]
    assert bscb.title == "BSCB Annual Report: present to BSAB, HWB and SSBPB; inform ICET, CPP and CSC&L Select Committee"
    assert bscb.recurrence == {"kind": "seasonal", "season": "autumn", "month": 9, "day": 1}
    assert bucks["report:bsab:bsab_annual_report:winter:1"].recurrence["season"] == "winter"
    jhws = bucks["report:hwb:joint_health_and_wellbeing_strategy:autumn:4"]
    assert (jhws.recurrence["every_years"], jhws.recurrence["anchor_year"]) == (4, 2017)
    assert "consult BSCB, BSAB, SSBPB, ICET and CPP" in jhws.title
    unseasoned = derived["lancashire"]["report:lscb:lscb_annual_report:unseasoned:1"]
    assert "gives no season" in unseasoned.body and "autumn" in unseasoned.body


def test_reviews_and_deadlines(derived) -> None:
    lancs = derived["lancashire"]["review:protocol"]
    assert "Review sooner: national guidance affecting either Board is revised or introduced." in lancs.body
    cb = derived["central-bedfordshire"]
    assert cb["review:protocol"].recurrence == {"kind": "review", "rule": "annual_from_signing", "month": 4, "day": 1}
    assert "Review sooner: any changes in legislation." in cb["review:protocol"].body
    deadline = cb["deadline:yearly_report_copy_to_national_panel"]
    assert deadline.recurrence == {"kind": "after_date", "date_key": "publication_of_the_yearly_report", "working_days": 7}
    assert deadline.audience == ["board:lscb"] and "remind published yearly report" in deadline.body
    # the copy to the national bodies is the deadline, not also an autumn report
    assert not any("yearly_report_to_national_bodies" in k or "copy_of_the_safeguarding" in k for k in cb)
    bucks = derived["buckinghamshire"]["review:protocol"]
    assert bucks.recurrence == {"kind": "review", "rule": "on_date", "next_due": "2018-01"}
    assert describe(bucks.recurrence) == ("by 31 January 2018 (the protocol's date), or a year after the last review "
                                          "recorded; yearly while overdue")
    assert "due by 31 January 2018" in bucks.body


@pytest.mark.parametrize("settings", [None, {"calendar": {"lead_days": [7], "default_report_season": "spring",
                                                           "overrides": {"review:protocol": {"lead_days": [30]}}}}])
def test_a_stored_document_gives_the_same_reminders_as_its_protocol(protocols, settings) -> None:
    """The calendar derives a stored area's rules from the sections it reads (scheduler.rules.CalendarPart),
    not from the whole document validated again: every rule must come out the same."""
    import json

    for p in protocols:
        stored = json.dumps(p.model_dump(mode="json"))
        assert derive(calendar_part(stored), settings) == derive(p, settings), p.area.slug
    assert any(not b.party for p in protocols for b in p.boards)  # boards not party to it, left out where they must be


def test_area_settings_change_the_defaults(protocols) -> None:
    bucks = next(p for p in protocols if p.area.slug == "buckinghamshire")
    rules = {r.key: r for r in derive(bucks, {"calendar": {"lead_days": [7], "meeting_time": "14:00",
                                                            "seasons": {"autumn": "10-15"}}})}
    assert rules["meeting:officers_quarterly"].lead_days == [7] and rules["meeting:officers_quarterly"].local_time == "14:00"
    assert rules["report:bscb:bscb_annual_report:autumn:1"].recurrence["month"] == 10


async def test_a_revised_protocol_updates_rules_in_place_and_removes_stale_ones(store) -> None:
    clock = Clock(london(2026, 3, 20, 8, 0))
    sender = RecordingSender(clock)
    calendar, dispatcher = machinery(store, clock, sender)
    await link_boards(store, "buckinghamshire", at=clock.now, boards=["ssbpb"])
    await calendar.tick()
    async with store.session() as s:
        before = {r.key: r for r in (await s.execute(select(ReminderRule).where(ReminderRule.origin == "protocol"))).scalars()}
        # a reminder for the Prevent meeting is queued (e.g. Slack was down) when the revision arrives
        prevent = before["meeting:prevent_at_ssbpb"]
        later = clock.now + dt.timedelta(days=30)
        s.add(Delivery(key=f"rule:{prevent.id}:x:14|slack:C-ssbpb", area_id=prevent.area_id, origin="reminder",
                       platform="slack", workspace="W1", channel_id="C-ssbpb", payload={"text": "x"}, due_at=later,
                       next_attempt_at=later, rule_id=prevent.id, status="pending"))
        await s.commit()
    path = next(p for p in bundled_protocol_paths() if p.name == "buckinghamshire.yaml")
    text = path.read_text()
    start = text.index("- key: prevent_at_ssbpb")
    end = text.index("- key: protocol_review_meeting")
    revised = text[:start] + text[end:]
    revised = revised.replace("    cadence: quarterly\n", "    cadence: six_monthly\n", 1)
    async with store.session() as s, s.begin():
        await import_protocol(s, parse_protocol(revised, "bucks-revised.yaml"), origin="import", imported_by="test")
    clock.advance(minutes=1)
    report = await calendar.tick()
    assert report.synced_areas == 1
    async with store.session() as s:
        after = {r.key: r for r in (await s.execute(select(ReminderRule).where(ReminderRule.origin == "protocol"))).scalars()}
        status = (await s.execute(select(Delivery.status).where(Delivery.channel_id == "C-ssbpb"))).scalar_one()
    assert "meeting:prevent_at_ssbpb" not in after and status == "cancelled"
    officers_key = "meeting:officers_quarterly"
    assert after[officers_key].id == before[officers_key].id
    assert after[officers_key].recurrence["months"] == [4, 10]  # six-monthly default
    assert after[officers_key].recurrence["since"] == clock.now.isoformat()  # a new schedule counts from now
    assert set(after) == set(before) - {"meeting:prevent_at_ssbpb"}


async def test_changing_the_areas_lead_days_reaches_the_rules(store) -> None:
    clock = Clock(london(2026, 3, 20, 8, 0))
    calendar, _ = machinery(store, clock, RecordingSender(clock))
    await calendar.tick()
    async with store.session() as s:
        area = (await s.execute(select(Area).where(Area.slug == "lancashire"))).scalar_one()
        area.settings = {**area.settings, "calendar": {"lead_days": [21, 7, 1]}}
        await s.commit()
    clock.advance(minutes=1)
    await calendar.tick()
    async with store.session() as s:
        aid = await directory.area_id(s, "lancashire")
        review = (await s.execute(select(ReminderRule).where(ReminderRule.area_id == aid, ReminderRule.key == "review:protocol"))).scalar_one()
    assert review.lead_days == [21, 7, 1]
    # new lead days count from the change: no 21-day notices "missed" for dates before it
    assert review.recurrence["since"] == clock.now.isoformat()

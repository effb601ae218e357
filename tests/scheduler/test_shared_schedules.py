"""Rules that share a schedule (the same quarterly meeting in a thousand areas) are worked out
together in a tick, and each still posts its own reminder: its own time, start, lead days,
channel, title and citation."""

from __future__ import annotations

import datetime as dt
import gc

from schedtest import Clock, RecordingSender, add_rule, link_boards, london, machinery
from sqlalchemy import update

from storage.models import ReminderRule

AREA = "buckinghamshire"
START = london(2026, 2, 2, 8, 0)  # Monday 2 Feb 2026
WEDNESDAYS = {"kind": "weekly", "weekdays": [2]}
CITED = {"file": "bscb-protocol.pdf", "clause": "4.1", "document": "BSCB protocol"}


async def run(calendar, dispatcher, clock: Clock, until: dt.datetime) -> None:
    while clock.now < until:
        wake = calendar.next_wakeup()
        nxt = min(clock.now + dt.timedelta(hours=6), until)
        if wake is not None and clock.now < wake < nxt:
            nxt = wake
        clock.set(nxt)
        await calendar.tick()
        await dispatcher.tick()


async def test_rules_with_one_schedule_each_post_their_own_reminder(pg_store) -> None:
    store = pg_store
    clock = Clock(START)
    sender = RecordingSender(clock)
    calendar, dispatcher = machinery(store, clock, sender)
    await link_boards(store, AREA, at=START, boards=["bscb", "bsab"])
    made = {
        "Weekly returns": await add_rule(store, AREA, title="Weekly returns", recurrence=WEDNESDAYS, since=START,
                                         local_time="10:00"),
        "Adults' check": await add_rule(store, AREA, title="Adults' check", recurrence=WEDNESDAYS, since=START,
                                        local_time="10:00", audience=["board:bsab"]),
        "Afternoon check": await add_rule(store, AREA, title="Afternoon check", recurrence=WEDNESDAYS, since=START,
                                          local_time="14:00"),
        "Set on Thursday": await add_rule(store, AREA, title="Set on Thursday", recurrence=WEDNESDAYS,
                                          since=london(2026, 2, 5, 9, 0), local_time="10:00"),
        "Day before": await add_rule(store, AREA, title="Day before", recurrence=WEDNESDAYS, since=START,
                                     local_time="10:00", lead_days=[1]),
        "Cited too": await add_rule(store, AREA, title="Cited too", recurrence=WEDNESDAYS, since=START, local_time="10:00"),
        "Thursdays": await add_rule(store, AREA, title="Thursdays", recurrence={"kind": "weekly", "weekdays": [3]},
                                    since=START, local_time="10:00"),
    }
    async with store.session() as s:
        await s.execute(update(ReminderRule).where(ReminderRule.id.in_([made["Weekly returns"], made["Cited too"]]))
                        .values(citation=CITED))
        await s.commit()
    await run(calendar, dispatcher, clock, london(2026, 2, 12, 0, 0))

    def posts(title: str) -> list[tuple[str, str]]:
        return [(p.local.strftime("%a %d %b %H:%M"), p.channel) for p in sender.posted
                if p.reminder.get("rule_id") == made[title]]

    assert posts("Weekly returns") == [("Wed 04 Feb 10:00", "C-bscb"), ("Wed 11 Feb 10:00", "C-bscb")]
    assert posts("Adults' check") == [("Wed 04 Feb 10:00", "C-bsab"), ("Wed 11 Feb 10:00", "C-bsab")]
    assert posts("Afternoon check") == [("Wed 04 Feb 14:00", "C-bscb"), ("Wed 11 Feb 14:00", "C-bscb")]
    assert posts("Set on Thursday") == [("Wed 11 Feb 10:00", "C-bscb")]  # nothing before it was set
    assert posts("Day before") == [("Tue 03 Feb 10:00", "C-bscb"), ("Tue 10 Feb 10:00", "C-bscb")]
    assert posts("Cited too") == [("Wed 04 Feb 10:00", "C-bscb"), ("Wed 11 Feb 10:00", "C-bscb")]
    assert posts("Thursdays") == [("Thu 05 Feb 10:00", "C-bscb")]
    for p in sender.posted:
        title = next(t for t, rid in made.items() if rid == p.reminder["rule_id"])
        assert p.message.reply.title == f"Reminder: {title}"
        cited = "Required by: bscb-protocol.pdf, 4.1." in p.message.reply.text
        assert cited == (title in ("Weekly returns", "Cited too")), (title, p.message.reply.text)


async def test_the_rules_loaded_at_start_are_kept_out_of_the_collectors_passes(store) -> None:
    """The first tick loads every rule, to keep: the collector is on again after it, and no
    longer walks them at each full pass (which stalled the first posts for 100 ms and more)."""
    clock = Clock(START)
    calendar, _ = machinery(store, clock, RecordingSender(clock))
    await calendar.plan_protocols()
    try:
        await calendar.tick()
        assert calendar.rules and gc.isenabled()
        tracked = {id(o) for o in gc.get_objects()}
        assert not any(id(r) in tracked for r in calendar.rules.values())
    finally:
        gc.unfreeze()


async def test_after_rules_change_the_calendar_posts_them_as_they_are_now_and_the_rest_once(pg_store) -> None:
    """A refresh reads again only the rules that changed: an edited rule posts with its new words,
    a new one posts, a removed one no longer does, and the others carry on as before, once each."""
    store = pg_store
    clock = Clock(START)
    sender = RecordingSender(clock)
    calendar, dispatcher = machinery(store, clock, sender)
    await link_boards(store, AREA, at=START, boards=["bscb"])
    kept = await add_rule(store, AREA, title="Kept as it was", recurrence=WEDNESDAYS, since=START, local_time="10:00")
    edited = await add_rule(store, AREA, title="Before the edit", recurrence=WEDNESDAYS, since=START, local_time="11:00")
    removed = await add_rule(store, AREA, title="Removed", recurrence=WEDNESDAYS, since=START, local_time="12:00")
    await run(calendar, dispatcher, clock, london(2026, 2, 5, 0, 0))  # Wednesday 4 Feb: all three posted
    later = london(2026, 2, 6, 9, 0)
    clock.set(later)
    async with store.session() as s:
        await s.execute(update(ReminderRule).where(ReminderRule.id == edited).values(title="After the edit", updated_at=later))
        await s.execute(update(ReminderRule).where(ReminderRule.id == removed).values(active=False, updated_at=later))
        await s.commit()
    added = await add_rule(store, AREA, title="Added", recurrence=WEDNESDAYS, since=later, local_time="13:00")
    await run(calendar, dispatcher, clock, london(2026, 2, 12, 0, 0))  # Wednesday 11 Feb

    def posts(rule_id: int) -> list[tuple[str, str]]:
        return [(p.local.strftime("%a %d %b %H:%M"), p.message.reply.title) for p in sender.posted
                if p.reminder.get("rule_id") == rule_id]

    assert posts(kept) == [("Wed 04 Feb 10:00", "Reminder: Kept as it was"), ("Wed 11 Feb 10:00", "Reminder: Kept as it was")]
    assert posts(edited) == [("Wed 04 Feb 11:00", "Reminder: Before the edit"), ("Wed 11 Feb 11:00", "Reminder: After the edit")]
    assert posts(removed) == [("Wed 04 Feb 12:00", "Reminder: Removed")]
    assert posts(added) == [("Wed 11 Feb 13:00", "Reminder: Added")]


async def test_a_rule_changed_before_its_next_look_is_looked_at_once_then(store) -> None:
    """A rule edited between two looks keeps the same next look (Wednesday's post): it is looked
    at once when that comes, and posted once, with the new words."""
    clock = Clock(START)
    sender = RecordingSender(clock)
    calendar, dispatcher = machinery(store, clock, sender)
    await link_boards(store, AREA, at=START, boards=["bscb"])
    rid = await add_rule(store, AREA, title="Before the edit", recurrence=WEDNESDAYS, since=START, local_time="10:00")
    await calendar.tick()
    assert calendar.next_wakeup() == london(2026, 2, 4, 10, 0)
    clock.set(london(2026, 2, 3, 12, 0))
    async with store.session() as s:
        await s.execute(update(ReminderRule).where(ReminderRule.id == rid).values(title="After the edit", updated_at=clock.now))
        await s.commit()
    calendar.invalidate()
    assert (await calendar.tick()).considered == 1
    assert calendar.next_wakeup() == london(2026, 2, 4, 10, 0)
    clock.set(london(2026, 2, 4, 10, 0))
    report = await calendar.tick()
    await dispatcher.tick()
    assert (report.considered, report.queued) == (1, 1)
    assert [p.message.reply.title for p in sender.posted] == ["Reminder: After the edit"]


def test_every_kind_read_from_recorded_facts_is_worked_out_per_rule() -> None:
    """Rules sharing a schedule share their occurrences, except where the occurrences come from
    what each area has recorded (a review date, a publication, a meeting): those may differ."""
    import scheduler.recurrence.dates as dates
    from scheduler.recurrence import FACT_KINDS, NO_FACTS, Facts, occurrences

    assert set(dates._FROM_FACTS) - {"at"} == FACT_KINDS  # "at" is one instant, the same for every rule
    spec = {"kind": "review", "rule": "on_date", "next_due": "2026-01"}
    recorded = Facts({"protocol_reviewed": [(dt.date(2026, 3, 1), None)]}, {}, {})
    start, end = london(2026, 1, 1, 0, 0), london(2027, 6, 1, 0, 0)
    assert occurrences(spec, start=start, end=end, at=dt.time(9), facts=NO_FACTS) != occurrences(
        spec, start=start, end=end, at=dt.time(9), facts=recorded)

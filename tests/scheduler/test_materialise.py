"""Due occurrences become outbox rows once: catch-up after downtime, summaries, answers, DST, replicas."""

from __future__ import annotations

import datetime as dt

from schedtest import (
    Clock,
    RecordingSender,
    add_rule,
    link_boards,
    london,
    machinery,
    press,
    say,
    services_for,
)
from sqlalchemy import select, update

from bot.workflows.reminder_posts import ReminderPosts
from scheduler.materialise import Calendar
from storage import directory
from storage.models import AuditEvent, ChannelLink, OccurrenceState, ReminderRule

AREA = "buckinghamshire"
START = london(2026, 2, 2, 8, 0)  # Monday 2 Feb 2026: nothing of the protocol falls due for the BSCB until 24 March


async def setup(store, **kw):
    clock = Clock(START)
    sender = RecordingSender(clock)
    calendar, dispatcher = machinery(store, clock, sender, **kw)
    await link_boards(store, AREA, at=START, boards=["bscb"])
    return clock, sender, calendar, dispatcher


async def run(calendar, dispatcher, clock: Clock, until: dt.datetime, step: dt.timedelta = dt.timedelta(hours=6)) -> None:
    """Tick at least every ``step``, and at each moment the calendar asks to be woken."""
    while clock.now < until:
        wake = calendar.next_wakeup()
        nxt = min(clock.now + step, until)
        if wake is not None and clock.now < wake < nxt:
            nxt = wake
        clock.set(nxt)
        await calendar.tick()
        await dispatcher.tick()


def mine(sender: RecordingSender, rule_id: int) -> list:
    return [p for p in sender.posted if p.reminder.get("rule_id") == rule_id]


async def test_each_post_is_made_once_however_often_and_by_whoever_ticks(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "once", "date": "2026-02-03"}, local_time="09:30", since=START)
    await run(calendar, dispatcher, clock, london(2026, 2, 3, 9, 29), step=dt.timedelta(minutes=7))
    assert mine(sender, rid) == []
    await run(calendar, dispatcher, clock, london(2026, 2, 3, 12, 0), step=dt.timedelta(minutes=5))
    (post,) = mine(sender, rid)
    assert post.local == dt.datetime(2026, 2, 3, 9, 30, tzinfo=post.local.tzinfo) and not post.message.late
    # a second replica (after the first lets the lease go) finds nothing left to do
    await calendar.release()
    other = Calendar(store.sessions, replies=ReminderPosts(), clock=clock, worker_id="replica-2")
    report = await other.tick()
    assert report.held and report.queued == 0
    await dispatcher.tick()
    assert len(mine(sender, rid)) == 1
    # while the first holds the lease, the second stands by
    await calendar.tick()
    assert (await Calendar(store.sessions, replies=ReminderPosts(), clock=clock, worker_id="replica-3").tick()).held is False


async def test_what_fell_due_while_down_is_posted_on_start_marked_late(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "weekly", "weekdays": [2]}, local_time="10:00", since=START)
    await calendar.tick()
    # boardbot is down from Monday to Friday: Wednesday's reminder was missed
    clock.set(london(2026, 2, 6, 15, 0))
    restarted, dispatcher2 = machinery(store, clock, sender)
    await restarted.tick()
    await dispatcher2.tick()
    (post,) = mine(sender, rid)
    assert post.message.late and post.reminder["occurs_at"] == london(2026, 2, 4, 10, 0).isoformat()
    assert post.message.reply.text.startswith("(Late: this was due Wed 04 Feb 2026 10:00.)")
    await run(restarted, dispatcher2, clock, london(2026, 2, 7, 0, 0))
    assert len(mine(sender, rid)) == 1


async def test_very_old_missed_reminders_are_summarised_once_per_channel(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    await link_boards(store, AREA, at=START, boards=["bsab"])
    weekly = await add_rule(store, AREA, title="Weekly check", recurrence={"kind": "weekly", "weekdays": [0]},
                            audience=["board:bscb", "board:bsab"], since=START)
    monthly = await add_rule(store, AREA, title="Monthly returns", recurrence={"kind": "monthly", "day": 5}, since=START)
    await calendar.tick()
    # down for five weeks: Mondays 2, 9, 16, 23 Feb, 2 and 9 March; the 5th of February and of March
    clock.set(london(2026, 3, 10, 12, 0))
    restarted, dispatcher2 = machinery(store, clock, sender)
    await restarted.tick()
    await dispatcher2.tick()
    summaries = [p for p in sender.posted if p.message.reply.data.get("summary")]
    assert sorted(p.channel for p in summaries) == ["C-bsab", "C-bscb"]
    bscb = next(p for p in summaries if p.channel == "C-bscb").message.reply.text
    # more than a week late: Mondays 2, 9, 16, 23 Feb and 2 March; 5 February
    assert bscb.count("\u2022 Weekly check") == 5 and bscb.count("\u2022 Monthly returns") == 1
    assert "Mon 02 Feb 2026" in bscb and "Mon 09 Mar" not in bscb and "(Late" not in bscb
    bsab = next(p for p in summaries if p.channel == "C-bsab").message.reply.text
    assert bsab.count("\u2022") == 5 and "Monthly" not in bsab
    # within the week: posted one by one, late
    recent = [p for p in sender.posted if not p.message.reply.data.get("summary")]
    assert sorted((p.reminder["rule_id"], p.channel) for p in recent) == sorted(
        [(weekly, "C-bscb"), (weekly, "C-bsab"), (monthly, "C-bscb")])
    assert all(p.message.late for p in recent)
    # another restart summarises nothing again
    again, dispatcher3 = machinery(store, clock, sender)
    clock.advance(minutes=5)
    await again.tick()
    await dispatcher3.tick()
    assert len(sender.posted) == 5


async def test_done_stops_the_later_posts_of_that_occurrence_only(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "monthly", "day": 20}, lead_days=[14, 1], since=START)
    services = await services_for(store, clock, calendar)
    await run(calendar, dispatcher, clock, london(2026, 2, 6, 12, 0))
    (first,) = mine(sender, rid)
    assert first.local.date() == dt.date(2026, 2, 6) and "Due: Fri 20 Feb 2026, 09:00 London time \u2014 in 14 days." in first.message.reply.text
    done = next(b for b in first.message.reply.buttons if b.label == "Done")
    answer = await press(services, done)
    assert answer.ok and answer.text.startswith("\u2713 Done: Send the minutes (due Fri 20 Feb 2026, 09:00 London time)")
    assert answer.buttons == ()
    await run(calendar, dispatcher, clock, london(2026, 3, 20, 12, 0))
    dates = [p.local.date() for p in mine(sender, rid)]
    assert dates == [dt.date(2026, 2, 6), dt.date(2026, 3, 6), dt.date(2026, 3, 19)]  # not 19 Feb; March as usual


async def test_snooze_posts_it_again_when_the_snooze_ends(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "once", "date": "2026-02-03"}, since=START)
    services = await services_for(store, clock, calendar)
    await run(calendar, dispatcher, clock, london(2026, 2, 3, 9, 10), step=dt.timedelta(minutes=10))
    (post,) = mine(sender, rid)
    week = next(b for b in post.message.reply.buttons if b.label == "Snooze 1 week")
    answer = await press(services, week)
    assert "will post it again on Tue 10 Feb 2026, 09:10" in answer.text
    # a double click changes nothing more
    await press(services, week)
    await run(calendar, dispatcher, clock, london(2026, 2, 12, 0, 0))
    posts = mine(sender, rid)
    assert len(posts) == 2
    again = posts[1]
    assert "(Posted again after a snooze.)" in again.message.reply.text
    assert again.local.date() == dt.date(2026, 2, 10) and not again.message.late


async def test_a_snooze_over_the_clocks_going_forward_keeps_the_london_time(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "once", "date": "2026-03-28"}, since=START)  # the Saturday before
    services = await services_for(store, clock, calendar)
    clock.set(london(2026, 3, 28, 8, 0))
    await run(calendar, dispatcher, clock, london(2026, 3, 28, 9, 10), step=dt.timedelta(minutes=10))
    (post,) = mine(sender, rid)
    day = next(b for b in post.message.reply.buttons if b.label == "Snooze 1 day")
    answer = await press(services, day)
    assert "will post it again on Sun 29 Mar 2026, 09:10" in answer.text, answer.text  # 09:10 BST, not 10:10
    await run(calendar, dispatcher, clock, london(2026, 3, 30, 0, 0), step=dt.timedelta(minutes=10))
    again = mine(sender, rid)[1]
    assert again.local.strftime("%a %d %b %H:%M %Z") == "Sun 29 Mar 09:10 BST"


async def test_not_this_time_asks_why_and_records_it(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "monthly", "day": 20}, lead_days=[14, 1], since=START)
    services = await services_for(store, clock, calendar)
    await run(calendar, dispatcher, clock, london(2026, 2, 6, 12, 0))
    (first,) = mine(sender, rid)
    skip = next(b for b in first.message.reply.buttons if b.label == "Not this time")
    form_reply = await press(services, skip)
    form = form_reply.form
    assert form is not None and [f.name for f in form.fields] == ["reason"]
    empty = await press(services, type("B", (), {"action": form.action})(), value={**form.context, "reason": "  "})
    assert not empty.ok and empty.data["field_errors"] == {"reason": "Say why, for the record."}
    answer = await press(services, type("B", (), {"action": form.action})(),
                         value={**form.context, "reason": "combined with the chairs' meeting"})
    assert answer.ok and "Reason: combined with the chairs' meeting" in answer.text
    async with store.session() as s:
        st = (await s.execute(select(OccurrenceState))).scalar_one()
        assert (st.state, st.reason, st.by) == ("skipped", "combined with the chairs' meeting", "Bm")
    await run(calendar, dispatcher, clock, london(2026, 2, 28, 0, 0))
    assert len(mine(sender, rid)) == 1


async def test_the_calendar_reads_only_the_answers_of_the_window_it_plans(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "weekly", "weekdays": [1]}, since=START - dt.timedelta(days=400))
    old, soon = london(2025, 6, 3, 9, 0), london(2026, 2, 10, 9, 0)  # a Tuesday long gone; next Tuesday
    async with store.session() as s:
        for occ in (old, soon):
            s.add(OccurrenceState(rule_id=rid, occurs_at=occ, state="done", by="Bm", at=occ - dt.timedelta(days=1)))
        await s.commit()
    await calendar.tick()
    # a year of answers is not read on every change: only those that can still matter
    assert set(calendar._states[rid]) == {soon}
    await run(calendar, dispatcher, clock, london(2026, 2, 18, 0, 0))
    assert [p.local.date().isoformat() for p in mine(sender, rid)] == ["2026-02-03", "2026-02-17"]  # not the 10th: done


async def test_only_the_boards_people_may_answer_a_reminder(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "once", "date": "2026-02-03"}, since=START)
    services = await services_for(store, clock, calendar)
    await run(calendar, dispatcher, clock, london(2026, 2, 3, 9, 10), step=dt.timedelta(minutes=10))
    (post,) = mine(sender, rid)
    done = next(b for b in post.message.reply.buttons if b.label == "Done")
    refused = await press(services, done, roles=frozenset({"chair:hwb"}), user="nosy")
    assert not refused.ok and "Only the chairs, business managers" in refused.text
    chair = await press(services, done, roles=frozenset({"chair:bscb"}), user="chair")
    assert chair.ok
    async with store.session() as s:
        kinds = [k for (k,) in (await s.execute(select(AuditEvent.kind).where(AuditEvent.subject_type == "reminder")
                                                .order_by(AuditEvent.id))).all()]
    assert kinds == ["refused", "done"]


async def test_every_linked_channel_gets_it_and_a_channel_linked_later_gets_nothing_old(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    async with store.session() as s:
        await directory.link_channel(s, area_slug=AREA, platform="teams", workspace="tenant", channel_id="19:bscb@thread",
                                     purpose="board", board_key="bscb")
        await s.execute(update(ChannelLink).values(created_at=START))
        await s.commit()
    rid = await add_rule(store, AREA, recurrence={"kind": "weekly", "weekdays": [1]}, since=START)
    await run(calendar, dispatcher, clock, london(2026, 2, 3, 10, 0))
    assert sorted((p.message.platform, p.channel) for p in mine(sender, rid)) == [("slack", "C-bscb"), ("teams", "19:bscb@thread")]
    # a channel linked on Wednesday does not get Tuesday's post late, but does get next week's
    clock.set(london(2026, 2, 4, 12, 0))
    async with store.session() as s:
        await directory.link_channel(s, area_slug=AREA, platform="slack", workspace="W1", channel_id="C-new",
                                     purpose="board", board_key="bscb")
        await s.execute(update(ChannelLink).where(ChannelLink.channel_id == "C-new").values(created_at=clock.now))
        await s.commit()
    await run(calendar, dispatcher, clock, london(2026, 2, 10, 10, 0))
    assert sorted((p.local.date().isoformat(), p.channel) for p in mine(sender, rid)) == [
        ("2026-02-03", "19:bscb@thread"), ("2026-02-03", "C-bscb"),
        ("2026-02-10", "19:bscb@thread"), ("2026-02-10", "C-bscb"), ("2026-02-10", "C-new")]


async def test_a_changed_schedule_does_not_post_for_dates_that_were_never_set(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "monthly", "day": 27}, since=START)
    await run(calendar, dispatcher, clock, london(2026, 2, 10, 12, 0))
    # moved to the 5th: the 5th of February has passed, but was never a date of this reminder
    async with store.session() as s:
        row = await s.get(ReminderRule, rid)
        row.recurrence = {"kind": "monthly", "day": 5, "since": clock.now.isoformat()}
        row.updated_at = clock.now
        await s.commit()
    calendar.invalidate()
    await run(calendar, dispatcher, clock, london(2026, 3, 6, 0, 0))
    assert [p.local.date().isoformat() for p in mine(sender, rid)] == ["2026-03-05"]


async def test_new_lead_days_count_from_the_change_not_from_the_rules_start(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "weekly", "weekdays": [1]}, since=START)  # Tuesdays 09:00
    services = await services_for(store, clock, calendar)
    await run(calendar, dispatcher, clock, london(2026, 3, 2, 12, 0))
    assert [p.local.date().isoformat() for p in mine(sender, rid)] == ["2026-02-03", "2026-02-10", "2026-02-17", "2026-02-24"]
    reply = await say(services, f"remind edit {rid} lead 14,0")
    assert reply.ok and "posted 14 days before, on the day" in reply.text, reply.text
    await run(calendar, dispatcher, clock, london(2026, 3, 20, 12, 0))
    later = [p for p in sender.posted if p.at > london(2026, 3, 2, 12, 0)]
    # no summary of "missed" 14-day notices for Tuesdays already gone, and nothing late
    assert not any(p.message.reply.data.get("summary") or p.message.late or "(late)" in (p.message.reply.title or "")
                   for p in later)
    assert sorted((p.local.date().isoformat(), p.reminder["lead"]) for p in later) == [
        ("2026-03-03", 0), ("2026-03-03", 14), ("2026-03-10", 0), ("2026-03-10", 14), ("2026-03-17", 0), ("2026-03-17", 14)]


async def test_a_0130_reminder_is_neither_skipped_nor_doubled_when_the_clocks_change(store) -> None:
    clock, sender, calendar, dispatcher = await setup(store)
    rid = await add_rule(store, AREA, recurrence={"kind": "weekly", "weekdays": [6]}, local_time="01:30", since=START)
    for night in (london(2026, 3, 28, 22, 0), london(2026, 10, 24, 22, 0)):
        clock.set(night)
        await run(calendar, dispatcher, clock, night + dt.timedelta(hours=6), step=dt.timedelta(minutes=5))
    posts = [(p.at.isoformat(), p.local.strftime("%a %d %b %H:%M %Z")) for p in mine(sender, rid)
             if p.local.month in (3, 10) and p.local.day in (29, 25)]
    assert posts == [("2026-03-29T01:30:00+00:00", "Sun 29 Mar 02:30 BST"), ("2026-10-25T00:30:00+00:00", "Sun 25 Oct 01:30 BST")]

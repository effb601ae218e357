"""Faults on the way out: a reminder is delayed, never lost or doubled.

Slack failing for a while (500, then 429 with Retry-After) delays reminders, then each is
delivered once, in order (through the real Slack sender, slack_sdk, to the stand-in Slack
Web API from tests/slack, on loopback). The database refusing the calendar's outbox insert
once loses nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp.test_utils import TestServer
from schedtest import (
    Clock,
    RecordingSender,
    add_rule,
    link_boards,
    london,
    machinery,
    slack_standin,
)
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError

from bot.config import from_env
from bot.workflows.reminder_posts import ReminderPosts
from scheduler.dispatch import Dispatcher
from scheduler.materialise import Calendar
from storage import directory
from storage.models import ChannelLink, Delivery

AREA = "buckinghamshire"
CHANNEL = "C0BSCBBIZ"
START = london(2026, 2, 3, 8, 55)


@pytest.fixture
async def fake():
    standin = slack_standin()
    fake = standin.FakeSlack()
    server = TestServer(fake.app, host="127.0.0.1")
    await server.start_server()
    fake.base = str(server.make_url("/"))
    try:
        yield fake
    finally:
        await server.close()


async def test_reminders_survive_slack_failing_and_arrive_once_in_order(store, sqlite_url, fake) -> None:
    from bot.platforms.slack.sender import SlackSender

    standin = slack_standin()
    settings = from_env({"DATABASE_URL": sqlite_url, "SLACK_SIGNING_SECRET": standin.SECRET,
                         "SLACK_BOT_TOKEN": standin.BOT_TOKEN, "SLACK_API_URL": fake.url("/api/")})
    clock = Clock(START)
    dispatcher = Dispatcher(store.sessions, {"slack": SlackSender(settings)}, clock=clock)
    calendar = Calendar(store.sessions, replies=ReminderPosts(), clock=clock, kick=dispatcher.kick)
    async with store.session() as s:
        await directory.link_channel(s, area_slug=AREA, platform="slack", workspace=standin.TEAM, channel_id=CHANNEL,
                                     purpose="board", board_key="bscb")
        await s.execute(update(ChannelLink).values(created_at=START))
        await s.commit()
    titles = ["First: papers out", "Second: agenda", "Third: minutes"]
    for i, title in enumerate(titles):
        await add_rule(store, AREA, title=title, recurrence={"kind": "once", "date": "2026-02-03"}, local_time=f"09:0{i}",
                       since=START)
    fake.fail("chat.postMessage", {"status": 500}, {"status": 429, "retry_after": 30}, {"status": 500})
    while clock.now < START + dt.timedelta(minutes=12):
        clock.advance(seconds=5)
        await calendar.tick()
        await dispatcher.tick()
    posted = [m["text"] for m in reversed(fake.history[CHANNEL])]
    assert len(posted) == 3 and all(title in text for title, text in zip(titles, posted, strict=True))  # once each, in order
    attempts = fake.calls_to("chat.postMessage")
    assert len(attempts) == 3 + 3  # three failures, then each reminder once
    # the retries looked in the channel first (nothing had gone out), so nothing was doubled
    assert len(fake.calls_to("conversations.history")) == 3
    async with store.session() as s:
        rows = list((await s.execute(select(Delivery).order_by(Delivery.due_at))).scalars())
    assert [r.status for r in rows] == ["sent"] * 3
    assert rows[0].attempts == 4 and rows[1].attempts == 1 and rows[2].attempts == 1
    # Retry-After (30 s) was honoured: the first went out at least that long after it was due
    assert rows[0].sent_at - rows[0].due_at >= dt.timedelta(seconds=30)
    assert all(r.sent_at <= r.due_at + dt.timedelta(minutes=3) for r in rows)
    keys = [c.args["metadata"]["event_payload"]["key"] for c in attempts]
    assert len(set(keys[3:])) == 3 and set(keys) == set(keys[3:])


async def test_a_failed_outbox_insert_loses_no_reminder(store) -> None:
    """The database refuses the calendar's insert once (a full disk, a dropped connection): the post is planned again."""
    clock = Clock(START)
    sender = RecordingSender(clock)
    calendar, dispatcher = machinery(store, clock, sender)
    await link_boards(store, AREA, at=START, boards=["bscb"])
    rid = await add_rule(store, AREA, recurrence={"kind": "once", "date": "2026-02-03"}, local_time="09:00", since=START)
    await calendar.tick()
    async with store.session() as s:  # a real failure of the database, not of our code
        await s.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'disk full'); END"))
        await s.commit()
    clock.set(london(2026, 2, 3, 9, 0))
    with pytest.raises(DBAPIError):
        await calendar.tick()
    async with store.session() as s:
        await s.execute(text("DROP TRIGGER refuse"))
        await s.commit()
    clock.advance(seconds=20)  # the next tick (the clock runs one every second)
    await calendar.tick()
    await dispatcher.tick()
    assert [p.reminder["rule_id"] for p in sender.posted] == [rid]
    clock.advance(hours=1)
    await calendar.tick()
    await dispatcher.tick()
    assert len(sender.posted) == 1

"""What rests on the database, on SQLite and on PostgreSQL: retries answered once, double clicks
acting once, the OAuth installation store, the outbox."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot.messages import Reply
from scheduler.outbox import Target, enqueue
from storage import directory

pytestmark = pytest.mark.e2e  # a fresh database per test, migrated from scratch


async def test_retried_events_are_answered_once(slack_db, slack_payload) -> None:
    event = slack_payload("event_app_mention")
    results = await asyncio.gather(*(slack_db.event(event, retry=n or None) for n in range(4)))
    assert {r[0] for r in results} == {200}
    await slack_db.settle()
    (post,) = slack_db.fake.calls_to("chat.postMessage")
    assert post.token == "xoxb-1111-2222-boardbot"  # the installed workspace's token, from the store


async def test_a_double_submit_acts_once(slack_db, slacktest) -> None:
    status, ack = await slack_db.command("slacktest form")
    (opened,) = await slack_db.fake.wait_for("views.open")
    submission = slack_db.submission(opened.args["view"], {"subject": "CSE data", "board": "bscb"})
    await asyncio.gather(*(slack_db.interact(submission) for _ in range(3)))
    await slack_db.settle()
    assert len(slacktest.actions) == 1


async def test_the_outbox_posts_with_the_installed_token(slack_db) -> None:
    services = slack_db.services
    async with services.store.session() as s:
        await directory.link_channel(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                     channel_id="C0BSCBBIZ", purpose="board", board_key="bscb")
        await enqueue(s, area_slug="buckinghamshire", target=Target.board("bscb"), reply=Reply(text="Reminder"),
                      key="r:1", origin="reminder", due_at=services.clock())
        await s.commit()
    slack_db.fake.fail("chat.postMessage", {"drop": True})
    assert (await services.dispatcher.tick()).sent == 0
    later = services.clock() + dt.timedelta(minutes=5)
    services.clock = lambda: later
    assert (await services.dispatcher.tick()).sent == 1
    assert len(slack_db.fake.history["C0BSCBBIZ"]) == 1

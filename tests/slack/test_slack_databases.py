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
    # no SLACK_BOT_TOKEN is set here: every call used the token the workspace's installation stored
    used = slack_db.fake.calls_to("chat.postMessage") + slack_db.fake.calls_to("conversations.history")
    assert len(used) == 2 and {c.token for c in used} == {"xoxb-1111-2222-boardbot"}
    assert not slack_db.platform.settings.slack_bot_token


async def test_after_a_revoked_token_the_outbox_reads_the_reinstalled_one(slack_db) -> None:
    from slack_sdk.oauth.installation_store import Installation

    services = slack_db.services
    async with services.store.session() as s:
        await directory.link_channel(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                     channel_id="C0BSCBBIZ", purpose="board", board_key="bscb")
        await s.commit()

    async def post(key: str):
        async with services.store.session() as s:
            await enqueue(s, area_slug="buckinghamshire", target=Target.board("bscb"), reply=Reply(text=key),
                          key=key, origin="reminder", due_at=services.clock())
            await s.commit()
        return await services.dispatcher.tick()

    assert (await post("r:1")).sent == 1  # the token is now remembered
    slack_db.fake.tokens["xoxb-4444-reinstalled"] = "T0001BUCKS"
    await slack_db.platform.installation_store.async_save(Installation(
        app_id="A0BOARDBOT", enterprise_id=None, team_id="T0001BUCKS", bot_token="xoxb-4444-reinstalled",
        bot_id="B0BOARDBOT", bot_user_id="U0BOARDBOT", user_id="U0ADMIN01", bot_scopes=["commands", "chat:write"]))
    slack_db.fake.fail("chat.postMessage", {"error": "token_revoked"})
    assert (await post("r:2")).failed == 1
    assert (await post("r:3")).sent == 1
    tokens = [c.token for c in slack_db.fake.calls_to("chat.postMessage")]
    assert tokens == ["xoxb-1111-2222-boardbot", "xoxb-1111-2222-boardbot", "xoxb-4444-reinstalled"]

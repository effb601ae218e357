"""Proactive posts: outbox rows reach Slack once, in order, through 5xx, 429 and lost answers."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from bot.messages import Button, Reply, Section
from scheduler.outbox import Target, enqueue
from storage import directory
from storage.models import Delivery

T0 = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
CHANNEL = "C0BSCBBIZ"


@pytest.fixture
async def outbox(slack):
    """The BSCB's business channel linked; the clock stopped at T0 (tests move it)."""
    services = slack.services
    services.clock = lambda: T0
    async with services.store.session() as s:
        await directory.link_channel(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                     channel_id=CHANNEL, purpose="board", board_key="bscb")
        await s.commit()

    async def queue(key: str, title: str, due: dt.datetime = T0) -> None:
        async with services.store.session() as s:
            reply = Reply(text=f"{title}: the officers' meeting is on Thursday.", title=title,
                          sections=(Section("Agenda items by Monday, please.", heading="Officers' meeting"),),
                          buttons=(Button("Acknowledge", "challenge.ack", {"id": 1}),))
            n = await enqueue(s, area_slug="buckinghamshire", target=Target.board("bscb"), reply=reply, key=key,
                              origin="reminder", due_at=due)
            await s.commit()
        assert n == 1

    return queue


def at(minutes: float):
    return lambda: T0 + dt.timedelta(minutes=minutes)


async def _rows(slack) -> list[Delivery]:
    async with slack.services.store.session() as s:
        return list((await s.execute(select(Delivery).order_by(Delivery.id))).scalars())


async def test_an_outbox_row_is_posted_with_its_key_in_metadata(slack, outbox) -> None:
    await outbox("reminder:1", "Officers' meeting")
    result = await slack.services.dispatcher.tick()
    assert result.sent == 1
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == CHANNEL
    assert post.args["metadata"] == {"event_type": "boardbot_delivery", "event_payload": {"key": "reminder:1|slack:C0BSCBBIZ"}}
    assert post.args["blocks"][0]["text"]["text"] == "Officers' meeting"
    assert any(b["type"] == "actions" for b in post.args["blocks"])
    assert post.token == "xoxb-1111-2222-boardbot"
    (row,) = await _rows(slack)
    assert row.status == "sent" and row.message_ref == slack.fake.history[CHANNEL][0]["ts"]


async def test_a_server_error_is_retried_later_and_posted_once_in_order(slack, outbox) -> None:
    await outbox("reminder:1", "First")
    await outbox("reminder:2", "Second", due=T0 + dt.timedelta(seconds=1))
    slack.services.clock = at(1)
    slack.fake.fail("chat.postMessage", {"status": 500})
    result = await slack.services.dispatcher.tick()
    assert (result.sent, result.retried) == (0, 1)
    assert len(slack.fake.calls_to("chat.postMessage")) == 1  # not retried blindly by the client
    first, second = await _rows(slack)
    assert first.status == "pending" and "500" in first.last_error
    assert second.status == "pending" and second.sent_at is None  # held back: order is kept
    await slack.services.dispatcher.tick()  # too soon: nothing happens
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    slack.services.clock = at(5)
    result = await slack.services.dispatcher.tick()
    assert result.sent == 2
    posted = [c.args["blocks"][0]["text"]["text"] for c in slack.fake.calls_to("chat.postMessage")]
    assert posted == ["First", "First", "Second"]  # the failed attempt, then each once, in order
    assert [m["blocks"][0]["text"]["text"] for m in reversed(slack.fake.history[CHANNEL])] == ["First", "Second"]
    assert slack.fake.calls_to("conversations.history")  # the retry looked first


async def test_a_rate_limit_waits_for_retry_after(slack, outbox) -> None:
    await outbox("reminder:1", "Rate limited")
    slack.fake.fail("chat.postMessage", {"status": 429, "retry_after": 120})
    result = await slack.services.dispatcher.tick()
    assert result.retried == 1
    (row,) = await _rows(slack)
    assert row.next_attempt_at >= T0 + dt.timedelta(seconds=120)
    slack.services.clock = at(1)
    assert (await slack.services.dispatcher.tick()).sent == 0
    slack.services.clock = at(2.1)
    assert (await slack.services.dispatcher.tick()).sent == 1
    assert len(slack.fake.history[CHANNEL]) == 1


async def test_a_post_whose_answer_was_lost_is_not_posted_again(slack, outbox) -> None:
    await outbox("reminder:1", "Lost answer")
    slack.fake.fail("chat.postMessage", {"drop": True})
    result = await slack.services.dispatcher.tick()
    assert result.retried == 1
    assert len(slack.fake.history[CHANNEL]) == 1  # it did reach the channel
    slack.services.clock = at(5)
    result = await slack.services.dispatcher.tick()
    assert result.sent == 1
    assert len(slack.fake.history[CHANNEL]) == 1  # found by its key, not posted twice
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    (row,) = await _rows(slack)
    assert row.status == "sent" and row.message_ref == slack.fake.history[CHANNEL][0]["ts"]


@pytest.mark.parametrize("code", ["channel_not_found", "not_in_channel", "is_archived", "invalid_auth",
                                  "account_inactive", "token_revoked"])
async def test_a_permanent_error_marks_the_row_failed(slack, outbox, code: str) -> None:
    await outbox("reminder:1", "Gone")
    slack.fake.fail("chat.postMessage", {"error": code})
    result = await slack.services.dispatcher.tick()
    assert result.failed == 1
    (row,) = await _rows(slack)
    assert row.status == "failed" and code in row.last_error
    slack.services.clock = at(60)
    await slack.services.dispatcher.tick()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


async def test_blocks_slack_refuses_are_posted_as_text(slack, outbox) -> None:
    await outbox("reminder:1", "Odd blocks")
    slack.fake.fail("chat.postMessage", {"error": "invalid_blocks"})
    assert (await slack.services.dispatcher.tick()).sent == 1
    first, second = slack.fake.calls_to("chat.postMessage")
    assert "blocks" in first.args and "blocks" not in second.args
    assert second.args["text"].startswith("Odd blocks")


async def test_an_error_slack_has_not_told_us_about_is_permanent_and_the_admins_hear(slack, outbox) -> None:
    async with slack.services.store.session() as s:
        await directory.link_channel(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                     channel_id="C0ADMINS1", purpose="admins")
        await s.commit()
    await outbox("reminder:1", "Officers' meeting")
    slack.fake.fail("chat.postMessage", {"error": "some_error_slack_added_later"})
    result = await slack.services.dispatcher.tick()
    assert (result.failed, result.retried) == (1, 0)
    (row, notice) = await _rows(slack)
    assert row.status == "failed" and "some_error_slack_added_later" in row.last_error
    assert notice.origin == "admin"
    await slack.services.dispatcher.tick()
    told = [c for c in slack.fake.calls_to("chat.postMessage") if c.args["channel"] == "C0ADMINS1"]
    assert len(told) == 1 and "could not be delivered" in told[0].args["text"]
    assert "some_error_slack_added_later" in told[0].args["text"]


@pytest.mark.parametrize("code", ["ratelimited", "fatal_error", "internal_error", "service_unavailable", "request_timeout"])
async def test_a_temporary_error_is_retried_later(slack, outbox, code: str) -> None:
    await outbox("reminder:1", "Officers' meeting")
    slack.fake.fail("chat.postMessage", {"error": code})
    assert (await slack.services.dispatcher.tick()).retried == 1
    (row,) = await _rows(slack)
    assert row.status == "pending" and code in row.last_error
    slack.services.clock = at(60)
    assert (await slack.services.dispatcher.tick()).sent == 1

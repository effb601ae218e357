"""Proactive posts to Teams: an outbox row, the Dispatcher's tick, TeamsSender, the stand-in connector.

The channel is learned the way it is in production: someone @mentions boardbot there (its
conversation reference is stored) and an administrator links it to a board. Then a post is
queued with ``scheduler.outbox.enqueue`` and ``Dispatcher.tick`` sends it.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from sqlalchemy import select

from bot.messages import Button, Reply
from scheduler.outbox import Target, enqueue
from storage import directory
from storage.models import Delivery

from .standin import TENANT, card_text, payload

CHANNEL = "19:8d1e5b0c6a2f4e7b9c3d1a5f7e9b2c4d@thread.tacv2"
NOTICE = Reply(title="Agenda request A7", text="The BSAB asks for an item on the BSCB's March agenda: transitions.",
               buttons=(Button("Accept onto a meeting", "agenda.accept", {"id": 7}, style="primary"),),
               data={"area": "buckinghamshire"})


async def learn_and_link_channel(teams, connector, services, *, with_reference: bool = True) -> None:
    """boardbot is @mentioned in the channel, then an administrator links it to the BSCB."""
    resp = await teams.post("/api/messages", json=payload("channel_mention", connector))
    assert resp.status == 200
    connector.calls.clear()
    async with services.store.session() as s, s.begin():
        ref = await directory.conversation_ref(s, CHANNEL) if with_reference else None
        await directory.link_channel(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, channel_id=CHANNEL,
                                     purpose="board", board_key="bscb", conversation_ref=ref)


async def queue(services, key: str = "agenda:7:request", reply: Reply = NOTICE) -> int:
    async with services.store.session() as s, s.begin():
        return await enqueue(s, area_slug="buckinghamshire", target=Target.board("bscb"), reply=reply, key=key,
                             origin="agenda", due_at=services.clock())


async def delivery(services) -> Delivery:
    async with services.store.session() as s:
        return (await s.execute(select(Delivery).where(Delivery.platform == "teams"))).scalar_one()


def later(services, seconds: float) -> None:
    base = services.clock()
    services.clock = lambda: base + dt.timedelta(seconds=seconds)


async def test_an_outbox_row_is_posted_to_the_linked_channel_as_a_new_card(teams, connector, services):
    await learn_and_link_channel(teams, connector, services)
    assert await queue(services) == 1

    result = await services.dispatcher.tick()

    assert result.sent == 1
    [post] = connector.posts
    assert post.kind == "send" and post.conversation_id == CHANNEL  # a new post in the channel, not in the old thread
    assert post.body["channelData"] == {"tenant": {"id": TENANT}}
    text = card_text(post.card)
    assert "Agenda request A7" in text and "transitions" in text
    [accept] = post.card["actions"]
    assert accept["type"] == "Action.Execute" and accept["data"]["a"] == "agenda.accept"
    assert accept["data"]["area"] == "buckinghamshire"
    row = await delivery(services)
    assert row.status == "sent" and row.message_ref == post.answered_id


async def test_the_stored_reference_is_found_when_the_link_carries_none(teams, connector, services):
    await learn_and_link_channel(teams, connector, services, with_reference=False)
    await queue(services)

    assert (await services.dispatcher.tick()).sent == 1
    assert [p.conversation_id for p in connector.posts] == [CHANNEL]


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_a_server_error_is_retried_and_posted_exactly_once(teams, connector, services, status):
    await learn_and_link_channel(teams, connector, services)
    await queue(services)
    connector.fail(status)

    first = await services.dispatcher.tick()
    assert first.retried == 1 and connector.posts == []
    assert len([c for c in connector.calls if c.kind == "send"]) == 1  # the client itself did not retry
    row = await delivery(services)
    assert row.status == "pending" and f"answered {status}" in row.last_error

    later(services, 10)
    second = await services.dispatcher.tick()
    third = await services.dispatcher.tick()

    assert second.sent == 1 and third.sent == 0
    assert len(connector.posts) == 1
    assert (await delivery(services)).status == "sent"


async def test_a_rate_limit_waits_for_retry_after(teams, connector, services):
    await learn_and_link_channel(teams, connector, services)
    await queue(services)
    connector.fail(429, **{"Retry-After": "120"})

    assert (await services.dispatcher.tick()).retried == 1
    later(services, 60)
    assert (await services.dispatcher.tick()).sent == 0  # Teams asked for two minutes
    later(services, 121)
    assert (await services.dispatcher.tick()).sent == 1
    assert len(connector.posts) == 1


@pytest.mark.parametrize("status", [403, 404])
async def test_a_removed_bot_or_a_deleted_conversation_fails_the_row(teams, connector, services, status):
    await learn_and_link_channel(teams, connector, services)
    await queue(services)
    connector.fail(status)

    result = await services.dispatcher.tick()

    assert result.failed == 1
    row = await delivery(services)
    assert row.status == "failed" and "removed from that conversation or it no longer exists" in row.last_error
    later(services, 3600)
    assert (await services.dispatcher.tick()).sent == 0  # and it is not tried again
    assert connector.posts == []


async def test_no_reference_fails_the_row_saying_what_to_do(teams, connector, services):
    async with services.store.session() as s, s.begin():
        await directory.link_channel(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT,
                                     channel_id="19:never-seen@thread.tacv2", purpose="board", board_key="bscb")
    await queue(services)

    assert (await services.dispatcher.tick()).failed == 1
    row = await delivery(services)
    assert row.last_error == "no conversation reference: add boardbot to the channel and link it again"
    assert connector.calls == []


async def test_a_connector_that_does_not_answer_in_time_is_retried_later_and_may_post_twice(teams, connector, services, caplog):
    """The post reached the Bot Connector, whose answer came too late: not retried at once (no
    idempotency key), retried by the outbox, logged as a possible duplicate."""
    await learn_and_link_channel(teams, connector, services)
    await queue(services)
    (await services.senders["teams"].teams.platform()).sender.timeout = 0.5
    connector.delay = 2.0

    with caplog.at_level("WARNING"):
        result = await services.dispatcher.tick()

    assert result.retried == 1
    assert (await delivery(services)).status == "pending"
    assert any("may appear twice" in r.getMessage() and "agenda:7:request" in r.getMessage() for r in caplog.records)
    await asyncio.sleep(2.0)  # the stand-in answers the one request it got, late
    assert len([c for c in connector.calls if c.kind == "send"]) == 1
    connector.delay = 0.0
    later(services, 10)
    assert (await services.dispatcher.tick()).sent == 1
    assert len([p for p in connector.posts if p.kind == "send"]) == 2  # what the warning is about


async def test_a_connector_that_is_down_is_retried_at_once_then_by_the_outbox(teams, connector, services, caplog):
    await learn_and_link_channel(teams, connector, services)
    async with services.store.session() as s, s.begin():
        ref = await directory.conversation_ref(s, CHANNEL)
        ref = {**ref, "serviceUrl": "http://127.0.0.1:9/"}  # nothing listens on the discard port
        await directory.save_conversation_ref(s, CHANNEL, TENANT, ref)
    await queue(services)

    with caplog.at_level("WARNING"):
        result = await services.dispatcher.tick()

    assert result.retried == 1
    assert "unreachable" in (await delivery(services)).last_error
    # refused before anything was sent: one immediate retry by the client, and no duplicate warning
    retries = [r for r in caplog.records if r.name == "boardbot.teams" and r.getMessage().startswith("Retrying")]
    assert len(retries) == 1
    assert not any("may appear twice" in r.getMessage() for r in caplog.records)


async def test_posts_follow_the_channel_to_its_new_service_url(teams, connector, services):
    """Teams moved the channel to another regional Bot Connector: the next post goes there, not
    to the address copied when the channel was linked."""
    await learn_and_link_channel(teams, connector, services)
    moved = payload("channel_mention", connector, id="1732374649999", serviceUrl=connector.url + "/amer/")
    assert (await teams.post("/api/messages", json=moved)).status == 200
    assert [c.region for c in connector.posts] == ["amer"]  # the answer to that mention went there too
    connector.calls.clear()
    await queue(services)

    assert (await services.dispatcher.tick()).sent == 1
    [post] = connector.posts
    assert post.kind == "send" and post.conversation_id == CHANNEL and post.region == "amer"


async def test_a_refused_bot_connector_token_keeps_the_post_for_later(teams, connector, services, caplog):
    """A 401 from the Bot Connector (an expired secret): the post waits five minutes, an error is
    logged, and it goes out once things work again."""
    await learn_and_link_channel(teams, connector, services)
    await queue(services)
    connector.fail(401)

    with caplog.at_level("ERROR"):
        result = await services.dispatcher.tick()

    assert result.retried == 1 and result.failed == 0
    row = await delivery(services)
    assert row.status == "pending" and "401" in row.last_error
    assert row.next_attempt_at.replace(tzinfo=None) >= (services.clock() + dt.timedelta(seconds=299)).replace(tzinfo=None)
    assert any(r.levelname == "ERROR" and "MicrosoftAppPassword" in r.getMessage() for r in caplog.records)
    later(services, 120)
    assert (await services.dispatcher.tick()).sent == 0  # not hammering a refused token
    later(services, 301)
    assert (await services.dispatcher.tick()).sent == 1
    assert len(connector.posts) == 1


async def test_authenticated_posts_carry_boardbot_token(teams_auth, connector, services):
    resp = await teams_auth.post("/api/messages", json=payload("channel_mention", connector),
                                 headers={"Authorization": f"Bearer {connector.sign()}"})
    assert resp.status == 200
    async with services.store.session() as s, s.begin():
        ref = await directory.conversation_ref(s, CHANNEL)
        await directory.link_channel(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, channel_id=CHANNEL,
                                     purpose="board", board_key="bscb", conversation_ref=ref)
    await queue(services)

    assert (await services.dispatcher.tick()).sent == 1
    send = [p for p in connector.posts if p.kind == "send"]
    assert len(send) == 1 and send[0].headers["Authorization"] == f"Bearer {connector.issued[0]}"


async def test_a_login_service_that_is_down_delays_posts_and_loses_none(services, sqlite_url, connector):
    """boardbot cannot get its own token: the post waits and is retried, it is not failed."""
    from aiohttp.test_utils import TestClient, TestServer

    from bot.config import Settings
    from bot.web import build_app

    from .standin import link_tenant, settings_for

    await link_tenant(services)
    settings = settings_for(sqlite_url, connector, authenticated=True)
    down = Settings(**{**settings.__dict__, "extra": {**settings.extra, "teams_login_url": "http://127.0.0.1:9/botframework.com"}})
    async with TestClient(TestServer(build_app(services, down, background=False))):
        async with services.store.session() as s, s.begin():
            ref = {"bot": {"id": "28:6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}, "conversation": {"id": CHANNEL, "tenantId": TENANT},
                   "channelId": "msteams", "serviceUrl": connector.url + "/"}
            await directory.link_channel(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, channel_id=CHANNEL,
                                         purpose="board", board_key="bscb", conversation_ref=ref)
        await queue(services)
        result = await services.dispatcher.tick()

    assert result.retried == 1 and result.failed == 0
    row = await delivery(services)
    assert row.status == "pending" and "login service unreachable" in row.last_error
    assert connector.posts == []


async def test_a_refused_app_secret_keeps_the_post_for_later(services, sqlite_url, connector, caplog):
    """The login service refuses boardbot's secret (expired or rotated): nothing is lost, the post
    waits with a long back-off and an error is logged."""
    from aiohttp.test_utils import TestClient, TestServer

    from bot.config import Settings
    from bot.web import build_app

    from .standin import link_tenant, settings_for

    await link_tenant(services)
    settings = settings_for(sqlite_url, connector, authenticated=True)
    expired = Settings(**{**settings.__dict__, "app_password": "an-expired-secret"})
    async with TestClient(TestServer(build_app(services, expired, background=False))):
        async with services.store.session() as s, s.begin():
            ref = {"bot": {"id": "28:6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}, "conversation": {"id": CHANNEL, "tenantId": TENANT},
                   "channelId": "msteams", "serviceUrl": connector.url + "/"}
            await directory.link_channel(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, channel_id=CHANNEL,
                                         purpose="board", board_key="bscb", conversation_ref=ref)
        await queue(services)
        before = services.clock()  # the retry is set from the moment of the tick, however long the tick took
        with caplog.at_level("ERROR"):
            result = await services.dispatcher.tick()

    assert result.retried == 1 and result.failed == 0
    row = await delivery(services)
    assert row.status == "pending" and "refused boardbot's credentials" in row.last_error
    assert row.next_attempt_at.replace(tzinfo=None) >= (before + dt.timedelta(seconds=299)).replace(tzinfo=None)
    assert any(r.levelname == "ERROR" and "refused boardbot's credentials" in r.getMessage() for r in caplog.records)
    assert [c.status for c in connector.calls] == [401]  # one token request, refused; no post was tried


async def test_a_personal_answer_is_never_posted_to_a_channel(teams, connector, services):
    from bot.messages import Visibility

    await learn_and_link_channel(teams, connector, services)
    await queue(services, reply=Reply(text="https://example.invalid/feed/secret", title="Your calendar link",
                                      visibility=Visibility.PERSONAL))

    assert (await services.dispatcher.tick()).failed == 1
    assert connector.posts == []

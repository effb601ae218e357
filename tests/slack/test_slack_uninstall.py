"""A workspace that uninstalls boardbot (or revokes its bot token): the installation goes, its queued
posts stop at once (never retried), and the area's admins are told somewhere boardbot can still post.

Through Bolt's real revocation handling and installation store (OAuth), on SQLite and PostgreSQL,
signed events as Slack sends them, the outbox drained by the real dispatcher and Slack sender.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select

from bot.messages import Reply
from scheduler.outbox import Target, enqueue
from storage import directory
from storage.models import AuditEvent, Delivery

pytestmark = pytest.mark.e2e

TEAM, OTHER = "T0001BUCKS", "T0OTHERWS"
AREA = "buckinghamshire"


def event(kind: str, event_id: str = "Ev0UNINST1", team: str = TEAM, **fields) -> dict:
    return {"token": "x", "team_id": team, "api_app_id": "A0BOARDBOT", "type": "event_callback",
            "event_id": event_id, "event_time": 1764590000, "event": {"type": kind, "event_ts": "1764590000.1", **fields}}


async def setup(slack, *, admins: tuple[str, ...], directors: tuple[str, ...] = (), queued: int = 3) -> None:
    """The BSCB's channel in the workspace that will uninstall; admins' / directors' channels as given
    (``T:channel``); ``queued`` posts waiting for the BSCB channel."""
    await slack.platform.installation_store.async_save(Installation(
        app_id="A0BOARDBOT", enterprise_id=None, team_id=OTHER, team_name="Elsewhere", bot_token="xoxb-1111-2222-boardbot",
        bot_id="B0OTHER", bot_user_id="U0OTHERBOT", user_id="U0OTHER01", bot_scopes=["chat:write"]))
    async with slack.services.store.session() as s:
        await directory.link_channel(s, area_slug=AREA, platform="slack", workspace=TEAM, channel_id="C0BSCBBIZ",
                                     purpose="board", board_key="bscb")
        for purpose, where in (("admins", admins), ("directors", directors)):
            for spec in where:
                team, channel = spec.split(":")
                await directory.link_channel(s, area_slug=AREA, platform="slack", workspace=team, channel_id=channel,
                                             purpose=purpose)
        for i in range(queued):
            await enqueue(s, area_slug=AREA, target=Target.board("bscb"), reply=Reply(text=f"Reminder {i}"),
                          key=f"pending:{i}", origin="reminder", due_at=slack.services.clock())
        await s.commit()


async def deliveries(slack) -> list[Delivery]:
    async with slack.services.store.session() as s:
        return list((await s.execute(select(Delivery).order_by(Delivery.id))).scalars())


def later(services, hours: float) -> None:
    base = dt.datetime.now(dt.UTC) + dt.timedelta(hours=hours)
    services.clock = lambda: base


def posted(slack, channel: str) -> list[str]:
    return [c.args.get("text", "") for c in slack.fake.calls_to("chat.postMessage") if c.args.get("channel") == channel]


async def test_uninstalling_stops_the_workspaces_posts_and_tells_the_admins_elsewhere(slack_db) -> None:
    slack = slack_db
    await setup(slack, admins=(f"{TEAM}:C0ADMINS1", f"{OTHER}:C0ADMINS2"))
    status, _ = await slack.event(event("app_uninstalled"))
    assert status == 200
    await slack.settle()

    store = slack.platform.installation_store
    assert await store.async_find_installation(enterprise_id=None, team_id=TEAM) is None
    assert await store.async_find_bot(enterprise_id=None, team_id=TEAM) is None
    stopped = [d for d in await deliveries(slack) if d.workspace == TEAM]
    assert len(stopped) == 3 and {d.status for d in stopped} == {"failed"}
    assert all("was uninstalled" in (d.last_error or "") for d in stopped)

    await slack.services.dispatcher.tick()
    assert posted(slack, "C0BSCBBIZ") == [] and posted(slack, "C0ADMINS1") == []
    [notice] = posted(slack, "C0ADMINS2")
    assert "was uninstalled" in notice and TEAM in notice and "3 queued post(s)" in notice
    assert "admins' channel was in that workspace" in notice

    # Slack retries the event: nothing happens twice; and nothing for that workspace is ever retried
    assert (await slack.event(event("app_uninstalled"), retry=1))[0] == 200
    await slack.settle()
    for hours in (1, 2, 3):  # hours later, as the back-off would have retried them
        later(slack.services, hours)
        await slack.services.dispatcher.tick()
    assert len(posted(slack, "C0ADMINS2")) == 1 and posted(slack, "C0BSCBBIZ") == []
    async with slack.services.store.session() as s:
        [audit] = (await s.execute(select(AuditEvent).where(AuditEvent.kind == "workspace-removed"))).scalars()
    assert audit.detail["told"] == "admins" and audit.detail["stopped"] == 3


async def test_with_the_only_admins_channel_gone_the_directors_are_told_and_it_says_so(slack_db) -> None:
    slack = slack_db
    await setup(slack, admins=(f"{TEAM}:C0ADMINS1",), directors=(f"{OTHER}:C0DIRECTS",), queued=1)
    await slack.event(event("app_uninstalled", event_id="Ev0UNINST2"))
    await slack.settle()
    await slack.services.dispatcher.tick()
    [notice] = posted(slack, "C0DIRECTS")
    assert "administrators" in notice and "was uninstalled" in notice
    assert "admins' channel was in that workspace, so this notice is posted in the directors' channel instead" in notice
    assert posted(slack, "C0ADMINS1") == []


async def test_with_nowhere_left_to_post_the_log_names_the_area(slack_db, caplog) -> None:
    slack = slack_db
    await setup(slack, admins=(f"{TEAM}:C0ADMINS1",), queued=2)
    caplog.set_level(logging.ERROR, logger="boardbot.installations")
    await slack.event(event("app_uninstalled", event_id="Ev0UNINST3"))
    await slack.settle()
    [record] = [r for r in caplog.records if r.name == "boardbot.installations"]
    assert "buckinghamshire" in record.getMessage() and "administrators are told only here" in record.getMessage()
    assert {d.status for d in await deliveries(slack)} == {"failed"}


async def test_a_revoked_bot_token_is_a_removal_and_revoked_user_tokens_are_not(slack_db) -> None:
    slack = slack_db
    await setup(slack, admins=(f"{OTHER}:C0ADMINS2",), queued=1)
    await slack.event(event("tokens_revoked", event_id="Ev0REVOKE1", tokens={"oauth": ["U0ADMIN01"]}))
    await slack.settle()
    store = slack.platform.installation_store
    assert await store.async_find_bot(enterprise_id=None, team_id=TEAM) is not None  # the bot stays
    assert {d.status for d in await deliveries(slack)} == {"pending"}

    await slack.event(event("tokens_revoked", event_id="Ev0REVOKE2", tokens={"oauth": [], "bot": ["U0BOARDBOT"]}))
    await slack.settle()
    assert await store.async_find_bot(enterprise_id=None, team_id=TEAM) is None
    assert [d.status for d in await deliveries(slack) if d.workspace == TEAM] == ["failed"]
    await slack.services.dispatcher.tick()
    [notice] = posted(slack, "C0ADMINS2")
    assert "had its bot token revoked" in notice


async def test_a_single_workspace_app_stops_its_posts_too(slack, caplog) -> None:
    """With SLACK_BOT_TOKEN (no installation store) the token is dead all the same."""
    async with slack.services.store.session() as s:
        await directory.link_channel(s, area_slug=AREA, platform="slack", workspace=TEAM, channel_id="C0BSCBBIZ",
                                     purpose="board", board_key="bscb")
        await enqueue(s, area_slug=AREA, target=Target.board("bscb"), reply=Reply(text="Reminder"), key="p:1",
                      origin="reminder", due_at=slack.services.clock())
        await s.commit()
    status, _ = await slack.event(event("app_uninstalled", event_id="Ev0UNINST9"))
    assert status == 200
    await slack.settle()
    assert [d.status for d in await deliveries(slack)] == ["failed"]
    assert json.dumps([c.method for c in slack.fake.calls]) == "[]"  # nothing was even tried

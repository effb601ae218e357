"""Multi-workspace installs: "Add to Slack", the OAuth redirect, and posting with that workspace's token."""

from __future__ import annotations

import re
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import inspect

from bot.messages import Reply
from scheduler.outbox import Target, enqueue
from storage import directory

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")]

OAUTH = {"SLACK_BOT_TOKEN": "", "SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "shh",
         "BOARDBOT_PUBLIC_URL": "https://boardbot.example.org"}


async def _install(harness) -> None:
    client = harness.client
    resp = await client.get("/slack/install", allow_redirects=False)
    assert resp.status == 200
    page = await resp.text()
    url = re.search(r'href="(https://slack.com/oauth/v2/authorize\?[^"]+)"', page).group(1).replace("&amp;", "&")
    assert "client_id=111.222" in url and "scope=commands" in url
    assert url.endswith("redirect_uri=https://boardbot.example.org/slack/oauth_redirect")
    state = re.search(r"state=([^&]+)", url).group(1)
    cookie = SimpleCookie(resp.headers["Set-Cookie"])
    name = next(iter(cookie))
    resp = await client.get(f"/slack/oauth_redirect?code=granted-code&state={state}",
                            headers={"Cookie": f"{name}={cookie[name].value}"}, allow_redirects=False)
    assert resp.status == 200, await resp.text()


async def test_install_creates_its_tables_and_stores_the_workspace_token(slack_server, services, fake_slack) -> None:
    harness = await slack_server(**OAUTH)
    async with services.store.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: inspect(c).get_table_names())
    assert {"slack_installations", "slack_bots", "slack_oauth_states"} <= set(tables)
    await _install(harness)
    (exchange,) = fake_slack.calls_to("oauth.v2.access")
    assert exchange.args["code"] == "granted-code"
    assert (exchange.args["client_id"], exchange.args["client_secret"]) == ("111.222", "shh")
    bot = await harness.platform.installation_store.async_find_bot(enterprise_id=None, team_id="T0002SUFFK")
    assert bot is not None and bot.bot_token == "xoxb-3333-installed"


async def test_a_forged_state_is_refused(slack_server, fake_slack) -> None:
    harness = await slack_server(**OAUTH)
    resp = await harness.client.get("/slack/oauth_redirect?code=granted-code&state=made-up", allow_redirects=False)
    assert resp.status >= 400
    assert fake_slack.calls_to("oauth.v2.access") == []


async def test_posts_and_answers_use_the_installed_workspace_token(slack_server, services, fake_slack, slack_payload) -> None:
    harness = await slack_server(**OAUTH)
    await _install(harness)
    async with services.store.session() as s:
        await directory.link_workspace(s, "slack", "T0002SUFFK", "suffolk")
        await directory.link_channel(s, area_slug="suffolk", platform="slack", workspace="T0002SUFFK",
                                     channel_id="C0SUFFOLK1", purpose="directors")
        await enqueue(s, area_slug="suffolk", target=Target("directors"), reply=Reply(text="Escalation notice"),
                      key="esc:1", origin="challenge", due_at=services.clock())
        await s.commit()
    assert (await services.dispatcher.tick()).sent == 1
    (post,) = fake_slack.calls_to("chat.postMessage")
    assert post.token == "xoxb-3333-installed" and post.args["channel"] == "C0SUFFOLK1"

    status, ack = await harness.command("who leads on looked after children?", team_id="T0002SUFFK")
    assert status == 200 and "Suffolk" in ack["text"]

    mention = slack_payload("event_app_mention")
    mention["team_id"] = mention["event"]["team"] = mention["authorizations"][0]["team_id"] = "T0002SUFFK"
    await harness.event(mention)
    await harness.settle()
    answer = fake_slack.calls_to("chat.postMessage")[-1]
    assert answer.token == "xoxb-3333-installed" and "Suffolk" in answer.args["text"]


async def test_a_workspace_that_never_installed_gets_nothing(slack_server, services, fake_slack) -> None:
    harness = await slack_server(**OAUTH)
    async with services.store.session() as s:
        await directory.link_channel(s, area_slug="suffolk", platform="slack", workspace="T9NOTINST",
                                     channel_id="C0NOWHERE", purpose="directors")
        await enqueue(s, area_slug="suffolk", target=Target("directors"), reply=Reply(text="Escalation notice"),
                      key="esc:2", origin="challenge", due_at=services.clock())
        await s.commit()
    assert (await services.dispatcher.tick()).failed == 1
    status, ack = await harness.command("boards", team_id="T9NOTINST")
    assert status == 200 and not ack
    (told,) = fake_slack.calls_to("response_url")  # Bolt answers through the command's response_url
    assert "boardbot is not installed in this workspace" in told.args["text"]
    assert "https://boardbot.example.org/slack/install" in told.args["text"]
    assert fake_slack.calls_to("chat.postMessage") == []

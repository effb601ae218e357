"""The app manifest an administrator pastes into Slack matches what the server serves."""

from __future__ import annotations

import yaml

from bot.config import from_env
from bot.platforms.slack import Slack

MANIFEST = Slack(from_env({})).manifest()


def test_manifest_points_everything_at_slack_events_with_the_scopes_used() -> None:
    m = yaml.safe_load(MANIFEST.read_text())
    (board,) = m["features"]["slash_commands"]
    assert board["command"] == "/board" and board["should_escape"] is True  # mentions arrive as <@U…|name>
    assert board["url"] == "https://YOUR-HOST/slack/events"
    assert m["settings"]["interactivity"] == {"is_enabled": True, "request_url": "https://YOUR-HOST/slack/events"}
    assert m["settings"]["event_subscriptions"]["request_url"] == "https://YOUR-HOST/slack/events"
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_mention", "message.im", "app_home_opened", "app_uninstalled", "tokens_revoked"}
    assert {"commands", "chat:write", "app_mentions:read", "im:history", "users:read"} <= set(m["oauth_config"]["scopes"]["bot"])
    assert m["oauth_config"]["redirect_urls"] == ["https://YOUR-HOST/slack/oauth_redirect"]
    assert m["features"]["app_home"]["home_tab_enabled"] is True


async def test_the_server_serves_the_manifests_urls(slack_server) -> None:
    harness = await slack_server(SLACK_BOT_TOKEN="", SLACK_CLIENT_ID="111.222", SLACK_CLIENT_SECRET="shh")
    routes = {(r.method, r.resource.canonical) for r in harness.app.router.routes()}
    assert {("POST", "/slack/events"), ("GET", "/slack/install"), ("GET", "/slack/oauth_redirect")} <= routes

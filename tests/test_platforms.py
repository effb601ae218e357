"""The Platform contract and its registry, and what Slack and Teams share (bot/platforms/base.py,
registry.py, common.py)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from bot.config import from_env
from bot.platforms import registry
from bot.platforms.base import Platform
from bot.platforms.common import CRASH_TEXT, Once, crash_reply, retry_after_seconds

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def test_the_registry_lists_every_platform_once_and_the_workspace_ones_are_the_cli_choices() -> None:
    names = [p.name for p in registry.PLATFORMS]
    assert names == ["slack", "teams", "console"] and len(set(names)) == len(names)
    assert all(issubclass(p, Platform) for p in registry.PLATFORMS)
    assert registry.workspace_platforms() == ["slack", "teams"]
    from bot.cli.parser import parser as _parser

    with pytest.raises(SystemExit):
        _parser().parse_args(["admin", "grant", "--area", "x", "--platform", "console", "--workspace", "w", "--user", "u"])
    args = _parser().parse_args(["admin", "grant", "--area", "x", "--platform", "teams", "--workspace", "w", "--user", "u"])
    assert args.platform == "teams"
    with pytest.raises(KeyError, match="boardbot knows slack, teams, console"):
        registry.platform("irc", from_env({}))


def test_every_platform_is_off_by_default_and_says_what_to_set() -> None:
    settings = from_env({})
    for p in registry.platforms(settings):
        if p.has_workspaces:
            assert not p.enabled
            assert p.status().startswith("off (set ")
            assert all("401" in e.protection for e in p.endpoints())
    on = from_env({"SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1", "MicrosoftAppId": "app", "MicrosoftAppPassword": "pw"})
    assert {p.name: p.enabled for p in registry.platforms(on)} == {"slack": True, "teams": True, "console": True}
    assert registry.platform("teams", on).keeps_conversation_references
    assert not registry.platform("slack", on).keeps_conversation_references


def test_the_registry_loads_no_sdk() -> None:
    """Every ``boardbot`` command reads the registry; ``ask`` must not pay for Bolt or botbuilder."""
    code = ("import sys, bot.cli, bot.platforms.registry as r; r.platforms(__import__('bot.config').config.from_env({})); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('slack_bolt', 'slack_sdk', 'botbuilder', 'aiohttp')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


@pytest.mark.parametrize(("header", "seconds"), [
    ("30", 30.0), (" 2.5 ", 2.5), ("-4", 0.0), (["7", "9"], 7.0),
    ("Tue, 01 Dec 2026 12:01:00 GMT", 60.0), ("Tue, 01 Dec 2026 11:00:00 GMT", 0.0),
    (None, None), ("", None), ("soon", None), ("nan", None), ("inf", None), ([], None),
])
def test_retry_after_is_read_in_seconds_and_as_an_http_date(header, seconds) -> None:
    assert retry_after_seconds(header, now=NOW) == seconds


def test_slack_reads_a_retry_after_date_as_teams_does() -> None:
    """Slack read only delta-seconds; an HTTP date from a proxy was lost (and ``nan`` kept)."""
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_slack_response import AsyncSlackResponse

    from bot.platforms.slack.sender import classify
    from scheduler.outbox import TransientSendError

    when = (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=120)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    for header, low, high in ((when, 100, 121), ("nan", None, None)):
        resp = AsyncSlackResponse(client=None, http_verb="POST", api_url="u", req_args={}, data={"ok": False, "error": "ratelimited"},
                                  headers={"Retry-After": header}, status_code=429)
        err = classify(SlackApiError("ratelimited", resp))
        assert isinstance(err, TransientSendError)
        if low is None:
            assert err.retry_after is None
        else:
            assert low <= err.retry_after <= high


def test_a_crash_reads_the_same_on_every_platform() -> None:
    reply = crash_reply()
    assert not reply.ok and reply.text.startswith(CRASH_TEXT)
    import inspect

    from bot.platforms.slack import runtime as slack_runtime
    from bot.platforms.teams import app as teams_app
    from bot.platforms.teams import handler as teams_handler

    for module in (slack_runtime, teams_app, teams_handler):
        source = inspect.getsource(module)
        assert "crash_reply()" in source and "went wrong" not in source.replace("CRASH_TEXT", "")


async def test_once_acts_once_forgets_and_remembers(services) -> None:
    from bot.services import Services

    once = Once(services)
    assert await once.first_time("k", {"card": 1}) is True
    assert await once.first_time("k") is False
    assert await once.remembered("k") == {"card": 1}
    await once.forget("k")
    assert await once.first_time("k") is True
    assert await Once(Services(knowledge=services.knowledge)).first_time("k") is True  # no database: every delivery is new


async def test_the_home_panel_is_neutral_data_that_slack_renders(services) -> None:
    from bot.home import HomePanel, build_panel
    from bot.messages import Actor
    from bot.platforms.slack.home import home_view

    actor = Actor("slack", "T1", "U1", "Jo")
    panel = await build_panel(services, actor, None, prefix="/board ")
    assert isinstance(panel, HomePanel) and panel.area_name is None and panel.work == ()
    assert panel.tries[0] == "/board areas" and panel.area_names
    view = home_view(panel)
    assert view["type"] == "home" and "not linked to an area yet" in str(view)
    slug = next(iter(services.knowledge.areas))
    panel = await build_panel(services, actor, slug)
    assert panel.area_name == services.knowledge.area(slug).name and not panel.holds_role
    assert all(not t.startswith("/") for t in panel.tries)


async def test_a_new_platform_is_one_class_and_one_registry_entry(services, monkeypatch) -> None:
    """What docs/architecture.md promises: the registry entry alone puts a platform on the server,
    in ``--platform`` and in ``boardbot status``; nothing else names it."""
    from aiohttp import web

    from bot import status
    from bot.cli.parser import parser as _parser
    from bot.platforms.base import Endpoint
    from bot.web import build_app

    sent: list[object] = []

    class Chat(Platform):
        name = "chat"
        title = "Chat"

        @property
        def enabled(self) -> bool:
            return True

        def status(self) -> str:
            return "on, for the test"

        def endpoints(self) -> list[Endpoint]:
            return [Endpoint("POST /chat/events", "Chat: the test's own")]

        def mount(self, app, services):
            async def events(request: web.Request) -> web.Response:
                return web.Response(text="chat")

            app.router.add_post("/chat/events", events)

            class Sender:
                async def send(self, message):
                    sent.append(message)
                    return None

            return Sender()

    monkeypatch.setattr(registry, "PLATFORMS", (*registry.PLATFORMS, Chat))
    app = build_app(services, from_env({}), background=False)
    assert ("POST", "/chat/events") in {(r.method, r.resource.canonical) for r in app.router.routes()}
    assert "chat" in services.senders and ("POST /chat/events", "Chat: the test's own") in services.endpoints
    assert isinstance(services.platforms["chat"], Chat)  # the core asks the very platforms the server mounted
    assert _parser().parse_args(["admin", "link-workspace", "--area", "a", "--platform", "chat", "--workspace", "w"]).platform == "chat"
    assert status.platforms(from_env({}))["chat"] == "on, for the test"
    assert "Chat: on, for the test" in status.lines({"database": {"url": "u", "kind": "sqlite", "schema_revision": "1",
                                                                  "schema_head": "1", "reachable": True},
                                                     "platforms": status.platforms(from_env({})), "public_url": None,
                                                     "areas": []}, NOW)


def test_slack_with_oauth_names_every_route_it_mounts() -> None:
    """What `serve` prints is every route it opens: with OAuth on, the install page and the redirect too."""
    from bot.platforms.slack import Slack

    oauth = Slack(from_env({"SLACK_SIGNING_SECRET": "s" * 32, "SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c" * 32}))
    assert oauth.settings.slack_oauth
    assert [e.route for e in oauth.endpoints()] == ["POST /slack/events", "GET  /slack/install", "GET  /slack/oauth_redirect"]
    single = Slack(from_env({"SLACK_SIGNING_SECRET": "s" * 32, "SLACK_BOT_TOKEN": "xoxb-1"}))
    assert [e.route for e in single.endpoints()] == ["POST /slack/events"]

"""Slack stand-ins, the way bolt-python's own tests do it: real HTTP on 127.0.0.1.

- ``fake_slack``: a stand-in for the Slack Web API (``/api/<method>``) and for
  ``response_url`` endpoints (``/response/<n>``). It records every call, keeps a per-channel
  history (with message metadata) for ``conversations.history``, and can be told to fail
  the next calls to a method: HTTP 500, 429 + Retry-After, an ``ok: false`` error, or a
  dropped connection after the call took effect (the "did it post?" case).
- ``slack``: boardbot's whole server (``build_app(..., background=False)``) on a test port,
  configured with SLACK_SIGNING_SECRET / SLACK_BOT_TOKEN / SLACK_API_URL pointing at the
  stand-in, with a client that signs requests exactly as Slack does
  (``SignatureVerifier.generate_signature``): form-encoded slash commands and
  interactivity, JSON events, built from the payload samples in ``payloads/``.
- ``slacktest``: a test-only command and actions registered through the core's own
  registries (``bot.commands.command`` / ``bot.actions.action``), so buttons, forms and a
  slow command exist before the workflows do. Removed again after each test.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.signature import SignatureVerifier

PAYLOADS = Path(__file__).parent / "payloads"
SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-1111-2222-boardbot"
TEAM = "T0001BUCKS"
BOT_USER = "U0BOARDBOT"
AREA = "buckinghamshire"


def payload(name: str) -> dict[str, Any]:
    """A saved Slack payload (a fresh copy each time)."""
    return json.loads((PAYLOADS / f"{name}.json").read_text())


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None = None
    at: float = field(default_factory=time.monotonic)


class FakeSlack:
    """The Slack Web API and response_url endpoints, recording every call."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.base = ""
        self.tokens: dict[str, str] = {BOT_TOKEN: TEAM}  # token -> team
        self.history: dict[str, list[dict[str, Any]]] = defaultdict(list)  # newest first, like Slack
        self._failures: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._ts = itertools.count(1)
        self._views = itertools.count(1)
        self.app = web.Application()
        self.app.router.add_route("*", "/api/{method}", self.api)
        self.app.router.add_post("/response/{rid}", self.respond_endpoint)

    # --- test controls --------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base.rstrip("/") + path

    def fail(self, method: str, *outcomes: dict[str, Any]) -> None:
        """Make the next calls to ``method`` fail, one outcome each:
        ``{"status": 500}``, ``{"status": 429, "retry_after": 7}``, ``{"error": "channel_not_found"}``,
        ``{"drop": True}`` (the call takes effect, then the connection is cut before the answer)."""
        self._failures[method].extend(outcomes)

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[Call]:
        deadline = time.monotonic() + within
        while len(self.calls_to(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} call(s) to {method}; got {[c.method for c in self.calls]}")
            await asyncio.sleep(0.01)
        return self.calls_to(method)

    def posts(self) -> list[Call]:
        """Everything that put a message in front of someone."""
        return [c for c in self.calls if c.method in ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")]

    # --- the API ----------------------------------------------------------------------------

    async def api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        for k in ("blocks", "view", "metadata", "attachments"):
            if isinstance(args.get(k), str) and args[k][:1] in "[{":
                args[k] = json.loads(args[k])
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else args.get("token")
        if auth.startswith("Basic "):  # oauth.v2.access sends the app's credentials this way
            user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
            args.setdefault("client_id", user)
            args.setdefault("client_secret", password)
        self.calls.append(Call(method, args, token))
        outcome = self._failures[method].pop(0) if self._failures[method] else None
        if outcome and outcome.get("status") == 429:
            return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                     headers={"Retry-After": str(outcome.get("retry_after", 1))})
        if outcome and "status" in outcome:
            return web.Response(status=outcome["status"], text="upstream connect error")
        if outcome and "error" in outcome:
            return web.json_response({"ok": False, "error": outcome["error"]})
        if method != "oauth.v2.access" and token not in self.tokens:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        body = self._answer(method, args, token)
        if outcome and outcome.get("drop"):
            assert request.transport is not None
            request.transport.close()  # it happened, but the caller never hears so
            return web.Response(status=200)
        return web.json_response(body)

    async def respond_endpoint(self, request: web.Request) -> web.Response:
        """A response_url: Slack replaces or adds a message in the conversation."""
        body = await request.json()
        self.calls.append(Call("response_url", {**body, "_rid": request.match_info["rid"]}))
        outcome = self._failures["response_url"].pop(0) if self._failures["response_url"] else None
        if outcome and "status" in outcome:
            return web.Response(status=outcome["status"])
        return web.Response(text="ok")

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        team = self.tokens.get(token or "", TEAM)
        if method == "auth.test":
            return {"ok": True, "url": "https://bucks-boards.slack.com/", "team": "Bucks boards", "user": "boardbot",
                    "team_id": team, "user_id": BOT_USER, "bot_id": "B0BOARDBOT", "is_enterprise_install": False}
        if method == "chat.postMessage":
            ts = f"{1700001000 + next(self._ts)}.000100"
            msg = {"type": "message", "user": BOT_USER, "bot_id": "B0BOARDBOT", "ts": ts, "text": args.get("text", ""),
                   "blocks": args.get("blocks") or []}
            if args.get("metadata"):
                msg["metadata"] = args["metadata"]
            self.history[args.get("channel", "")].insert(0, msg)
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": msg}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1700001000 + next(self._ts)}.000200"}
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text", "")}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            return {"ok": True, "view": {**(args.get("view") or {}), "id": f"V0VIEW{next(self._views):04d}",
                                         "hash": f"{time.time():.0f}.hash"}}
        if method == "conversations.history":
            limit = int(args.get("limit", 100))
            with_meta = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
            msgs = [m if with_meta else {k: v for k, v in m.items() if k != "metadata"}
                    for m in self.history.get(args.get("channel", ""), [])[:limit]]
            return {"ok": True, "messages": msgs, "has_more": False}
        if method == "users.info":
            return {"ok": True, "user": {"id": args.get("user"), "name": "someone", "real_name": "Some One"}}
        if method == "oauth.v2.access":
            token_ = "xoxb-3333-installed"
            self.tokens[token_] = "T0002SUFFK"
            return {"ok": True, "app_id": "A0BOARDBOT", "authed_user": {"id": "U0ADMIN02"}, "scope": "commands,chat:write",
                    "token_type": "bot", "access_token": token_, "bot_user_id": "U0BOTSUFF",
                    "team": {"id": "T0002SUFFK", "name": "Suffolk boards"}, "enterprise": None,
                    "is_enterprise_install": False}
        return {"ok": False, "error": "unknown_method"}


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    server = TestServer(fake.app, host="127.0.0.1")
    await server.start_server()
    fake.base = str(server.make_url("/"))
    try:
        yield fake
    finally:
        await server.close()


class SlackHarness:
    """boardbot's server plus a client that talks to it the way Slack does."""

    def __init__(self, client: TestClient, fake: FakeSlack, app: web.Application, services: Any) -> None:
        from bot.platforms.slack.app import SLACK

        self.client = client
        self.fake = fake
        self.app = app
        self.platform = app[SLACK]
        self.services = services
        self.verifier = SignatureVerifier(SECRET)
        self._n = itertools.count(1)

    def headers(self, body: str, *, timestamp: int | None = None, content_type: str = "application/json",
                retry: int | None = None) -> dict[str, str]:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        h = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts,
             "X-Slack-Signature": self.verifier.generate_signature(timestamp=ts, body=body) or ""}
        if retry is not None:
            h["X-Slack-Retry-Num"] = str(retry)
            h["X-Slack-Retry-Reason"] = "http_timeout"
        return h

    async def post(self, body: str, headers: dict[str, str]) -> tuple[int, Any]:
        resp = await self.client.post("/slack/events", data=body.encode(), headers=headers)
        text = await resp.text()
        try:
            data: Any = json.loads(text) if text else None
        except ValueError:
            data = text
        return resp.status, data

    def command_body(self, text: str, **overrides: Any) -> str:
        p = payload("slash_command")
        n = next(self._n)
        p.update(text=text, response_url=self.fake.url(f"/response/cmd{n}"),
                 trigger_id=f"70123456789{n:02d}.1234567890123.{n:032x}")
        p.update(overrides)
        return urlencode(p)

    async def command(self, text: str, **overrides: Any) -> tuple[int, Any]:
        """``/board <text>`` as Slack sends it; returns (status, the ack's JSON)."""
        body = self.command_body(text, **overrides)
        return await self.post(body, self.headers(body, content_type="application/x-www-form-urlencoded"))

    async def event(self, data: dict[str, Any], *, retry: int | None = None) -> tuple[int, Any]:
        body = json.dumps(data)
        return await self.post(body, self.headers(body, retry=retry))

    async def interact(self, data: dict[str, Any]) -> tuple[int, Any]:
        body = urlencode({"payload": json.dumps(data)})
        return await self.post(body, self.headers(body, content_type="application/x-www-form-urlencoded"))

    def press(self, blocks: list[dict[str, Any]], label: str, *, message_ts: str = "1700000400.000600",
              ephemeral: bool = False, channel: str = "C0BSCBBIZ") -> dict[str, Any]:
        """The block_actions payload Slack sends when ``label`` is pressed on a message with ``blocks``."""
        for block in blocks:
            for el in block.get("elements", []) if block.get("type") == "actions" else []:
                if el["text"]["text"] == label:
                    p = payload("block_actions")
                    n = next(self._n)
                    p["container"].update(message_ts=message_ts, channel_id=channel, is_ephemeral=ephemeral)
                    p["channel"]["id"] = channel
                    p["response_url"] = self.fake.url(f"/response/act{n}")
                    p["trigger_id"] = f"70123456789{n:02d}.1234567890123.{n:032x}"
                    if ephemeral:
                        p.pop("message")
                    else:
                        p["message"].update(ts=message_ts, blocks=blocks)
                    p["actions"] = [{**{k: el[k] for k in ("action_id", "value", "text", "type")},
                                     "block_id": block["block_id"], "action_ts": f"{time.time():.6f}"}]
                    return p
        raise AssertionError(f"no button {label!r} in {json.dumps(blocks)[:500]}")

    def submission(self, view: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
        """The view_submission payload for the modal boardbot opened, filled in with ``values``."""
        p = payload("view_submission")
        state: dict[str, Any] = {}
        for block in view["blocks"]:
            if block.get("type") != "input":
                continue
            el = block["element"]
            name = block["block_id"]
            v = values.get(name)
            if el["type"] == "static_select":
                opt = next((o for o in el["options"] if o["value"] == v), None)
                state[name] = {el["action_id"]: {"type": "static_select", "selected_option": opt}}
            elif el["type"] == "datepicker":
                state[name] = {el["action_id"]: {"type": "datepicker", "selected_date": v}}
            else:
                state[name] = {el["action_id"]: {"type": "plain_text_input", "value": v}}
        p["view"].update(blocks=view["blocks"], private_metadata=view["private_metadata"],
                         callback_id=view["callback_id"], state={"values": state})
        return p

    async def settle(self) -> None:
        """Let boardbot finish what it does after acking (answers, posts)."""
        await self.platform.drain(within=10)


def slack_env(fake: FakeSlack, sqlite_url: str, **extra: str) -> dict[str, str]:
    return {"DATABASE_URL": sqlite_url, "SLACK_SIGNING_SECRET": SECRET, "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": fake.url("/api/"), **extra}


@pytest.fixture
async def slack(services, fake_slack: FakeSlack, sqlite_url: str) -> AsyncIterator[SlackHarness]:
    from bot.config import from_env
    from bot.web import build_app
    from storage import directory

    settings = from_env(slack_env(fake_slack, sqlite_url))
    async with services.store.session() as s:
        await directory.link_workspace(s, "slack", TEAM, AREA)
        await s.commit()
    app = build_app(services, settings, background=False)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    harness = SlackHarness(client, fake_slack, app, services)
    try:
        yield harness
    finally:
        await harness.settle()
        await client.close()


# --- a test-only command and actions -----------------------------------------------------------


@dataclass
class SlackTest:
    """What the test-only handlers saw, so tests can count how often the core acted."""

    actions: list[Any] = field(default_factory=list)
    slow_seconds: float = 0.0


@pytest.fixture
def slacktest() -> Any:
    """``slacktest form|button|slow|echo <text>`` answer from a test-only command; the form and
    buttons come back to test-only actions. Registered through the core's registries."""
    from bot.actions import ACTIONS, action
    from bot.commands import REGISTRY, Context, command, load_all
    from bot.messages import Button, Field, Form, FormField, Reply, Section, Visibility, error

    load_all()
    original = REGISTRY["guess"]
    seen = SlackTest()

    @command("guess", hidden=True)
    async def guess(ctx: Context) -> Reply:
        words = ctx.phrase.split()
        if words[:1] != ["slacktest"]:
            return await original.handler(ctx)
        what = words[1] if len(words) > 1 else ""
        if what == "form":
            return Reply(text="Tell us about it.", form=Form(
                action="slacktest.submit", title="A test form with a long title", submit_label="Send",
                context={"area": AREA, "origin": "form"}, intro="Fill this in <!channel>",
                fields=(FormField("subject", "Subject"), FormField("detail", "Detail", "long_text", required=False),
                        FormField("board", "Board", "choice", choices=(("bscb", "BSCB"), ("bsab", "BSAB"))),
                        FormField("when", "When", "date", required=False))))
        if what == "button":
            return Reply(text="Pick one.", title="Buttons", buttons=(
                Button("Ping", "slacktest.ping", {"area": AREA, "n": 1}, style="primary"),
                Button("Refuse", "slacktest.refuse", {"area": AREA}),
                Button("Big", "slacktest.ping", {"area": AREA, "blob": "x" * 2500})))
        if what == "slow":
            await asyncio.sleep(seen.slow_seconds)
            return Reply(text="That took a while.", title="Slow answer")
        if what == "echo":
            raw = ctx.request.text.split("echo", 1)[-1].strip()
            return Reply(text=f"You said: {raw}", title=f"Echo {raw}",
                         sections=(Section(f"You said: {raw}", heading=raw, fields=(Field(raw, raw),)),),
                         visibility=Visibility.CHANNEL if "loud" in words else Visibility.PRIVATE)
        return error("unknown slacktest")

    @action("slacktest.ping")
    async def ping(ctx: Context) -> Reply:
        seen.actions.append(("ping", dict(ctx.request.value), ctx.request.actor.user_id))
        return Reply(text=f"Pinged {len(seen.actions)} time(s).", title="Pinged")

    @action("slacktest.refuse")
    async def refuse(ctx: Context) -> Reply:
        seen.actions.append(("refuse", dict(ctx.request.value), ctx.request.actor.user_id))
        return error("Only the chair can do that.")

    @action("slacktest.submit")
    async def submit(ctx: Context) -> Reply:
        v = dict(ctx.request.value)
        seen.actions.append(("submit", v, ctx.request.request_id))
        if not (v.get("subject") or "").strip() or v.get("subject") == "bad":
            return error("Give a subject.", data={"field_errors": {"subject": "Required"}})
        return Reply(text=f"Recorded: {v['subject']} for {v.get('board')}.", title="Recorded",
                     visibility=Visibility.CHANNEL if v.get("board") == "bsab" else Visibility.PRIVATE)

    try:
        yield seen
    finally:
        REGISTRY["guess"] = original
        for name in ("slacktest.ping", "slacktest.refuse", "slacktest.submit"):
            ACTIONS.pop(name, None)


@pytest.fixture
def slack_payload() -> Any:
    """``slack_payload("event_app_mention")``: a fresh copy of a saved Slack payload."""
    return payload



@pytest.fixture
async def slack_server(services, fake_slack: FakeSlack, sqlite_url: str) -> AsyncIterator[Any]:
    """Start boardbot's server with other settings: ``harness = await slack_server(SLACK_CLIENT_ID="…")``
    (a setting given as "" is removed)."""
    from bot.config import from_env
    from bot.web import build_app

    started: list[SlackHarness] = []

    async def start(**env: str) -> SlackHarness:
        settings = {k: v for k, v in slack_env(fake_slack, sqlite_url, **env).items() if v != ""}
        app = build_app(services, from_env(settings), background=False)
        client = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        started.append(SlackHarness(client, fake_slack, app, services))
        return started[-1]

    try:
        yield start
    finally:
        for h in started:
            await h.settle()
            await h.client.close()


@pytest.fixture
async def slack_db(db_url: str, fake_slack: FakeSlack) -> AsyncIterator[SlackHarness]:
    """Like ``slack``, once on SQLite and once on PostgreSQL (``db_url``): for what rests on the database."""
    from bot.bootstrap import open_services
    from bot.config import from_env
    from bot.web import build_app
    from storage import directory

    env = {"DATABASE_URL": db_url, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake_slack.url("/api/"),
           "SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "shh"}
    settings = from_env(env)
    services = await open_services(settings)
    async with services.store.session() as s:
        await directory.link_workspace(s, "slack", TEAM, AREA)
        await s.commit()
    app = build_app(services, settings, background=False)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    harness = SlackHarness(client, fake_slack, app, services)
    try:
        # installed through the OAuth store on this database, not a token from the environment
        from slack_sdk.oauth.installation_store import Installation

        await harness.platform.installation_store.async_save(Installation(
            app_id="A0BOARDBOT", enterprise_id=None, team_id=TEAM, bot_token=BOT_TOKEN, bot_id="B0BOARDBOT",
            bot_user_id=BOT_USER, user_id="U0ADMIN01", bot_scopes=["commands", "chat:write"]))
        yield harness
    finally:
        await harness.settle()
        await client.close()
        await services.close()


# --- two areas, two workspaces --------------------------------------------------------------------

SUFFOLK_TEAM = "T0002SUFFK"
SUFFOLK_TOKEN = "xoxb-4444-5555-suffolk"
# who is who in each workspace: user id -> (team, name, area, roles, admin)
TWO_AREA_PEOPLE = {
    "U0CHAIR01": (TEAM, "Jo Smith", "buckinghamshire", {"chair:bscb"}, False),
    "U0HWBMGR1": (TEAM, "Sam Lee", "buckinghamshire", {"business_manager:hwb"}, False),
    "U0SUFFCHR": (SUFFOLK_TEAM, "Sue Chair", "suffolk", {"chair:hwb", "business_manager:hwb", "director"}, False),
    "U0SUFFADM": (SUFFOLK_TEAM, "Sid Admin", "suffolk", {"chair:lscb"}, True),
}
TWO_AREA_CHANNELS = {  # channel -> (team, area, purpose, board)
    "C0BSCBBIZ": (TEAM, "buckinghamshire", "board", "bscb"), "C0HWBBIZ1": (TEAM, "buckinghamshire", "board", "hwb"),
    "C0DIRECTRS": (TEAM, "buckinghamshire", "directors", ""),
    "C0SUFFHWB": (SUFFOLK_TEAM, "suffolk", "board", "hwb"), "C0SUFFLSC": (SUFFOLK_TEAM, "suffolk", "board", "lscb"),
}


@pytest.fixture
async def two_areas(db_url: str, fake_slack: FakeSlack) -> AsyncIterator[SlackHarness]:
    """boardbot serving Buckinghamshire (workspace T0001BUCKS) and Suffolk (T0002SUFFK), each linked to
    its own workspace, installed through the OAuth store, with its people and channels; on SQLite
    and PostgreSQL. ``harness.command(text, team_id=SUFFOLK_TEAM, user_id=...)`` speaks from Suffolk."""
    from slack_sdk.oauth.installation_store import Installation

    from bot.bootstrap import open_services
    from bot.config import from_env
    from bot.web import build_app
    from storage import directory

    fake_slack.tokens[SUFFOLK_TOKEN] = SUFFOLK_TEAM
    env = {"DATABASE_URL": db_url, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": fake_slack.url("/api/"),
           "SLACK_CLIENT_ID": "111.222", "SLACK_CLIENT_SECRET": "shh"}
    settings = from_env(env)
    services = await open_services(settings)
    async with services.store.session() as s, s.begin():
        await directory.link_workspace(s, "slack", TEAM, "buckinghamshire")
        await directory.link_workspace(s, "slack", SUFFOLK_TEAM, "suffolk")
        for user, (team, name, area, roles, admin) in TWO_AREA_PEOPLE.items():
            await directory.upsert_person(s, area_slug=area, platform="slack", workspace=team, user_id=user, display_name=name,
                                          add_roles=frozenset(roles), is_admin=admin or None)
        for channel, (team, area, purpose, board) in TWO_AREA_CHANNELS.items():
            await directory.link_channel(s, area_slug=area, platform="slack", workspace=team, channel_id=channel,
                                         purpose=purpose, board_key=board)
    app = build_app(services, settings, background=False)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    harness = SlackHarness(client, fake_slack, app, services)
    try:
        for team, token, bot_user in ((TEAM, BOT_TOKEN, BOT_USER), (SUFFOLK_TEAM, SUFFOLK_TOKEN, "U0BOTSUFF")):
            await harness.platform.installation_store.async_save(Installation(
                app_id="A0BOARDBOT", enterprise_id=None, team_id=team, bot_token=token, bot_id="B0BOARDBOT",
                bot_user_id=bot_user, user_id="U0INSTALL", bot_scopes=["commands", "chat:write"]))
        yield harness
    finally:
        await harness.settle()
        await client.close()
        await services.close()


def from_workspace(p: dict[str, Any], team: str, user: str) -> dict[str, Any]:
    """An interactivity payload as Slack sends it when ``user`` of workspace ``team`` acts."""
    p = json.loads(json.dumps(p))
    p["user"] = {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team}
    p["team"] = {"id": team, "domain": team.lower()}
    if isinstance(p.get("view"), dict):
        p["view"]["team_id"] = team
    return p

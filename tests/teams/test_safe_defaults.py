"""Teams is never unauthenticated by default, and unauthenticated only on this machine when asked.

- No ``MicrosoftAppId`` and nothing else: ``POST /api/messages`` is off (401, unread), so a
  Slack-only deployment is not a relay anyone can aim (the request that once made boardbot
  POST its reply to ``http://127.0.0.1:9999`` now gets 401 and nothing is sent).
- ``BOARDBOT_TEAMS_UNAUTHENTICATED=1`` needs ``HOST`` on loopback (the Docker image's
  ``0.0.0.0`` is refused at start), answers only callers on this machine, and replies and
  posts only to loopback service URLs.
- ``boardbot serve`` says which endpoints are open and how each is protected.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import ClientSession
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.config import ConfigError, from_env
from bot.messages import Reply
from scheduler.outbox import Outgoing, PermanentSendError
from storage.models import ConversationRef, ProcessedRequest

from .standin import APP_ID, APP_PASSWORD, link_tenant, payload

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


async def stored(services) -> tuple[int, int]:
    async with services.store.session() as s:
        return ((await s.execute(select(func.count()).select_from(ConversationRef))).scalar_one(),
                (await s.execute(select(func.count()).select_from(ProcessedRequest))).scalar_one())


async def test_with_no_settings_teams_is_off_and_cannot_be_aimed_at_an_address(services, sqlite_url, connector):
    from bot.web import build_app

    settings = from_env({"DATABASE_URL": sqlite_url})  # what `boardbot serve` and the Docker image get by default
    assert settings.teams_mode == "off"
    await link_tenant(services)
    async with TestClient(TestServer(build_app(services, settings, background=False))) as client:
        body = payload("personal_message", connector)  # serviceUrl: the stand-in, on 127.0.0.1
        resp = await client.post("/api/messages", json=body)
        assert resp.status == 401
        resp = await client.post("/api/messages", data=b"[" * 100_000, headers={"Content-Type": "application/json"})
        assert resp.status == 401
        resp = await client.post("/slack/events", data=b"[" * 100_000, headers={"Content-Type": "application/json"})
        assert resp.status == 401  # Slack is off too: nothing answers platform requests by default
    assert connector.calls == []
    assert await stored(services) == (0, 0)
    assert "teams" not in services.senders  # and the outbox has no unauthenticated way to post either


def test_unauthenticated_teams_must_be_asked_for_and_needs_loopback() -> None:
    base = {"DATABASE_URL": "sqlite:////tmp/x.db"}
    assert from_env(base).teams_mode == "off"
    assert from_env({**base, "HOST": "127.0.0.1"}).teams_mode == "off"  # loopback alone is not asking
    for host in ("127.0.0.1", "::1", "localhost"):
        assert from_env({**base, "HOST": host, "BOARDBOT_TEAMS_UNAUTHENTICATED": "1"}).teams_mode == "local"
    for host in ("0.0.0.0", "", "10.1.2.3", "::", "boardbot.example.org"):
        env = {**base, "BOARDBOT_TEAMS_UNAUTHENTICATED": "true", **({"HOST": host} if host else {})}
        with pytest.raises(ConfigError, match="HOST"):
            from_env(env)
    with pytest.raises(ConfigError, match="BOARDBOT_TEAMS_UNAUTHENTICATED"):
        from_env({**base, "HOST": "127.0.0.1", "BOARDBOT_TEAMS_UNAUTHENTICATED": "maybe"})
    with pytest.raises(ConfigError, match="MicrosoftAppId"):
        from_env({**base, "HOST": "127.0.0.1", "BOARDBOT_TEAMS_UNAUTHENTICATED": "1",
                  "MicrosoftAppId": APP_ID, "MicrosoftAppPassword": APP_PASSWORD})
    assert from_env({**base, "MicrosoftAppId": APP_ID, "MicrosoftAppPassword": APP_PASSWORD}).teams_mode == "jwt"
    assert from_env({**base, "HOST": "127.0.0.1", "BOARDBOT_TEAMS_UNAUTHENTICATED": "0"}).teams_mode == "off"


def test_the_docker_image_never_runs_an_open_teams_endpoint() -> None:
    env = dict(re.findall(r"^\s*(?:ENV\s+)?([A-Z_]+)=(\S+?)\s*\\?$", (ROOT / "Dockerfile").read_text(), re.M))
    assert env["HOST"] == "0.0.0.0"
    assert from_env(env).teams_mode == "off"
    with pytest.raises(ConfigError, match="HOST"):
        from_env({**env, "BOARDBOT_TEAMS_UNAUTHENTICATED": "1"})


async def test_local_mode_replies_only_to_loopback_service_urls(teams, connector, services):
    for url in ("https://smba.trafficmanager.net/uk/", "http://10.0.0.5:9999/", "http://127.0.0.1.evil.example/"):
        resp = await teams.post("/api/messages", json=payload("personal_message", connector, serviceUrl=url))
        assert resp.status == 401, url
    assert connector.calls == []
    assert await stored(services) == (0, 0)
    resp = await teams.post("/api/messages", json=payload("personal_message", connector))
    assert resp.status == 200 and len(connector.posts) == 1  # a loopback serviceUrl is answered


async def test_local_mode_never_posts_proactively_beyond_this_machine(teams, connector, services):
    from bot.platforms.teams.ondemand import TEAMS_KEY

    platform = await teams.server.app[TEAMS_KEY].platform()
    ref = {"serviceUrl": "https://smba.trafficmanager.net/uk/", "channelId": "msteams",
           "conversation": {"id": "19:abc@thread.tacv2", "conversationType": "channel"},
           "bot": {"id": "28:bot", "name": "boardbot"}}
    message = Outgoing(1, "k", "teams", "t", "19:abc@thread.tacv2", Reply(text="hello"), ref,
                       dt.datetime.now(dt.UTC), False, 1)
    with pytest.raises(PermanentSendError, match="this machine"):
        await platform.sender.send(message)
    assert connector.calls == []


def _other_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith("127.") else addr


async def test_local_mode_answers_no_caller_from_another_machine(services, sqlite_url, connector):
    from bot.config import Settings
    from bot.web import build_app

    addr = _other_address()
    if addr is None:
        pytest.skip("this machine has no address besides loopback to call from")
    await link_tenant(services)
    # listening everywhere is refused by from_env; built by hand, the per-request check still holds
    settings = Settings(database_url=sqlite_url, host="127.0.0.1", teams_unauthenticated=True)
    server = TestServer(build_app(services, settings, background=False), host="0.0.0.0")
    await server.start_server()
    try:
        async with ClientSession() as http:
            async with http.post(f"http://{addr}:{server.port}/api/messages", json=payload("personal_message", connector)) as r:
                assert r.status == 401
            async with http.post(f"http://127.0.0.1:{server.port}/api/messages", json=payload("personal_message", connector)) as r:
                assert r.status == 200
    finally:
        await server.close()
    assert len(connector.posts) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve_banner(env: dict[str, str], tmp_path: Path) -> str:
    """What ``boardbot serve`` prints at start, up to its list of endpoints."""
    import threading

    full = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}", "PORT": str(_free_port()), **env}
    proc = subprocess.Popen([str(Path(sys.executable).parent / "boardbot"), "serve"], env=full, cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    watchdog = threading.Timer(60, proc.kill)  # a server that never prints is stopped, not waited for
    watchdog.start()
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if "/calendar/personal/" in line:
                break
    finally:
        watchdog.cancel()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return "".join(lines)


def test_serve_says_which_endpoints_are_open_and_how_they_are_protected(tmp_path):
    banner = _serve_banner({"HOST": "0.0.0.0"}, tmp_path)
    assert re.search(r"POST /slack/events\s+Slack: off: every request 401", banner), banner
    assert re.search(r"POST /api/messages\s+Teams: off: every request 401", banner), banner
    assert re.search(r"GET  /healthz\s+open", banner) and "/calendar/<area>.ics" in banner, banner

    banner = _serve_banner({"HOST": "127.0.0.1", "BOARDBOT_TEAMS_UNAUTHENTICATED": "1",
                                  "SLACK_SIGNING_SECRET": "s3cret", "SLACK_BOT_TOKEN": "xoxb-1-2"}, tmp_path)
    assert re.search(r"POST /slack/events\s+Slack: requests signed with SLACK_SIGNING_SECRET", banner), banner
    assert re.search(r"POST /api/messages\s+Teams: UNAUTHENTICATED, local only", banner), banner

    banner = _serve_banner({"HOST": "0.0.0.0", "MicrosoftAppId": APP_ID, "MicrosoftAppPassword": "x"}, tmp_path)
    assert re.search(rf"POST /api/messages\s+Teams: Bot Framework tokens for app id {APP_ID}", banner), banner


def test_serve_refuses_to_start_unauthenticated_teams_on_an_open_address(tmp_path):
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path),
           "HOST": "0.0.0.0", "BOARDBOT_TEAMS_UNAUTHENTICATED": "1"}
    done = subprocess.run([str(Path(sys.executable).parent / "boardbot"), "serve"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "BOARDBOT_TEAMS_UNAUTHENTICATED" in done.stderr and "HOST" in done.stderr

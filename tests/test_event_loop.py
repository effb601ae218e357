"""``boardbot serve`` runs on uvloop where it is installed, on asyncio's own loop when
``BOARDBOT_EVENT_LOOP=asyncio`` asks for it, and a setting it cannot honour stops it with a
message that says how to fix it."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time

import aiohttp
import pytest

from bot.cli.server import loop_factory
from bot.config import ConfigError, from_env


def test_an_unknown_event_loop_setting_is_refused_with_the_choices():
    with pytest.raises(ConfigError, match=r"BOARDBOT_EVENT_LOOP must be one of auto, uvloop, asyncio, not 'trio'"):
        from_env({"BOARDBOT_EVENT_LOOP": "trio"})
    assert from_env({"BOARDBOT_EVENT_LOOP": " AsyncIO "}).event_loop == "asyncio"
    assert from_env({}).event_loop == "auto"


def test_serve_stops_at_once_on_an_unknown_event_loop(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}", "BOARDBOT_EVENT_LOOP": "fastest"}
    done = subprocess.run([sys.executable, "-m", "bot.cli", "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "BOARDBOT_EVENT_LOOP must be one of auto, uvloop, asyncio" in done.stderr
    assert not (tmp_path / "b.db").exists()  # nothing was started


def test_uvloop_is_used_where_installed_and_asked_for_only_where_it_is(monkeypatch):
    uvloop = pytest.importorskip("uvloop")
    assert loop_factory("auto") is uvloop.new_event_loop
    assert loop_factory("uvloop") is uvloop.new_event_loop
    assert loop_factory("asyncio") is None
    monkeypatch.setitem(sys.modules, "uvloop", None)  # as on a machine without it (Windows)
    assert loop_factory("auto") is None
    with pytest.raises(ConfigError, match="pip install uvloop, or set BOARDBOT_EVENT_LOOP=asyncio"):
        loop_factory("uvloop")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _serve_until_ready(tmp_path, setting: str | None) -> str:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / f'{setting}.db'}", "HOST": "127.0.0.1",
           "PORT": str(port)}
    env.pop("BOARDBOT_EVENT_LOOP", None)
    if setting is not None:
        env["BOARDBOT_EVENT_LOOP"] = setting
    log = tmp_path / f"{setting}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve"], env=env, stdout=out,  # noqa: ASYNC220
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        async with aiohttp.ClientSession() as http:
            while True:
                assert time.monotonic() < deadline and proc.poll() is None, log.read_text(errors="replace")
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                        if resp.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.05)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
    return log.read_text(errors="replace")


@pytest.mark.slow
async def test_serve_says_which_event_loop_it_runs_on(tmp_path):
    pytest.importorskip("uvloop")
    assert "event loop uvloop" in await _serve_until_ready(tmp_path, None)
    assert "event loop asyncio" in await _serve_until_ready(tmp_path, "asyncio")

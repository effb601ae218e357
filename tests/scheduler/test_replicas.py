"""Several processes, one database: each reminder posted once, across replicas and a kill -9.

The processes are real servers (``boardbot serve``, or tests/scheduler/replica.py: the same
server with short leases) posting through the real Slack sender to the stand-in Slack Web
API, which runs in the test on 127.0.0.1 and counts what reaches each channel.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from schedtest import slack_standin

from storage import directory
from storage.models import ReminderRule
from storage.store import Store

AREA = "buckinghamshire"
CHANNELS = {"bscb": "C0BSCB", "bsab": "C0BSAB"}
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[2]
REPLICA = Path(__file__).resolve().with_name("replica.py")


def tail(log: Path) -> str:
    return log.read_text()[-3000:] if log.exists() else ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Standin:
    """The stand-in Slack Web API, optionally slow to answer a post (after it has taken effect)."""

    def __init__(self, delay: float = 0.0) -> None:
        standin = slack_standin()

        class SlowSlack(standin.FakeSlack):
            async def api(inner, request):  # noqa: N805 - a method of the inner class
                resp = await standin.FakeSlack.api(inner, request)
                if request.match_info["method"] == "chat.postMessage" and delay:
                    await asyncio.sleep(delay)
                return resp

        self.module = standin
        self.fake = SlowSlack()
        self.server = TestServer(self.fake.app, host="127.0.0.1")

    async def __aenter__(self) -> Standin:
        await self.server.start_server()
        self.fake.base = str(self.server.make_url("/"))
        return self

    async def __aexit__(self, *exc) -> None:
        await self.server.close()

    def keys(self, prefix: str = "rule:") -> Counter:
        """How many times each delivery key reached a channel."""
        out: Counter = Counter()
        for messages in self.fake.history.values():
            for m in messages:
                key = ((m.get("metadata") or {}).get("event_payload") or {}).get("key", "")
                if key.startswith(prefix):
                    out[key] += 1
        return out

    def order(self, channel: str) -> list[str]:
        return [m["metadata"]["event_payload"]["key"] for m in reversed(self.fake.history.get(channel, []))
                if (m.get("metadata") or {}).get("event_payload")]


def env_for(db_url: str, standin: Standin, port: int, home: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""), "HOME": str(home), "XDG_DATA_HOME": str(home),
        "DATABASE_URL": db_url, "HOST": "127.0.0.1", "PORT": str(port),
        "SLACK_SIGNING_SECRET": standin.module.SECRET, "SLACK_BOT_TOKEN": standin.module.BOT_TOKEN,
        "SLACK_API_URL": standin.fake.url("/api/"), "BOARDBOT_TICK_SECONDS": "0.5",
    }


def start(cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log.open("ab"), stderr=subprocess.STDOUT)


async def wait_healthy(port: int, proc: subprocess.Popen, log: Path, within: float = 30.0) -> None:
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"server exited: {tail(log)}"
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError(f"server on {port} did not come up: {tail(log)}")


async def prepare(db_url: str, standin: Standin) -> None:
    store = await Store.open(db_url)
    try:
        async with store.session() as s:
            for board, channel in CHANNELS.items():
                await directory.link_channel(s, area_slug=AREA, platform="slack", workspace=standin.module.TEAM,
                                             channel_id=channel, purpose="board", board_key=board)
            await s.commit()
    finally:
        await store.close()


async def schedule_many(db_url: str, n: int, first: float, spacing: float) -> list[int]:
    """``n`` one-off reminders due from ``first`` seconds from now, ``spacing`` apart, alternating between two boards."""
    store = await Store.open(db_url, load_bundled=False)
    now = dt.datetime.now(dt.UTC)
    ids = []
    try:
        async with store.session() as s:
            aid = await directory.area_id(s, AREA)
            for i in range(n):
                board = list(CHANNELS)[i % 2]
                at = now + dt.timedelta(seconds=first + i * spacing)
                row = ReminderRule(area_id=aid, key=f"test:{i}", origin="user", title=f"Reminder {i:02d}", body="",
                                   recurrence={"kind": "at", "at": at.isoformat(), "since": now.isoformat()},
                                   audience=[f"board:{board}"], lead_days=[0], local_time=at.strftime("%H:%M"),
                                   public=False, active=True, created_by="test", created_at=now, updated_at=now)
                s.add(row)
                await s.flush()
                ids.append(row.id)
            await s.commit()
    finally:
        await store.close()
    return ids


async def wait_for(standin: Standin, count: int, within: float) -> None:
    deadline = time.monotonic() + within
    while sum(standin.keys().values()) < count and time.monotonic() < deadline:  # noqa: ASYNC110 - polling
        await asyncio.sleep(0.05)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_servers_on_one_postgresql_post_each_reminder_once(db_url, tmp_path) -> None:
    n = 30
    async with Standin() as standin:
        await prepare(db_url, standin)
        procs, ports = [], [free_port(), free_port()]
        try:
            for i, port in enumerate(ports):
                log = tmp_path / f"serve{i}.log"
                procs.append((start([str(BIN / "boardbot"), "serve"], env_for(db_url, standin, port, tmp_path), tmp_path, log), log))
            for (proc, log), port in zip(procs, ports, strict=True):
                await wait_healthy(port, proc, log)
            await schedule_many(db_url, n, first=2.0, spacing=0.3)
            await wait_for(standin, n // 2, within=30)
            # one replica stops (a rolling deploy): the other carries on
            stop(procs[0][0])
            await wait_for(standin, n, within=60)
            await asyncio.sleep(2)  # anything doubled would arrive by now
        finally:
            for proc, _ in procs:
                stop(proc)
        got = standin.keys()
        assert len(got) == n and set(got.values()) == {1}, got
        for channel in CHANNELS.values():
            order = standin.order(channel)
            assert order == sorted(order, key=lambda k: int(k.split(":")[1])), order  # in due order per channel


@pytest.mark.slow
async def test_kill_9_mid_send_loses_nothing_and_doubles_nothing(sqlite_url, tmp_path) -> None:
    n = 24
    async with Standin(delay=0.4) as standin:
        await prepare(sqlite_url, standin)
        port = free_port()
        log = tmp_path / "replica.log"
        cmd = [sys.executable, str(REPLICA)]
        env = {**env_for(sqlite_url, standin, port, tmp_path), "PYTHONPATH": str(ROOT)}
        proc = start(cmd, env, tmp_path, log)
        try:
            await wait_healthy(port, proc, log)
            await schedule_many(sqlite_url, n, first=1.5, spacing=0.25)
            # kill -9 the moment the 6th post reaches Slack: its answer is still on the way back
            deadline = time.monotonic() + 30
            while len(standin.fake.calls_to("chat.postMessage")) < 6 and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.005)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            posted_before = sum(standin.keys().values())
            await asyncio.sleep(2.0)  # more fall due while it is down
            proc = start(cmd, env, tmp_path, log)
            await wait_healthy(port, proc, log)
            await wait_for(standin, n, within=60)
            await asyncio.sleep(2)
        finally:
            stop(proc)
        got = standin.keys()
        assert 0 < posted_before < n
        assert len(got) == n and set(got.values()) == {1}, (got, tail(log))
        # the post cut short was found in the channel (by its key), not posted again
        assert len(standin.fake.calls_to("conversations.history")) >= 1
        assert len(standin.fake.calls_to("chat.postMessage")) == n
        for channel in CHANNELS.values():
            order = standin.order(channel)
            assert order == sorted(order, key=lambda k: int(k.split(":")[1])), order

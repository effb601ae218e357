"""Real ``boardbot serve`` processes sharing one database, a stand-in Slack, and kill -9.

Helpers for ``test_replicas.py`` and ``benchmarks/takeover.py``: the stand-in Slack Web API
(counting what reaches each channel, in order), starting and stopping servers, scheduling
one-off reminders straight into the database, and :func:`kill_the_holder`, which measures
how long a dead replica's channels wait before another replica posts for them.
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
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from aiohttp.test_utils import TestServer
from schedtest import slack_standin
from sqlalchemy import text

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

    def rule_posts(self) -> list:
        """The chat.postMessage calls that carried the test's own reminders (not the area's own posts)."""
        return [c for c in self.fake.calls_to("chat.postMessage")
                if ((c.args.get("metadata") or {}).get("event_payload") or {}).get("key", "").startswith("rule:")]

    def order(self, channel: str, prefix: str = "rule:") -> list[str]:
        """The delivery keys of the test's own reminders (``rule:<id>…``) in the order they reached ``channel``;
        the area's own posts (an overdue review, say) are not the test's to order."""
        return [k for m in reversed(self.fake.history.get(channel, []))
                if (k := ((m.get("metadata") or {}).get("event_payload") or {}).get("key", "")).startswith(prefix)]


def env_for(db_url: str, standin: Standin, port: int, home: Path, tick: str = "0.5") -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""), "HOME": str(home), "XDG_DATA_HOME": str(home),
        "DATABASE_URL": db_url, "HOST": "127.0.0.1", "PORT": str(port),
        "SLACK_SIGNING_SECRET": standin.module.SECRET, "SLACK_BOT_TOKEN": standin.module.BOT_TOKEN,
        "SLACK_API_URL": standin.fake.url("/api/"), "BOARDBOT_TICK_SECONDS": tick,
    }


def start(cmd: list[str], env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=env, cwd=cwd, stdout=log.open("ab"), stderr=subprocess.STDOUT)


# a server is healthy only once ready: migrated, indexed and its calendar planned, which on a
# machine busy with other work can take well over the half minute that starting alone took
async def wait_healthy(port: int, proc: subprocess.Popen, log: Path, within: float = 90.0) -> None:
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


async def schedule_many(db_url: str, n: int, first: float, spacing: float) -> dict[int, dt.datetime]:
    """``n`` one-off reminders due from ``first`` seconds from now, ``spacing`` apart, alternating between two
    boards; returns when each is due, by rule id."""
    store = await Store.open(db_url, load_bundled=False)
    now = dt.datetime.now(dt.UTC)
    ids: dict[int, dt.datetime] = {}
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
                ids[row.id] = at
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


async def lease_holder(db_url: str, name: str = "outbox") -> str:
    store = await Store.open(db_url, load_bundled=False)
    try:
        async with store.session() as s:
            return (await s.execute(text("SELECT holder FROM leases WHERE name = :n"), {"n": name})).scalar() or ""
    finally:
        await store.close()


@dataclass
class Takeover:
    """What one kill -9 of the replica holding the outbox did."""

    database: str
    seconds: float  # from the kill to the next post reaching Slack
    late: float  # the worst due-to-posted delay of any reminder due after the kill
    posted_before: int
    keys: Counter = field(default_factory=Counter)
    in_order: bool = True


async def kill_the_holder(db_url: str, home: Path, *, n: int = 36, spacing: float = 0.5,
                          kill_after: int = 10, tick: str = "15") -> Takeover:
    """Two ``boardbot serve`` on ``db_url`` (default settings but the tick), reminders falling due every
    ``spacing`` seconds; once ``kill_after`` have reached Slack, the replica holding the outbox lease is
    killed with SIGKILL mid-stream and the other carries on."""
    async with Standin(delay=0.05) as standin:
        await prepare(db_url, standin)
        ports = [free_port(), free_port()]
        procs: list[tuple[subprocess.Popen, Path]] = []
        try:
            for i, port in enumerate(ports):
                log = home / f"takeover{i}.log"
                env = env_for(db_url, standin, port, home, tick=tick)
                procs.append((start([str(BIN / "boardbot"), "serve"], env, home, log), log))
                await wait_healthy(port, *procs[-1])
            due = await schedule_many(db_url, n, first=20.0, spacing=spacing)  # after the first change check
            await wait_for(standin, kill_after, within=90)
            holder = await lease_holder(db_url)
            victim = next((p for p, _ in procs if f":{p.pid}:" in holder), procs[0][0])
            victim.send_signal(signal.SIGKILL)
            killed = time.monotonic()
            victim.wait()
            posted_before = len(standin.rule_posts())
            await wait_for(standin, n, within=120)
            await asyncio.sleep(2)  # anything doubled would arrive by now
        finally:
            for proc, _ in procs:
                stop(proc)
        posts = standin.rule_posts()
        after = [c.at for c in posts if c.at > killed]
        wall = time.time() - time.monotonic()  # the stand-in stamps calls with the monotonic clock
        late = 0.0
        for c in posts:
            key = ((c.args.get("metadata") or {}).get("event_payload") or {}).get("key", "")
            at = due.get(int(key.split(":")[1])) if key.startswith("rule:") else None
            if at is not None and at.timestamp() >= killed + wall:
                late = max(late, c.at + wall - at.timestamp())
        in_order = all(standin.order(ch) == sorted(standin.order(ch), key=lambda k: int(k.split(":")[1]))
                       for ch in CHANNELS.values())
        return Takeover(database=db_url.split(":", 1)[0], seconds=(after[0] - killed) if after else float("inf"),
                        late=late, posted_before=posted_before, keys=standin.keys(), in_order=in_order)

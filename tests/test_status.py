"""``boardbot status``, ``/``, and a ``/healthz`` that says ready only when the calendar is planned."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import socket
import subprocess
import sys
import time

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import update

from bot.config import from_env
from bot.messages import Reply
from bot.notify import Target
from bot.review import review_status
from storage import directory
from storage.models import Delivery
from storage.store import Store

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def _with_password(url: str) -> str:
    """The same database with a password in the URL (trust auth ignores it; SQLite has none)."""
    return url.replace("postgresql://postgres@", "postgresql://postgres:hunter2secret@") if url.startswith("postgresql") else url


async def test_status_names_database_channels_outbox_revisions_and_overdue_review(db_url) -> None:
    from bot import status
    from bot.knowledge import Knowledge
    from scheduler.outbox import enqueue

    url = _with_password(db_url)
    store = await Store.open(url)
    try:
        async with store.session() as s:
            await directory.link_channel(s, area_slug="buckinghamshire", platform="slack", workspace="T1",
                                         channel_id="C-BSCB", purpose="board", board_key="bscb")
            await directory.link_workspace(s, "slack", "T1", "buckinghamshire")
            await s.commit()
            for key in ("a", "b"):
                await enqueue(s, area_slug="buckinghamshire", target=Target.board("bscb"), reply=Reply(text="x"),
                              key=key, origin="admin", due_at=NOW - dt.timedelta(hours=1))
            await s.execute(update(Delivery).where(Delivery.key.like("b%")).values(status="failed", last_error="channel_not_found"))
            await s.commit()
        settings = from_env({"DATABASE_URL": url, "SLACK_SIGNING_SECRET": "s", "SLACK_BOT_TOKEN": "xoxb-1"})
        report = await status.collect(store, Knowledge(await store.protocols()), settings, NOW)
        text = "\n".join(status.lines(report, NOW))
    finally:
        await store.close()
    assert "hunter2secret" not in text
    kind = "postgresql" if db_url.startswith("postgresql") else "sqlite"
    assert f"({kind}, schema revision" in text
    assert "Slack: on, single workspace" in text
    bucks = text.split("Buckinghamshire (buckinghamshire)")[1].split("\n\n")[0]
    assert "Workspaces: slack T1" in bucks
    assert "Channel for BSCB: slack:C-BSCB" in bucks
    assert "Boards with no channel (their notices wait): BSAB, HWB, SSBPB" in bucks
    assert "No directors' channel" in bucks
    assert "Outbox: 1 waiting, 1 failed, 0 sent" in bucks
    assert "Last failure: C-BSCB: channel_not_found" in bucks
    assert "revision 1 of 1 (bundled" in bucks
    assert "due for review by 31 January 2018" in bucks and "8 years and 9 months ago" in bucks
    suffolk = text.split("Suffolk (suffolk)")[1]
    assert "Outbox: 0 waiting, 0 failed" in suffolk and "the protocol states no review date" in suffolk


def test_review_status_from_the_protocol_and_recorded_dates(knowledge) -> None:
    bucks = knowledge.area("buckinghamshire").protocol
    today = dt.date(2026, 11, 23)
    st = review_status(bucks, {}, today)
    assert st.overdue and st.due == dt.date(2018, 1, 31)
    # a review recorded after the protocol's date: due a year on from it
    later = review_status(bucks, {"protocol_reviewed": dt.date(2026, 3, 1)}, today)
    assert not later.overdue and later.due == dt.date(2027, 3, 1)
    lancs = knowledge.area("lancashire").protocol
    assert review_status(lancs, {"protocol_reviewed": dt.date(2025, 6, 1)}, today).overdue
    assert not review_status(lancs, {}, today).overdue  # nothing to count from: not claimed overdue
    assert not review_status(knowledge.area("suffolk").protocol, {}, today).overdue


def test_status_cli_and_admin_commands_say_which_database(tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bb.db'}"}
    r = subprocess.run([sys.executable, "-m", "bot.cli", "status"], capture_output=True, text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert f"Database: sqlite:///{tmp_path / 'bb.db'} (sqlite" in r.stdout
    assert "Teams:" in r.stdout and "Central Bedfordshire (central-bedfordshire)" in r.stdout
    for args in (["protocol", "list"], ["admin", "directory", "--area", "suffolk"]):
        out = subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=env, timeout=60)
        assert out.returncode == 0, out.stderr
        assert out.stdout.splitlines()[0] == f"Database: sqlite:///{tmp_path / 'bb.db'} (sqlite)"


async def test_healthz_and_calendar_wait_until_the_calendar_is_planned(services, sqlite_url, monkeypatch) -> None:
    from bot import calendar_feeds as calendar_web
    from bot.bootstrap import plan_calendar
    from bot.readiness import Readiness
    from bot.web import build_app

    monkeypatch.setattr(calendar_web, "WAIT_FOR_PLAN_SECONDS", 0.2)
    gate = asyncio.Event()

    async def plan_when_let() -> None:
        await gate.wait()
        await plan_calendar(services)

    readiness = services.readiness = Readiness()
    readiness.add("calendar", plan_when_let)
    app = build_app(services, from_env({"DATABASE_URL": sqlite_url}), background=False)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        readiness.start()
        health = await client.get("/healthz")
        assert health.status == 503 and health.headers["Retry-After"]
        assert (await health.json())["waiting_for"] == ["calendar"]
        feed = await client.get("/calendar/buckinghamshire.ics")
        assert feed.status == 503 and feed.headers["Retry-After"] == "5"
        gate.set()
        assert await readiness.wait(10)
        assert (await client.get("/healthz")).status == 200
        body = await (await client.get("/calendar/buckinghamshire.ics")).text()
        assert body.count("BEGIN:VEVENT") > 20
        await readiness.stop()


async def test_healthz_names_a_failing_start_up_step_but_not_its_error(services, sqlite_url) -> None:
    """/healthz is open to anyone: an exception's text (SQL, parameters, hosts, user names) stays in the log."""
    from bot.readiness import Readiness
    from bot.web import build_app

    async def fail() -> None:
        raise RuntimeError('connection to "db.internal:5432" failed for user "boardbot" password "hunter2"')

    readiness = services.readiness = Readiness()
    readiness.add("calendar", fail)
    app = build_app(services, from_env({"DATABASE_URL": sqlite_url}), background=False)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        readiness.start()
        for _ in range(50):
            if readiness.failures():
                break
            await asyncio.sleep(0.05)
        health = await client.get("/healthz")
        text = await health.text()
        await readiness.stop()
    assert health.status == 503 and (await health.json())["waiting_for"] == ["calendar"]
    assert "calendar" in (await health.json())["problems"]
    for secret in ("hunter2", "db.internal", "RuntimeError"):
        assert secret not in text, text


async def test_root_is_a_page_naming_the_service(services, sqlite_url) -> None:
    from bot.web import build_app

    app = build_app(services, from_env({"DATABASE_URL": sqlite_url}), background=False)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        resp = await client.get("/")
        assert resp.status == 200 and resp.content_type == "text/html"
        html = await resp.text()
        assert "boardbot" in html and 'href="/healthz"' in html and 'href="/calendar/suffolk.ics"' in html


async def test_an_answer_that_repeats_the_path_stays_plain_text(services, sqlite_url) -> None:
    from bot.web import build_app

    app = build_app(services, from_env({"DATABASE_URL": sqlite_url}), background=False)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        for path in ("/calendar/%3Cscript%3Ealert(1)%3C%2Fscript%3E.ics", "/reports/x.md", "/healthz", "/"):
            resp = await client.get(path)
            assert resp.headers.get("X-Content-Type-Options") == "nosniff", (path, dict(resp.headers))
        resp = await client.get("/calendar/%3Cscript%3Ealert(1)%3C%2Fscript%3E.ics")
        assert resp.status == 404 and resp.content_type == "text/plain"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.e2e
async def test_a_fresh_server_says_ready_only_with_a_full_calendar(tmp_path) -> None:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}", "HOST": "127.0.0.1", "PORT": str(port),
           "BOARDBOT_TEAMS_UNAUTHENTICATED": "1"}
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve"], env=env, stdout=out,  # noqa: ASYNC220
                                stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120  # generous: a loaded CI machine starts slowly
        async with aiohttp.ClientSession() as http:
            while True:
                assert time.monotonic() < deadline, "the server never became ready:\n" + log.read_text(errors="replace")
                assert proc.poll() is None, "the server stopped:\n" + log.read_text(errors="replace")
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as resp:
                        if resp.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.02)
            # the first moment it says ready, every area's feed has its dates
            for area in ("buckinghamshire", "suffolk", "lancashire", "central-bedfordshire"):
                async with http.get(f"http://127.0.0.1:{port}/calendar/{area}.ics") as resp:
                    assert resp.status == 200
                    assert (await resp.text()).count("BEGIN:VEVENT") > 3, area
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=90)  # a loaded machine stops slowly; a hang still fails the test
        except subprocess.TimeoutExpired:
            proc.kill()
            raise

"""iCalendar feeds: the area's public calendar, personal feeds behind revocable tokens, and the export command."""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.messages import Actor, Request
from bot.router import handle
from scheduler.calendar import Event
from scheduler.ical import calendar_text, fold

NOW = dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC)


def parse_ics(body: bytes) -> dict:
    """A tiny RFC 5545 reader: checks line endings and folding, unfolds, and nests components."""
    text = body.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    raw = text.split("\r\n")[:-1]
    for line in raw:
        assert len(line.encode("utf-8")) <= 75, line
    lines: list[str] = []
    for line in raw:
        if line.startswith(" "):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    root: dict = {"name": "ROOT", "props": [], "children": []}
    stack = [root]
    for line in lines:
        name_params, _, value = line.partition(":")
        name, *params = name_params.split(";")
        if name == "BEGIN":
            comp = {"name": value, "props": [], "children": []}
            stack[-1]["children"].append(comp)
            stack.append(comp)
        elif name == "END":
            assert stack.pop()["name"] == value, f"END:{value} closes the wrong component"
        else:
            stack[-1]["props"].append((name, dict(p.split("=", 1) for p in params), value))
    assert len(stack) == 1, "unclosed component"
    (cal,) = root["children"]
    return cal


def props(comp: dict, name: str) -> list[tuple[dict, str]]:
    return [(p, v) for n, p, v in comp["props"] if n == name]


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def _settings(sqlite_url: str):
    from bot.config import from_env

    return from_env({"DATABASE_URL": sqlite_url, "BOARDBOT_PUBLIC_URL": "https://boards.example"})


@pytest.fixture
async def services(sqlite_url):
    """As ``boardbot serve`` builds them, with a public address for the feed links."""
    from bot.bootstrap import open_services

    s = await open_services(_settings(sqlite_url))
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
async def web(services, sqlite_url):
    from bot.web import build_app

    services.clock = lambda: NOW
    app = build_app(services, _settings(sqlite_url), background=False)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    await services.calendar.tick()  # as a server does at start: the protocols' rules are synced
    try:
        yield client
    finally:
        await client.close()


async def say(services, text: str, roles: frozenset[str], user: str = "jo", area: str = "buckinghamshire"):
    """As a person the area's directory knows with ``roles`` (as ``admin link-user`` would record them)."""
    from storage import directory

    async with services.store.session() as s, s.begin():
        await directory.upsert_person(s, area_slug=area, platform="slack", workspace="T1", user_id=user, add_roles=roles)
    actor = Actor.holding("slack", "T1", user, user.title(), area=area, roles=roles)
    return await handle(Request(text=text, actor=actor, area=area, platform="slack"), services)


async def test_the_area_feed_is_valid_icalendar_with_the_protocols_dates(web) -> None:
    resp = await web.get("/calendar/buckinghamshire.ics")
    assert resp.status == 200 and resp.content_type == "text/calendar"
    cal = parse_ics(await resp.read())
    assert cal["name"] == "VCALENDAR"
    assert props(cal, "VERSION") == [({}, "2.0")] and props(cal, "PRODID")
    (tz,) = [c for c in cal["children"] if c["name"] == "VTIMEZONE"]
    assert props(tz, "TZID") == [({}, "Europe/London")]
    events = [c for c in cal["children"] if c["name"] == "VEVENT"]
    assert len(events) > 20
    uids = [props(e, "UID")[0][1] for e in events]
    assert len(set(uids)) == len(uids)
    for e in events:
        assert props(e, "DTSTAMP")[0][1].endswith("Z") and props(e, "DTSTART") and props(e, "SUMMARY")
    officers = [e for e in events if props(e, "SUMMARY")[0][1] == "Officers meeting"]
    starts = [props(e, "DTSTART")[0] for e in officers]
    # the first Tuesdays of each quarter at 10:00 London time, from 90 days back
    assert starts[:2] == [({"TZID": "Europe/London"}, "20261006T100000"), ({"TZID": "Europe/London"}, "20270105T100000")]
    assert "3 Officers Meeting" in unescape(props(officers[0], "DESCRIPTION")[0][1])
    autumn = [props(e, "DTSTART")[0] for e in events if props(e, "SUMMARY")[0][1].startswith("BSCB Annual Report")]
    assert autumn == [({"VALUE": "DATE"}, "20260901"), ({"VALUE": "DATE"}, "20270901"), ({"VALUE": "DATE"}, "20280901")]
    # fetched again: the same UIDs (subscribers' calendars update rather than duplicate)
    again = parse_ics(await (await web.get("/calendar/buckinghamshire.ics")).read())
    assert [props(e, "UID")[0][1] for e in again["children"] if e["name"] == "VEVENT"] == uids


async def test_fetching_a_feed_writes_nothing_the_calendar_keeps_it_in_step(web, services) -> None:
    from sqlalchemy import event, update

    from storage.models import Area

    writes: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    link = await say(services, "calendar link", frozenset({"business_manager:bscb"}))
    async with services.store.session() as s:  # the area moves its meetings to 14:00
        await s.execute(update(Area).where(Area.slug == "buckinghamshire")
                        .values(settings={"calendar": {"meeting_time": "14:00"}}))
        await s.commit()
    engine = services.store.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert (await web.get("/calendar/buckinghamshire.ics")).status == 200
        assert (await web.get(link.data["path"])).status == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert writes == []  # a GET (subscribed calendars poll often) only reads
    calendar = services.calendar
    calendar.invalidate()  # its next look for changes (every few seconds when serving)
    await calendar.tick()
    cal = parse_ics(await (await web.get("/calendar/buckinghamshire.ics")).read())
    officers = [e for e in cal["children"] if e["name"] == "VEVENT" and props(e, "SUMMARY")[0][1] == "Officers meeting"]
    assert props(officers[0], "DTSTART")[0] == ({"TZID": "Europe/London"}, "20261006T140000")


async def test_an_unknown_area_is_404(web) -> None:
    resp = await web.get("/calendar/unknown.ics")
    assert resp.status == 404
    assert "buckinghamshire" in await resp.text()


async def test_private_dates_are_only_in_the_personal_feed_until_it_is_revoked(web, services) -> None:
    bm = frozenset({"business_manager:bscb"})
    assert (await say(services, "remind BSCB 2026-12-01 09:30 chase the CCG for its return", bm)).ok
    area = (await (await web.get("/calendar/buckinghamshire.ics")).read()).decode()
    assert "chase the CCG" not in area and "CLASS:PRIVATE" not in area
    link = await say(services, "calendar link", bm)
    assert link.text.splitlines()[1] == f"https://boards.example{link.data['path']}"
    resp = await web.get(link.data["path"])
    assert resp.status == 200 and resp.headers["Cache-Control"].startswith("private")
    mine = parse_ics(await resp.read())
    titles = {props(e, "SUMMARY")[0][1]: e for e in mine["children"] if e["name"] == "VEVENT"}
    private = titles["chase the CCG for its return"]
    assert props(private, "CLASS")[0][1] == "PRIVATE"
    assert props(private, "DTSTART")[0] == ({"TZID": "Europe/London"}, "20261201T093000")
    assert "Officers meeting" in titles  # and the protocol's dates for the BSCB
    # another board's business manager does not get the BSCB's private date
    other = await say(services, "calendar link", frozenset({"business_manager:hwb"}), user="sam")
    theirs = (await (await web.get(other.data["path"])).read()).decode()
    assert "chase the CCG" not in theirs
    await say(services, "calendar revoke", bm)
    assert (await web.get(link.data["path"])).status == 404
    assert (await web.get("/calendar/personal/not-a-real-token.ics")).status == 404


async def test_an_answered_occurrence_is_restamped_so_subscribed_calendars_refresh_it(web, services) -> None:
    from schedtest import press

    from bot.workflows.reminder_posts import reminder_buttons

    bm = frozenset({"business_manager:bscb"})
    added = await say(services, "remind BSCB every Monday 08:15 weekly check", bm)
    link = await say(services, "calendar link", bm)

    async def entries() -> dict[str, dict]:
        cal = parse_ics(await (await web.get(link.data["path"])).read())
        return {props(e, "DTSTART")[0][1]: e for e in cal["children"]
                if e["name"] == "VEVENT" and props(e, "SUMMARY")[0][1] == "weekly check"}

    before = await entries()
    later = NOW + dt.timedelta(hours=3)
    services.clock = lambda: later
    rule = added.data["rule_id"]
    done = reminder_buttons(rule, "buckinghamshire", dt.datetime(2026, 11, 30, 8, 15, tzinfo=dt.UTC))[0]
    assert (await press(services, done, roles=bm)).ok
    skip = reminder_buttons(rule, "buckinghamshire", dt.datetime(2026, 12, 7, 8, 15, tzinfo=dt.UTC))[3]
    assert (await press(services, type("B", (), {"action": "reminder.skip_reason"})(), roles=bm,
                        value={**skip.value, "reason": "no meeting that week"})).ok
    after = await entries()
    stamp = later.strftime("%Y%m%dT%H%M%SZ")
    for start in ("20261130T081500", "20261207T081500"):  # answered: a newer DTSTAMP and LAST-MODIFIED
        assert props(after[start], "DTSTAMP")[0][1] == stamp > props(before[start], "DTSTAMP")[0][1]
        assert props(after[start], "LAST-MODIFIED")[0][1] == stamp
    assert props(after["20261207T081500"], "STATUS")[0][1] == "CANCELLED"
    assert props(after["20261214T081500"], "DTSTAMP") == props(before["20261214T081500"], "DTSTAMP")  # not answered


def test_long_lines_are_folded_without_splitting_a_character() -> None:
    line = "SUMMARY:" + "Children\u2019s Trust " * 12
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts) and len(parts) > 2
    assert "".join([parts[0], *(p[1:] for p in parts[1:])]) == line
    text = calendar_text([Event(uid="u1", start=NOW, title="a, b; c\\d\ne")], name="x", now=NOW)
    (event,) = [c for c in parse_ics(text.encode())["children"] if c["name"] == "VEVENT"]
    assert props(event, "SUMMARY")[0][1] == "a\\, b\\; c\\\\d\\ne" and unescape(props(event, "SUMMARY")[0][1]) == "a, b; c\\d\ne"


def test_boardbot_calendar_export_writes_the_area_feed(sqlite_url, tmp_path, monkeypatch, capsys) -> None:
    from bot.cli import main

    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "suffolk.ics"
    assert main(["calendar", "export", "--area", "Suffolk", "--out", str(out)]) == 0
    cal = parse_ics(out.read_bytes())
    summaries = [props(e, "SUMMARY")[0][1] for e in cal["children"] if e["name"] == "VEVENT"]
    assert any("LSCB Independent Chair" in s for s in summaries)
    assert "dates written to" in capsys.readouterr().err
    assert main(["calendar", "export", "--area", "nowhere"]) == 2

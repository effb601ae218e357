"""The year in one document: the figures of a seeded year, on both databases, and the files they make."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from sqlalchemy import select

from bot.knowledge import Knowledge
from scheduler.calendar import ensure_synced
from scheduler.timeutil import local_to_utc
from storage import directory
from storage.models import (
    AgendaRequest,
    AuditEvent,
    BoardMeeting,
    Challenge,
    OccurrenceState,
    ReminderRule,
)
from storage.store import Store

START, END = dt.date(2025, 4, 1), dt.date(2026, 3, 31)
NOW = dt.datetime(2026, 4, 15, 9, 0, tzinfo=dt.UTC)
AREA = "buckinghamshire"


def at(day: str, hhmm: str = "10:00") -> dt.datetime:
    return local_to_utc(dt.date.fromisoformat(day), dt.time.fromisoformat(hhmm))


async def seed(store: Store) -> None:
    """A year of the BSCB's partnership work, as the workflows would have left it."""
    async with store.session() as s:
        aid = await directory.area_id(s, AREA)
        await ensure_synced(s, AREA, NOW)
        for rule in (await s.execute(select(ReminderRule).where(ReminderRule.area_id == aid))).scalars():
            rule.recurrence = {**rule.recurrence, "since": "2025-01-01T00:00:00+00:00"}  # the rules were there all year
        n = 0

        def challenge(frm: str, to: str, subject: str, raised: str, status: str, rung: int = 0, outcome: str | None = None):
            nonlocal n
            n += 1
            rung_key = ["written_request", "agenda_item", "chairs_meeting", "resolution_meeting"][rung]
            c = Challenge(area_id=aid, number=n, idempotency_key=f"seed:{n}", from_board=frm, to_board=to, subject=subject,
                          concern="c", response_sought="r", raised_by="Chair", raised_by_user="console:chair", status=status,
                          rung_index=rung, rung_key=rung_key, created_at=at(raised), updated_at=at(raised), outcome=outcome)
            s.add(c)
            return c

        def event(c: Challenge, kind: str, day: str, **detail):
            s.add(AuditEvent(area_id=aid, subject_type="challenge", subject_id=c.id, at=at(day, "11:00"), actor="someone",
                             kind=kind, detail=detail))

        c1 = challenge("bscb", "hwb", "CSE in the JSNA", "2025-05-06", "resolved", outcome="JSNA chapter added")
        c2 = challenge("bscb", "bsab", "Transitions at 18", "2025-07-01", "open", rung=1)
        c3 = challenge("hwb", "bscb", "Early help data", "2025-09-02", "withdrawn", outcome="answered elsewhere")
        c4 = challenge("ssbpb", "bscb", "Knife crime and schools", "2025-11-04", "responded")
        challenge("bscb", "hwb", "Before the year", "2024-12-02", "resolved")  # outside the period
        challenge("bsab", "hwb", "Not the BSCB's", "2025-06-03", "open")  # not the BSCB's
        await s.flush()
        event(c1, "raised", "2025-05-06", due=at("2025-06-03", "17:00").isoformat())
        event(c1, "responded", "2025-05-20", text="ok")  # 10 working days: within the 20
        event(c1, "resolved", "2025-06-10", text="JSNA chapter added")
        event(c2, "raised", "2025-07-01", due=at("2025-07-29", "17:00").isoformat())
        event(c2, "window-passed", "2025-07-30")
        event(c2, "escalated", "2025-08-05", **{"from": "written_request", "to": "agenda_item"})
        event(c3, "raised", "2025-09-02", due=at("2025-09-30", "17:00").isoformat())
        event(c3, "time-agreed", "2025-09-25", days=10, due=at("2025-10-14", "17:00").isoformat())
        event(c3, "responded", "2025-10-10", text="here")  # after the first due date, within the agreed one
        event(c4, "raised", "2025-11-04", due=at("2025-12-02", "17:00").isoformat())
        event(c4, "responded", "2025-12-09", text="late")  # a week after the window
        meeting = BoardMeeting(area_id=aid, board_key="bsab", starts_at=at("2025-10-07"), title="Autumn", created_by="bm")
        s.add(meeting)
        await s.flush()
        for number, frm, to, title, day, status, extra in (
            (1, "bscb", "bsab", "Challenge C2: Transitions at 18", "2025-08-05", "accepted", {"meeting_id": meeting.id, "challenge_id": c2.id}),
            (2, "hwb", "bscb", "Health visiting", "2026-01-10", "declined", {"decision_reason": "covered in March"}),
            (3, "bscb", "ssbpb", "Prevent duty", "2026-02-01", "requested", {}),
            (4, "bscb", "hwb", "After the year", "2026-04-02", "requested", {}),  # outside the period
        ):
            s.add(AgendaRequest(area_id=aid, number=number, idempotency_key=f"seed-a:{number}", from_board=frm, to_board=to,
                                title=title, reason="why", status=status, requested_by="Chair", requested_by_user="console:c",
                                created_at=at(day), updated_at=at(day), **extra))
        rules = {r.key: r for r in (await s.execute(select(ReminderRule).where(ReminderRule.area_id == aid))).scalars()}
        # the BSCB's annual report (due 1 September) was marked done; one officers' meeting was "not this time"
        s.add(OccurrenceState(rule_id=rules["report:bscb:bscb_annual_report:autumn:1"].id, occurs_at=at("2025-09-01", "09:00"),
                              state="done", by="bm", at=at("2025-09-20")))
        s.add(OccurrenceState(rule_id=rules["meeting:officers_quarterly"].id, occurs_at=at("2025-07-01"),
                              state="skipped", reason="combined with the chairs' meeting", by="bm", at=at("2025-06-20")))
        await s.commit()


@pytest.fixture
async def seeded(db_url):
    store = await Store.open(db_url)
    await seed(store)
    try:
        yield store, Knowledge(await store.protocols())
    finally:
        await store.close()


async def test_the_figures_of_a_seeded_year(seeded) -> None:
    from bot.reports.year import gather

    store, knowledge = seeded
    async with store.session() as s:
        fig = await gather(s, knowledge.area(AREA), "bscb", START, END, NOW)
    s_ = fig.summary()
    assert s_["challenges_raised"] == 2 and s_["challenges_received"] == 2
    assert [c.number for c in fig.raised()] == [1, 2] and [c.number for c in fig.received()] == [3, 4]
    assert s_["raised_outcomes"] == {"resolved": 1, "withdrawn": 0, "open": 1}
    assert s_["received_outcomes"] == {"resolved": 0, "withdrawn": 1, "open": 1}
    ladder = [r.title for r in knowledge.area(AREA).ladder]
    assert s_["raised_by_rung"] == {ladder[0]: 1, ladder[1]: 1, ladder[2]: 0, ladder[3]: 0}
    # the other boards answered C1 in time and never answered C2; the BSCB answered C3 within the
    # extended window and C4 late
    assert s_["responses_to_our_challenges"] == {"responded": 1, "within_window": 1, "late_or_unanswered": 1,
                                                 "median_working_days": 10}
    c3, c4 = fig.received()
    assert c3.within_window is True and c3.response_days == 28
    assert c4.within_window is False and c4.response_days == 25
    assert s_["our_responses"]["within_window"] == 1 and s_["our_responses"]["late_or_unanswered"] == 1
    assert s_["agenda_requested"] == {"total": 2, "accepted": 1, "deferred": 0, "declined": 0, "withdrawn": 0, "requested": 1}
    assert s_["agenda_received"] == {"total": 1, "accepted": 0, "deferred": 0, "declined": 1, "withdrawn": 0, "requested": 0}
    (a1,) = [a for a in fig.agenda if a.number == 1]
    assert a1.from_challenge == 2 and a1.meeting == at("2025-10-07")
    # the BSCB Annual Report, presented to its partner boards, once in the year and marked done
    (report,) = fig.reports
    assert report.report == "BSCB Annual Report" and {"BSAB", "HWB", "SSBPB"} <= set(report.to)
    assert len(report.due) == 1 and len(report.done) == 1
    # the officers' quarterly meeting fell due four times: one "not this time", three never answered
    officers = [m for m in fig.missed if m.title == "Officers meeting"]
    assert len(officers) == 3
    assert [t for t, _, _ in fig.reminders_not_this_time] == ["Officers meeting"]
    assert "BSCB Annual Report" not in " ".join(m.title for m in fig.missed)
    assert s_["reminders_due"] == s_["reminders_done"] + s_["reminders_not_this_time"] + s_["reminders_missed"]
    assert s_["reminders_done"] == 1
    months, counts = fig.by_rung_and_month()
    assert len(months) == 12 and months[0] == "2025-04"
    assert counts[ladder[0]][months.index("2025-05")] == 1 and counts[ladder[1]][months.index("2025-07")] == 1
    assert sum(sum(v) for v in counts.values()) == 4


async def test_the_draft_in_markdown_and_word_carries_the_figures_and_the_chart(seeded) -> None:
    from docx import Document

    from bot.reports import render
    from bot.reports.year import gather

    store, knowledge = seeded
    async with store.session() as s:
        fig = await gather(s, knowledge.area(AREA), "bscb", START, END, NOW)
    draft = render.draft(fig)
    md = draft.markdown
    assert md.startswith("# Partnership working and challenge — Buckinghamshire Safeguarding Children Board (BSCB)")
    assert "Challenges raised by the BSCB: 2 (resolved 1, withdrawn 0, still open 1)" in md
    assert "| C4 | SSBPB | Knife crime and schools |" in md and "outside the 20-working-day window, due Tue 02 Dec 2025" in md and "within the 20-working-day window, extended, due Tue 14 Oct 2025" in md
    assert "accepted onto the meeting of" in md and "(step of challenge C2)" in md
    assert "![Challenges by month and step reached](data:image/png;base64," in md
    assert draft.png.startswith(b"\x89PNG")
    doc = Document(io.BytesIO(draft.docx))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Challenges received by the BSCB: 2 (resolved 0, withdrawn 1, still open 1)" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Knife crime and schools" in cells and "Officers meeting" in cells
    with zipfile.ZipFile(io.BytesIO(draft.docx)) as z:
        images = [n for n in z.namelist() if n.startswith("word/media/")]
        assert images and z.read(images[0]) == draft.png


async def test_what_a_chair_typed_stays_text_in_the_other_board_s_draft(seeded) -> None:
    import dataclasses

    from bot.reports import render
    from bot.reports.year import gather

    store, knowledge = seeded
    async with store.session() as s:
        fig = await gather(s, knowledge.area(AREA), "bscb", START, END, NOW)
    trick = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) & co"
    fig = dataclasses.replace(fig, challenges=[dataclasses.replace(c, subject=trick) for c in fig.challenges])
    md = render.markdown(fig, b"")
    assert "<img" not in md and not re.search(r"(?<!\\)\]\(javascript:", md)  # no tag, and no link Markdown would make
    assert "&lt;img src=x onerror=alert(1)&gt; \\[click\\](javascript:alert(1)) &amp; co" in md


def test_matplotlib_and_docx_stay_off_the_start_up_path() -> None:
    import subprocess
    import sys

    code = ("import sys, bot.cli, bot.router, bot.commands, bot.web; bot.commands.load_all(); "
            "print(sorted(m for m in ('matplotlib', 'docx') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


async def _ask(services, text: str, roles: frozenset[str], platform: str = "slack", private_possible: bool = True):
    from bot.messages import Actor, Request
    from bot.router import handle

    actor = Actor.holding(platform, "T1", "U1", "Jo Bloggs", area=AREA, roles=roles)
    return await handle(Request(text=text, actor=actor, area=AREA, platform=platform, private_possible=private_possible),
                        services)


async def test_report_year_in_chat_gives_the_figures_and_a_private_link_that_downloads_the_draft(services, sqlite_url) -> None:
    from aiohttp.test_utils import TestClient, TestServer
    from docx import Document

    from bot.config import from_env
    from bot.messages import Visibility
    from bot.web import build_app

    await seed(services.store)
    services.clock = lambda: NOW
    services.public_url = "https://boards.example"  # as BOARDBOT_PUBLIC_URL sets it
    app = build_app(services, from_env({"DATABASE_URL": sqlite_url, "BOARDBOT_PUBLIC_URL": "https://boards.example"}),
                    background=False)
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        reply = await _ask(services, "report year 2025-04-01 2026-03-31", frozenset({"business_manager:bscb"}))
        assert reply.ok, reply.text
        assert reply.visibility == Visibility.PERSONAL  # the link is a secret: never shown in a channel
        assert "Challenges raised by the BSCB: 2 (resolved 1, withdrawn 0, still open 1)" in reply.text
        assert reply.data["summary"]["agenda_requested"]["accepted"] == 1
        docx_url = next(w for w in reply.text.split() if w.endswith(".docx"))
        assert docx_url.startswith("https://boards.example/reports/")
        resp = await client.get(docx_url.removeprefix("https://boards.example"))
        assert resp.status == 200 and "attachment" in resp.headers["Content-Disposition"]
        doc = Document(io.BytesIO(await resp.read()))
        assert any("Challenges received by the BSCB: 2" in p.text for p in doc.paragraphs)
        md = await client.get(docx_url.removeprefix("https://boards.example").replace(".docx", ".md"))
        assert md.status == 200 and "Knife crime and schools" in await md.text()
        # a guessed or altered token finds nothing
        assert (await client.get("/reports/" + "A" * 43 + ".docx")).status == 404
        # in a Teams channel nothing can be shown to one person alone: the figures, and where to ask for the links
        teams = await _ask(services, "report year 2025-04-01 2026-03-31", frozenset({"business_manager:bscb"}),
                           platform="teams", private_possible=False)
        assert teams.ok and "/reports/" not in teams.text and "1:1 chat" in teams.text
        assert "Challenges raised by the BSCB: 2" in teams.text


async def test_report_year_is_for_the_people_who_speak_for_the_board(services) -> None:
    await seed(services.store)
    services.clock = lambda: NOW
    member = await _ask(services, "report year 2025-04-01 2026-03-31 BSCB", frozenset())
    assert not member.ok and "chair, business manager or delegated officer" in member.text
    other = await _ask(services, "report year 2025-04-01 2026-03-31 BSCB", frozenset({"chair:hwb"}))
    assert not other.ok and "BSCB" in other.text
    both = await _ask(services, "report year 2025-04-01 2026-03-31", frozenset({"chair:hwb", "business_manager:bscb"}))
    assert not both.ok and "which one" in both.text
    hwb = await _ask(services, "report year 2025-04-01 2026-03-31 HWB", frozenset({"chair:hwb", "business_manager:bscb"}))
    assert hwb.ok and "Challenges received by the HWB: 2" in hwb.text  # C1 and C6 (C5 is before the period)
    bad = await _ask(services, "report year 2026-03-31 2025-04-01", frozenset({"business_manager:bscb"}))
    assert not bad.ok and "ends before it starts" in bad.text


async def test_report_year_in_the_terminal_names_the_command_that_writes_the_files(services) -> None:
    await seed(services.store)
    services.clock = lambda: NOW
    reply = await _ask(services, "report year 2025-04-01 2026-03-31", frozenset({"chair:bscb"}), platform="console")
    assert reply.ok
    assert "boardbot report year --area buckinghamshire --board BSCB 2025-04-01 2026-03-31 --out" in reply.text


@pytest.mark.e2e
def test_report_year_cli_writes_markdown_word_and_chart(tmp_path) -> None:
    import asyncio
    import os
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'bb.db'}"

    async def prepare() -> None:
        store = await Store.open(url)
        await seed(store)
        await store.close()

    asyncio.run(prepare())
    out = tmp_path / "bscb-2025.docx"
    r = subprocess.run([sys.executable, "-m", "bot.cli", "report", "year", "--area", "buckinghamshire", "--board", "BSCB",
                        "2025-04-01", "2026-03-31", "--out", str(out)], capture_output=True, text=True,
                       env={**os.environ, "DATABASE_URL": url}, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "Challenges raised by the BSCB: 2" in r.stdout
    for ext in ("md", "docx", "png"):
        assert (tmp_path / f"bscb-2025.{ext}").stat().st_size > 1000
    bad = subprocess.run([sys.executable, "-m", "bot.cli", "report", "year", "--area", "buckinghamshire", "--board", "XYZ",
                          "2025-04-01", "2026-03-31"], capture_output=True, text=True, env={**os.environ, "DATABASE_URL": url},
                         timeout=120)
    assert bad.returncode == 2 and "no board 'XYZ'" in bad.stderr

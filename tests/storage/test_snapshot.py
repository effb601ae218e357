"""``boardbot ask`` reads the protocols with sqlite3 (:mod:`storage.snapshot`): it must read what
the store reads, answer exactly as the store-backed path does, and step aside whenever opening
the store would do something."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bot.bootstrap import open_services
from bot.config import from_env
from bot.messages import Actor, Request
from bot.platforms.console.terminal import render
from bot.router import handle
from storage import snapshot
from storage.migrate import head_revision
from storage.models import AreaDate
from storage.protocol.loader import bundled_protocol_paths
from storage.revisions import current_marker, review_dates
from storage.store import Store


def _read(url: str) -> snapshot.Snapshot | None:
    return snapshot.read(url, head=head_revision(), bundled=bundled_protocol_paths())


async def _record(url: str, slug: str, key: str, on: dt.date) -> None:
    store = await Store.open(url)
    try:
        async with store.session() as s, s.begin():
            from storage.directory import area_id

            s.add(AreaDate(area_id=await area_id(s, slug), key=key, on=on, recorded_by="test", at=dt.datetime.now(dt.UTC)))
    finally:
        await store.close()


async def test_the_snapshot_reads_what_the_store_reads(sqlite_url) -> None:
    await _record(sqlite_url, "buckinghamshire", "protocol_reviewed", dt.date(2019, 3, 1))
    await _record(sqlite_url, "buckinghamshire", "protocol_reviewed", dt.date(2020, 5, 2))
    await _record(sqlite_url, "suffolk", "protocol_signed", dt.date(2024, 7, 1))
    await _record(sqlite_url, "suffolk", "risk_register", dt.date(2024, 8, 1))  # not a review date
    full, quick = await Store.open(sqlite_url), await Store.open_to_read(sqlite_url)
    try:
        def seen(stored):
            return [(p.sha256, p.area, p.protocol, [(t.key, t.name, t.aliases) for t in p.theme_names], p.load())
                    for p in stored]

        assert seen(await quick.stored_protocols()) == seen(await full.stored_protocols())
        async with full.session() as s:
            assert await quick.marker() == await current_marker(s)
            for slug in ("buckinghamshire", "suffolk", "lancashire", "nowhere"):
                assert await quick.review_dates(slug) == await review_dates(s, slug)
        assert await quick.review_dates("buckinghamshire") == {"protocol_reviewed": dt.date(2020, 5, 2)}
        assert quick._engine is None  # nothing above needed SQLAlchemy
    finally:
        await full.close()
        await quick.close()


async def test_once_the_database_is_used_reads_see_what_was_written(sqlite_url) -> None:
    quick = await Store.open_to_read(sqlite_url)
    try:
        assert await quick.review_dates("lancashire") == {}
        async with quick.session() as s, s.begin():  # e.g. "remind reviewed protocol 2026-11-30"
            from storage.directory import area_id

            s.add(AreaDate(area_id=await area_id(s, "lancashire"), key="protocol_reviewed", on=dt.date(2026, 11, 30),
                           recorded_by="test", at=dt.datetime.now(dt.UTC)))
        assert await quick.review_dates("lancashire") == {"protocol_reviewed": dt.date(2026, 11, 30)}
    finally:
        await quick.close()


def _ask(services, text: str, *, area: str = "buckinghamshire", roles=frozenset(), admin: bool = False):
    actor = Actor.holding("console", "console", "console:you", "you", roles=roles, admin=admin)
    return handle(Request(text=text, actor=actor, area=area, platform="console"), services)


QUESTIONS = [
    ("who leads on CSE?", "buckinghamshire"), ("who chairs the adults board?", "suffolk"), ("boards", "lancashire"),
    ("when is the protocol due for review?", "buckinghamshire"), ("who leads on modern slavery?", "lancashire"),
    ("calendar", "buckinghamshire"), ("who leads on CSE in Suffolk?", "buckinghamshire"), ("help", "suffolk"),
]


async def test_answers_read_through_the_snapshot_are_the_store_backed_answers(sqlite_url) -> None:
    await _record(sqlite_url, "suffolk", "protocol_reviewed", dt.date(2020, 1, 15))
    settings = from_env({"DATABASE_URL": sqlite_url})
    for text, area in QUESTIONS:
        full, quick = await open_services(settings), await open_services(settings, to_read=True)
        try:
            assert render(await _ask(quick, text, area=area)) == render(await _ask(full, text, area=area)), text
        finally:
            await full.close()
            await quick.close()


async def test_a_command_that_writes_through_the_snapshot_path_finds_the_outbox_wired(sqlite_url) -> None:
    settings = from_env({"DATABASE_URL": sqlite_url})
    services = await open_services(settings, to_read=True)
    try:
        assert services.notifier is None and services.calendar is None  # a lookup needs neither
        first = await _ask(services, "who leads on CSE?")
        assert "was due for review" in first.text
        recorded = await _ask(services, "remind reviewed protocol 2026-11-20", admin=True)
        assert "Recorded" in recorded.text, recorded.text
        assert services.notifier is not None and services.calendar is not None and "calendar" in services.jobs
        after = await _ask(services, "who leads on CSE?")
        assert "was due for review" not in after.text  # the review just recorded, read back from the database
    finally:
        await services.close()


async def test_the_store_opens_as_usual_when_opening_would_change_something(sqlite_url, tmp_path) -> None:
    files = sorted(p.name for p in tmp_path.iterdir())
    assert _read(sqlite_url) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no -wal or -shm file left beside the database
    fresh = f"sqlite:///{tmp_path / 'new' / 'boardbot.db'}"
    assert _read(fresh) is None  # no file yet: open_to_read migrates and loads, as open does
    store = await Store.open_to_read(fresh)
    try:
        assert {p.area.slug for p in await store.stored_protocols()} == {
            "buckinghamshire", "central-bedfordshire", "lancashire", "suffolk"}
    finally:
        await store.close()
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:  # a bundled protocol boardbot ships corrected: opening loads it
        (sha,) = conn.execute("SELECT sha256 FROM protocol_revisions WHERE is_current AND area_id = 1").fetchone()
        conn.execute("UPDATE protocol_revisions SET sha256 = 'older' WHERE is_current AND area_id = 1")
    assert _read(sqlite_url) is None
    with sqlite3.connect(path) as conn:  # a revision stored before heads and packed copies were kept
        conn.execute("UPDATE protocol_revisions SET sha256 = ? WHERE is_current AND area_id = 1", (sha,))
        conn.commit()
        assert _read(sqlite_url) is not None
        conn.execute("UPDATE protocol_revisions SET head = NULL, packed = NULL WHERE is_current AND area_id = 2")
    assert _read(sqlite_url) is None
    store = await Store.open_to_read(sqlite_url)  # opens as open() does, which fills them in
    try:
        assert len(await store.stored_protocols()) == 4 and store._engine is not None
    finally:
        await store.close()
    assert _read(sqlite_url) is not None
    with sqlite3.connect(path) as conn:  # a schema to migrate
        conn.execute("UPDATE alembic_version SET version_num = 'behind'")
    assert _read(sqlite_url) is None


def test_only_a_plain_sqlite_file_is_read_with_sqlite3(tmp_path) -> None:
    assert snapshot.sqlite_file(f"sqlite:///{tmp_path / 'b.db'}") == tmp_path / "b.db"
    assert snapshot.sqlite_file("sqlite:///boardbot.db") == Path("boardbot.db")
    for url in ("postgresql://u:p@h/db", "sqlite://", "sqlite:///:memory:", "sqlite:///b.db?timeout=5",
                "sqlite:///with%20space.db", "not a url"):
        assert snapshot.sqlite_file(url) is None, url


def test_a_lookup_by_ask_loads_no_database_library(sqlite_url) -> None:
    """`boardbot ask "who leads on CSE?"` answers from the protocols alone: SQLAlchemy, the ORM models and
    the outbox stay unloaded (they are a third of the command's start-up)."""
    code = ("import sys; from bot.cli import main; main(['ask', '--area', 'buckinghamshire', 'who leads on CSE?']); "
            "print(sorted(m for m in ('sqlalchemy', 'storage.models', 'scheduler.outbox', 'aiosqlite') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "DATABASE_URL": sqlite_url})
    assert out.stdout.splitlines()[-1] == "[]", out.stdout
    assert "Lead: Buckinghamshire Safeguarding Children Board (BSCB)." in out.stdout

"""The store on SQLite and PostgreSQL: migrations, first-run load, imports with history."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.models import Area, BoardRow, ProtocolRevision
from storage.protocol.loader import parse_protocol
from storage.revisions import import_protocol, revisions
from storage.store import Store

LANCS = Path(__file__).resolve().parent.parent / "storage" / "protocol" / "data" / "lancashire.yaml"


async def test_first_open_migrates_and_loads_the_bundled_protocols(db_url):
    store = await Store.open(db_url)
    try:
        slugs = {p.area.slug for p in await store.protocols()}
        assert slugs == {"central-bedfordshire", "suffolk", "buckinghamshire", "lancashire"}
        assert await store.ping()
        # opening again changes nothing
        again = await Store.open(db_url)
        async with again.session() as s:
            assert (await s.execute(select(func.count()).select_from(ProtocolRevision))).scalar_one() == 4
        await again.close()
    finally:
        await store.close()


async def test_reimporting_a_revised_protocol_updates_in_place_and_keeps_history(db_url):
    store = await Store.open(db_url)
    try:
        revised = LANCS.read_text().replace("name: Lancashire Health and Wellbeing Board\n", "name: Lancashire Health & Wellbeing Board\n", 1)
        revised = revised.replace("themes:\n", """  - key: csp
    short_name: CSP
    name: Lancashire Community Safety Partnership
    kind: community_safety
themes:
""", 1)
        loaded = parse_protocol(revised, "lancs-v2.yaml")
        async with store.session() as s, s.begin():
            result = await import_protocol(s, loaded, imported_by="admin@lancs")
        assert (result.revision, result.created_area, result.unchanged) == (2, False, False)
        assert result.boards_added == ("CSP",)
        async with store.session() as s:
            history = await revisions(s, "lancashire")
            lancs_boards = select(BoardRow).join(Area, Area.id == BoardRow.area_id).where(Area.slug == "lancashire")
            boards = {b.key: b for b in (await s.execute(lancs_boards)).scalars()}
        assert [(r.revision, r.is_current) for r in history] == [(1, False), (2, True)]
        assert history[1].imported_by == "admin@lancs"
        current = {p.area.slug: p for p in await store.protocols()}["lancashire"]
        assert current.board("hwb").name == "Lancashire Health & Wellbeing Board"
        assert boards["hwb"].name == "Lancashire Health & Wellbeing Board" and boards["csp"].active

        async with store.session() as s, s.begin():
            same = await import_protocol(s, loaded)
        assert same.unchanged and same.revision == 2
    finally:
        await store.close()


async def test_an_administrators_import_is_never_overwritten_by_bundled_data(db_url):
    store = await Store.open(db_url)
    try:
        mine = parse_protocol(LANCS.read_text() + "\n# local edit\n", "mine.yaml")
        async with store.session() as s, s.begin():
            await import_protocol(s, mine, origin="import")
        await store.load_bundled()
        async with store.session() as s:
            history = await revisions(s, "lancashire")
        assert history[-1].origin == "import" and history[-1].is_current
    finally:
        await store.close()


@pytest.mark.parametrize(
    ("written", "driver"),
    [
        ("sqlite:///x.db", "sqlite+aiosqlite"),
        ("postgresql://u:p@h/db", "postgresql+asyncpg"),
        ("postgres://u:p@h/db", "postgresql+asyncpg"),
        ("postgresql+psycopg2://u:p@h/db", "postgresql+asyncpg"),
    ],
)
def test_database_urls_as_people_write_them(written, driver):
    from storage.db import async_url

    assert async_url(written).drivername == driver


def test_unsupported_database_url_says_what_works():
    from storage.db import DatabaseURLError, async_url

    with pytest.raises(DatabaseURLError, match="sqlite:///boardbot.db"):
        async_url("mysql://u@h/db")


def test_a_port_that_is_not_a_number_is_a_configuration_error():
    from bot.config import ConfigError, from_env

    with pytest.raises(ConfigError, match="port that is not a number"):
        from_env({"DATABASE_URL": "postgresql://u@db.example:fivefourthreetwo/boardbot"})


def test_reading_the_settings_loads_no_database_library():
    """`boardbot protocol validate` and the settings check must not pay for SQLAlchemy's import."""
    import subprocess
    import sys

    code = ("import sys; from bot.config import from_env; from_env({'DATABASE_URL': 'postgresql://u@h/db'}); "
            "print('sqlalchemy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


async def test_a_running_server_picks_up_an_import_made_elsewhere(sqlite_url):
    from bot.bootstrap import open_services, watch_protocols
    from bot.config import from_env

    services = await open_services(from_env({"DATABASE_URL": sqlite_url}))
    try:
        assert await watch_protocols(services) is False
        revised = LANCS.read_text().replace("Jane Booth", "Pat Example")
        other = await Store.open(sqlite_url)  # another process, e.g. `boardbot protocol import`
        async with other.session() as s, s.begin():
            await import_protocol(s, parse_protocol(revised, "lancs.yaml"))
        await other.close()
        assert await watch_protocols(services) is True
        assert services.knowledge.area("lancashire").boards["lscb"].chair.name == "Pat Example"
    finally:
        await services.close()


async def test_old_retry_guards_are_forgotten_but_stored_button_values_are_kept(db_url):
    import datetime as dt

    from storage.dedupe import first_time, forget_old, remembered

    store = await Store.open(db_url, load_bundled=False)
    try:
        async with store.session() as s:
            assert await first_time(s, "slack:event:Ev1")
            assert await first_time(s, "slack:value:abc", {"a": "challenge.escalate", "v": {"id": 1}})
            await s.commit()
        async with store.session() as s:
            assert await forget_old(s, dt.datetime.now(dt.UTC)) == 0  # nothing is old yet
            assert await forget_old(s, dt.datetime.now(dt.UTC) + dt.timedelta(days=31)) == 1
            await s.commit()
        async with store.session() as s:
            assert await first_time(s, "slack:event:Ev1")  # a guard that old is gone
            assert (await remembered(s, "slack:value:abc"))["a"] == "challenge.escalate"
    finally:
        await store.close()

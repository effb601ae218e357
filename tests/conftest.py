"""Shared fixtures.

- ``knowledge``: the bundled protocols, indexed (no database; fast).
- ``bot``: a conversation helper, errbot's ``testbot`` in spirit: ``await bot("who leads on CSE?")``.
- ``sqlite_url`` / ``services``: a SQLite database already migrated and loaded with the
  bundled protocols. The migration runs once per run into a template that every test
  copies, so a test pays for a file copy, not for Alembic.
- ``db_url``: a fresh, empty database per test, once on SQLite and once on PostgreSQL, for
  tests of migrating and first loading. The
  PostgreSQL half uses ``BOARDBOT_TEST_POSTGRES_URL`` (default
  ``postgresql://postgres@127.0.0.1:5432/test``) and skips, saying why, when no server answers.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest

from bot.knowledge import Knowledge
from bot.messages import Actor, Reply, Request
from storage.protocol.loader import bundled_protocol_paths, load_protocol_file

PG_URL = os.environ.get("BOARDBOT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch) -> None:
    """No test touches the developer's own boardbot database or .env."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    for var in ("DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET",
                "MicrosoftAppId", "MicrosoftAppPassword", "BOARDBOT_AREA"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def protocols():
    return [load_protocol_file(p).protocol for p in bundled_protocol_paths()]


@pytest.fixture(scope="session")
def knowledge(protocols) -> Knowledge:
    return Knowledge(protocols)


def _pg_reachable() -> str | None:
    u = urlparse(PG_URL)
    try:
        with socket.create_connection((u.hostname or "127.0.0.1", u.port or 5432), timeout=1):
            return None
    except OSError as exc:
        return f"no PostgreSQL server at {u.hostname}:{u.port or 5432} ({exc.strerror or exc}); set BOARDBOT_TEST_POSTGRES_URL or run .ci/run, which starts one"


async def _create_pg_database() -> str:
    import asyncpg

    name = f"boardbot_test_{uuid.uuid4().hex[:12]}"
    u = urlparse(PG_URL)
    conn = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return u._replace(path=f"/{name}").geturl()


async def _drop_pg_database(url: str) -> None:
    import asyncpg

    name = urlparse(url).path.lstrip("/")
    conn = await asyncpg.connect(PG_URL.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db_url(request, tmp_path) -> AsyncIterator[str]:
    """A fresh, empty database URL, as a user would write it."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'boardbot.db'}"
        return
    reason = _pg_reachable()
    if reason:
        if os.environ.get("BOARDBOT_REQUIRE_POSTGRES"):
            pytest.fail(f"BOARDBOT_REQUIRE_POSTGRES is set but {reason}")
        pytest.skip(reason)
    url = await _create_pg_database()
    try:
        yield url
    finally:
        await _drop_pg_database(url)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory) -> Path:
    """A database migrated and loaded with the bundled protocols once per run; each test copies it."""
    from storage.store import Store

    path = tmp_path_factory.mktemp("template") / "boardbot.db"

    async def build() -> None:
        store = await Store.open(f"sqlite:///{path}")
        await store.close()

    asyncio.run(build())
    return path


@pytest.fixture
def sqlite_url(_template_db: Path, tmp_path: Path) -> str:
    """A SQLite database of this test's own, already at the newest schema with the bundled protocols."""
    target = tmp_path / "boardbot.db"
    shutil.copyfile(_template_db, target)
    return f"sqlite:///{target}"


@pytest.fixture
async def services(sqlite_url):
    from bot.bootstrap import open_services
    from bot.config import from_env

    s = await open_services(from_env({"DATABASE_URL": sqlite_url}))
    try:
        yield s
    finally:
        await s.close()


Bot = Callable[..., Awaitable[Reply]]


@pytest.fixture
def bot(knowledge) -> Bot:
    """Ask the core one question, as a console user would: ``await bot("boards", area="suffolk")``.

    Lookups need only the protocol index, so no database is opened; use ``db_bot`` for
    anything that writes.
    """
    from bot.services import Services

    return make_bot(Services(knowledge=knowledge))


@pytest.fixture
def db_bot(services) -> Bot:
    """Like ``bot``, over a real (SQLite) store."""
    return make_bot(services)


def make_bot(services) -> Bot:

    async def ask(text: str, *, area: str | None = "buckinghamshire", roles: frozenset[str] = frozenset(),
                  user: str = "tester", admin: bool = False) -> Reply:
        from bot.router import handle

        actor = Actor.holding("console", "console", user, user, roles=roles, admin=admin)
        return await handle(Request(text=text, actor=actor, area=area), services)

    return ask


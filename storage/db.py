"""Database URLs and engines.

People write ``sqlite:///boardbot.db`` or ``postgresql://user:pw@host/db``; the async
drivers (aiosqlite, asyncpg) are the app's business. :func:`async_url` turns what people
write into what SQLAlchemy's async engine needs, and :func:`create_engine` applies the
settings each backend wants (WAL and a busy timeout on SQLite so the server and a CLI
can share the file; a modest pool on PostgreSQL).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession  # re-exported for callers


class DatabaseURLError(ValueError):
    """DATABASE_URL is not something boardbot can use; the message says what would work."""


_EXAMPLES = "e.g. sqlite:///boardbot.db or postgresql://user:password@host:5432/boardbot"


def default_database_url() -> str:
    """The embedded default: a SQLite file in the user's data directory."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'boardbot' / 'boardbot.db'}"


def async_url(url: str) -> URL:
    """Map a URL as people write it to the async driver boardbot uses for that database."""
    try:
        u = make_url(url.strip())
    except ArgumentError:
        raise DatabaseURLError(f"DATABASE_URL {url!r} is not a database URL ({_EXAMPLES})") from None
    backend = u.get_backend_name()
    if backend == "sqlite":
        return u.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        query = dict(u.query)
        # asyncpg spells libpq's sslmode as ssl
        if "sslmode" in query:
            query["ssl"] = query.pop("sslmode")
        return u.set(drivername="postgresql+asyncpg", query=query)
    raise DatabaseURLError(f"DATABASE_URL uses {backend!r}; boardbot supports SQLite and PostgreSQL ({_EXAMPLES})")


def redact(url: URL | str) -> str:
    """The URL with its password hidden, for logs and start-up messages."""
    u = url if isinstance(url, URL) else make_url(url)
    return u.render_as_string(hide_password=True)


def create_engine(url: str | URL, *, echo: bool = False) -> AsyncEngine:
    """An async engine for ``url`` (as people write it, or already async)."""
    u = async_url(url) if isinstance(url, str) else url
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(u, echo=echo, connect_args={"timeout": 30})

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            if u.database and u.database != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_async_engine(u, echo=echo, pool_size=10, max_overflow=10, pool_pre_ping=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"

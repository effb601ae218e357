"""Database URLs and engines.

People write ``sqlite:///boardbot.db`` or ``postgresql://user:pw@host/db``; the async
drivers (aiosqlite, asyncpg) are the app's business. :func:`async_url` turns what people
write into what SQLAlchemy's async engine needs, and :func:`create_engine` applies the
settings each backend wants (WAL and a busy timeout on SQLite so the server and a CLI
can share the file; a modest pool on PostgreSQL). :func:`check_url` says whether a URL is
one boardbot can use without loading SQLAlchemy (reading the settings must not cost its import).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import URL
    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker


class DatabaseURLError(ValueError):
    """DATABASE_URL is not something boardbot can use; the message says what would work."""


_EXAMPLES = "e.g. sqlite:///boardbot.db or postgresql://user:password@host:5432/boardbot"


def default_database_url() -> str:
    """The embedded default: a SQLite file in the user's data directory."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'boardbot' / 'boardbot.db'}"


# SQLAlchemy's own URL pattern (sqlalchemy.engine.url._parse_url), so both agree on what is a URL
_URL = re.compile(
    r"""
        (?P<name>[\w\+]+)://
        (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
        (?:(?:\[(?P<ipv6host>[^/\?]+)\]|(?P<ipv4host>[^/:\?]+))?(?::(?P<port>[^/\?]*))?)?
        (?:/(?P<database>[^\?]*))?
        (?:\?(?P<query>.*))?
    """,
    re.X,
)


def check_url(url: str) -> str:
    """The backend (``sqlite`` or ``postgresql``) of a URL as people write it; DatabaseURLError
    saying what would work if boardbot cannot use it. Loads no database library."""
    m = _URL.match(url.strip())
    if m is None:
        raise DatabaseURLError(f"DATABASE_URL {url!r} is not a database URL ({_EXAMPLES})")
    port = m.group("port")
    if port and not port.isdigit():
        raise DatabaseURLError(f"DATABASE_URL {url!r} has a port that is not a number ({_EXAMPLES})")
    backend = m.group("name").split("+", 1)[0]
    if backend == "sqlite":
        return "sqlite"
    if backend in ("postgresql", "postgres"):
        return "postgresql"
    raise DatabaseURLError(f"DATABASE_URL uses {backend!r}; boardbot supports SQLite and PostgreSQL ({_EXAMPLES})")


def url_parts(url: str) -> dict[str, str | None]:
    """The parts of a URL as :func:`check_url` (and SQLAlchemy) read them: name, username,
    password, ipv6host, ipv4host, port, database, query. Loads no database library."""
    m = _URL.match(url.strip())
    if m is None:
        raise DatabaseURLError(f"DATABASE_URL {url!r} is not a database URL ({_EXAMPLES})")
    return m.groupdict()


def async_url(url: str) -> URL:
    """Map a URL as people write it to the async driver boardbot uses for that database."""
    from sqlalchemy.engine import make_url

    backend = check_url(url)
    u = make_url(url.strip())
    if backend == "sqlite":
        return u.set(drivername="sqlite+aiosqlite")
    query = dict(u.query)  # PostgreSQL: check_url lets nothing else through
    # asyncpg spells libpq's sslmode as ssl
    if "sslmode" in query:
        query["ssl"] = query.pop("sslmode")
    return u.set(drivername="postgresql+asyncpg", query=query)


def redact(url: URL | str) -> str:
    """The URL with its password hidden, for logs and start-up messages."""
    from sqlalchemy.engine import make_url

    u = make_url(url) if isinstance(url, str) else url
    return u.render_as_string(hide_password=True)


def create_engine(url: str | URL, *, echo: bool = False) -> AsyncEngine:
    """An async engine for ``url`` (as people write it, or already async)."""
    from sqlalchemy import event
    from sqlalchemy.ext.asyncio import create_async_engine

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
    from sqlalchemy.ext.asyncio import async_sessionmaker

    return async_sessionmaker(engine, expire_on_commit=False)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"

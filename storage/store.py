"""The store: one engine and session factory, brought up to date on open.

``Store.open`` migrates the schema and loads the bundled protocols on first run, so a
fresh machine needs no set-up step. Nothing here runs at import time, and the engine
(with SQLAlchemy) is made the first time something uses it: ``Store.open_to_read``, for a
process that answers a question and exits, reads the few things answering needs with
the standard library's sqlite3 (:mod:`storage.snapshot`) and loads SQLAlchemy only if a
command reads or writes anything else.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from typing import TYPE_CHECKING

from storage import collector, migrate, snapshot
from storage.db import redact
from storage.documents import StoredProtocol

if TYPE_CHECKING:
    import datetime as dt

    from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

    from storage.protocol.schema import Protocol
    from storage.revisions import ImportResult


class Store:
    def __init__(self, url: str, *, engine_now: bool = True) -> None:
        """``engine_now=False`` leaves the engine to be made when first used (:attr:`engine`)."""
        self.url = url
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._writer: asyncio.Lock | None = None
        self._read: snapshot.Snapshot | None = None  # what open_to_read read, until the engine is made
        self._when_made: list[Callable[[], object]] = []
        if engine_now:
            self.engine  # noqa: B018

    @property
    def engine(self) -> AsyncEngine:
        """The async engine, made (and SQLAlchemy loaded) the first time it is wanted."""
        if self._engine is None:
            from storage.db import create_engine, session_factory

            self._engine = create_engine(self.url)
            self._sessions = session_factory(self._engine)
            self._read = None  # from now on every read sees what this process writes
            hooks, self._when_made = self._when_made, []
            for hook in hooks:
                hook()
        return self._engine

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The session factory (see :attr:`engine`)."""
        sessions = self._sessions
        if sessions is None:
            self.engine  # noqa: B018  (makes both)
            sessions = self._sessions
        return sessions  # type: ignore[return-value]

    def when_made(self, hook: Callable[[], object]) -> None:
        """Run ``hook`` once the engine is made: now if it is; otherwise the first time something
        uses the database (what needs the session factory, such as the outbox, is built then)."""
        if self._engine is not None:
            hook()
        else:
            self._when_made.append(hook)

    def writer(self) -> AbstractAsyncContextManager[object]:
        """Hold around a short write transaction on a hot path (every incoming message).

        SQLite has one writer at a time. Two of this process's connections writing at once
        make the second wait in SQLite's busy handler, which sleeps in steps of up to 100 ms
        (the tail of a busy server's latency); waiting here instead is a queue, served in
        turn as soon as the writer before commits. On PostgreSQL this is no lock at all.
        """
        if self.dialect != "sqlite":
            return nullcontext()
        if self._writer is None:
            self._writer = asyncio.Lock()
        return self._writer

    @classmethod
    async def open(cls, url: str, *, load_bundled: bool = True) -> Store:
        store = cls(url)
        await migrate.upgrade(store.engine)
        if load_bundled:
            await store.load_bundled()
        return store

    @classmethod
    async def open_to_read(cls, url: str) -> Store:
        """:meth:`open`, for a process that answers a question and exits (``boardbot ask``).

        When opening would change nothing (a SQLite file at the newest schema, every bundled
        protocol current), the current protocols, the revision marker and the recorded review
        dates are read at once with sqlite3 and given out until the engine is first used; the
        engine, and SQLAlchemy, are made only if a command reads or writes anything else.
        Otherwise this is :meth:`open`.
        """
        from storage.protocol import bundled_protocol_paths

        read = snapshot.read(url, head=migrate.head_revision(), bundled=bundled_protocol_paths())
        if read is None:
            return await cls.open(url)
        store = cls(url, engine_now=False)
        store._read = read
        return store

    async def load_bundled(self) -> list[ImportResult]:
        from storage.revisions import ensure_bundled, pack_missing

        async with self.session() as s:
            results = await ensure_bundled(s)
            await pack_missing(s)
            await s.commit()
        return results

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.sessions() as s:
            yield s

    async def protocols(self) -> list[Protocol]:
        """Every area's current protocol, validated."""
        from storage.revisions import current_protocols

        async with self.session() as s:
            return await current_protocols(s)

    async def stored_protocols(self) -> list[StoredProtocol]:
        """Every area's current protocol, each validated when first used (what the index is built from).

        Tens of thousands of small objects (each area's head and theme names), all kept: read
        with the collector held off (:mod:`storage.collector`)."""
        with collector.paused():
            if self._read is not None:
                return [StoredProtocol(sha, head, packed) for sha, head, packed in self._read.documents]
            from storage.revisions import current_stored

            async with self.session() as s:
                return await current_stored(s)

    async def marker(self) -> tuple[int, int]:
        """:func:`storage.revisions.current_marker`: it changes whenever any area is imported."""
        if self._read is not None:
            return self._read.marker
        from storage.revisions import current_marker

        async with self.session() as s:
            return await current_marker(s)

    async def review_dates(self, area_slug: str) -> dict[str, dt.date]:
        """:func:`storage.revisions.review_dates`: an area's latest recorded review and signing."""
        if self._read is not None:
            return dict(self._read.review_dates.get(area_slug, {}))
        from storage.revisions import review_dates

        async with self.session() as s:
            return await review_dates(s, area_slug)

    async def ping(self) -> bool:
        from sqlalchemy import text

        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def describe(self) -> str:
        return redact(self.engine.url)

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()

"""The store: one engine and session factory, brought up to date on open.

``Store.open`` migrates the schema and loads the bundled protocols on first run, so a
fresh machine needs no set-up step. Nothing here runs at import time.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage import collector, migrate
from storage.db import create_engine, redact, session_factory
from storage.documents import StoredProtocol
from storage.protocol.schema import Protocol
from storage.revisions import (
    ImportResult,
    current_protocols,
    current_stored,
    ensure_bundled,
    pack_missing,
)


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.sessions = session_factory(self.engine)
        self._writer: asyncio.Lock | None = None

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

    async def load_bundled(self) -> list[ImportResult]:
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
        async with self.session() as s:
            return await current_protocols(s)

    async def stored_protocols(self) -> list[StoredProtocol]:
        """Every area's current protocol, each validated when first used (what the index is built from).

        Tens of thousands of small objects (each area's head and theme names), all kept: read
        with the collector held off (:mod:`storage.collector`)."""
        with collector.paused():
            async with self.session() as s:
                return await current_stored(s)

    async def ping(self) -> bool:
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
        await self.engine.dispose()

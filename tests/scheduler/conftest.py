"""Fixtures for the calendar tests (helpers are in ``schedtest``)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.store import Store


@pytest.fixture
async def store(sqlite_url) -> AsyncIterator[Store]:
    s = await Store.open(sqlite_url)
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
async def pg_store(db_url) -> AsyncIterator[Store]:
    """The store on SQLite and on PostgreSQL (skips PostgreSQL where no server answers)."""
    s = await Store.open(db_url)
    try:
        yield s
    finally:
        await s.close()

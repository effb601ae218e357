"""Alembic environment: runs on the connection boardbot hands it (see storage.migrate),
or, from the ``alembic`` command line, on DATABASE_URL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage.models import Base

config = context.config
target_metadata = Base.metadata


def _include(obj, name, type_, reflected, compare_to) -> bool:
    # slack_sdk's OAuth tables are created by migration 0003 but described by slack_sdk, not our models
    return not (type_ == "table" and name and name.startswith("slack_"))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_from_url() -> None:
    import os

    from storage.db import create_engine, default_database_url

    async def go() -> None:
        engine = create_engine(os.environ.get("DATABASE_URL") or default_database_url())
        async with engine.connect() as conn:
            await conn.run_sync(_run)
            await conn.commit()
        await engine.dispose()

    asyncio.run(go())


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    _run_from_url()

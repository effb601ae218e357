"""Bring a database to the current schema, safely when several replicas start at once.

Alembic runs inside the app on the app's own async engine. On PostgreSQL a session-level
advisory lock serialises concurrent upgrades; SQLite serialises writers by itself.
Importing alembic costs ~100 ms, so a database already at head is detected with one
query and alembic is only loaded when there is work to do; :func:`head_revision` loads no
database library at all (:mod:`storage.snapshot` compares it with a SQLite file's version).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from storage.db import is_postgres

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_ID = 0x626F617264  # "board"


def _alembic_config(connection: Connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration, read from the versions folder without importing alembic."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        rev = down = None
        for line in path.read_text().splitlines():
            if line.startswith("revision = "):
                rev = line.split("=", 1)[1].strip().strip("'\"")
            elif line.startswith("down_revision = "):
                down = line.split("=", 1)[1].strip().strip("'\"")
        if rev:
            revisions.add(rev)
            if down and down != "None":
                parents.add(down)
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"expected one migration head, found {sorted(heads)}")
    return heads.pop()


async def current_revision(engine: AsyncEngine) -> str | None:
    from sqlalchemy import text

    async with engine.connect() as conn:
        try:
            row = (await conn.execute(text("SELECT version_num FROM alembic_version"))).first()
        except Exception:
            return None
        return row[0] if row else None


async def upgrade(engine: AsyncEngine) -> bool:
    """Upgrade to head; return True if anything was applied."""
    from sqlalchemy import text

    if await current_revision(engine) == head_revision():
        return False

    def _upgrade(connection: Connection) -> None:
        from alembic import command

        command.upgrade(_alembic_config(connection), "head")

    async with engine.connect() as conn:
        if is_postgres(engine):
            await conn.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _LOCK_ID})
        try:
            await conn.run_sync(_upgrade)
            await conn.commit()
        finally:
            if is_postgres(engine):
                await conn.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _LOCK_ID})
                await conn.commit()
    return True

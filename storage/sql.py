"""SQL that differs between the two databases boardbot runs on.

"Insert unless the key is there" (``INSERT ... ON CONFLICT DO NOTHING``) is how boardbot
does a thing once across replicas: the outbox, reminder rules, leases and retry guards all
rely on it. SQLAlchemy spells it through each dialect's own ``insert``, so callers ask
:func:`insert_for` for the one matching their session rather than each choosing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession) -> Callable[..., Any]:
    """The dialect's ``insert`` (it has ``on_conflict_do_nothing``) for the database ``session`` is bound to."""
    if session.bind.dialect.name == "postgresql":
        # imported here: SQLAlchemy's postgresql package loads every PostgreSQL driver's dialect,
        # which a SQLite installation (and every ``boardbot ask`` on one) never needs
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert
    return sqlite_insert

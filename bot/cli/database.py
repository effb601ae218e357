"""What the commands that open the database themselves share: saying which database they
use, and finding the area named on the command line in it."""

from __future__ import annotations

import sys


async def area_named(store, name: str):
    """(the protocol index, the area ``name`` names) from the database, or None having said which areas there are."""
    from bot.knowledge import Knowledge

    knowledge = Knowledge(await store.protocols())
    slug = knowledge.resolve_area(name)
    if slug is None:
        print(f"boardbot: unknown area {name!r}. Areas: {'; '.join(knowledge.area_names())}", file=sys.stderr)
        return None
    return knowledge, knowledge.area(slug)


def say_database(store) -> None:
    """Admin and protocol commands say which database they read and write (password hidden):
    a server and a terminal pointed at different databases is a mistake worth seeing at once."""
    from storage.db import redact

    print(f"Database: {redact(store.url)} ({store.dialect})")

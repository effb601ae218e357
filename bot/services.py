"""What commands and workflows may use: the protocol index, the store, the clock, the notifier.

One :class:`Services` is built by :mod:`bot.bootstrap` and handed to every handler.
Tests build their own with fakes. The knowledge index is replaced (not mutated) when a
protocol is imported, so a lookup in flight keeps a consistent view.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bot.knowledge import Knowledge

if TYPE_CHECKING:
    from storage.store import Store


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class Services:
    knowledge: Knowledge
    store: Store | None = None
    clock: Callable[[], dt.datetime] = utc_now
    notifier: Any = None
    dispatcher: Any = None
    senders: dict[str, Any] = field(default_factory=dict)
    extras: dict[str, Any] = field(default_factory=dict)

    async def reload_knowledge(self) -> Knowledge:
        """Rebuild the index from the store's current protocols (after an import)."""
        assert self.store is not None
        self.knowledge = Knowledge(await self.store.stored_protocols())
        return self.knowledge

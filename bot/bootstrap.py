"""The one place that wires boardbot together.

``open_services`` opens the store (migrating and loading the bundled protocols on first
run) and builds the protocol index. The web application (Slack, Teams, health, calendar)
and the scheduler are built on top of these services by :mod:`bot.web`.
"""

from __future__ import annotations

from bot.config import Settings
from bot.knowledge import Knowledge
from bot.services import Services
from storage.store import Store


class BoardbotServices(Services):
    async def close(self) -> None:
        if self.store is not None:
            await self.store.close()


async def open_services(settings: Settings) -> BoardbotServices:
    store = await Store.open(settings.database_url)
    knowledge = Knowledge(await store.protocols())
    return BoardbotServices(knowledge=knowledge, store=store)

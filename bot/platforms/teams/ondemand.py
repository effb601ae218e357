"""Teams on, botbuilder loaded when Teams first needs it: the first activity, or the first post due.

botbuilder, its Bot Connector client, msrest, requests, MSAL, PyJWT and cryptography are
about 22 MB of a server's memory and half a second of CPU to import: more than a third of
what a server holding the four bundled areas uses, and paid at every start by servers whose
Teams traffic may not come for hours. So ``POST /api/messages`` and the outbox's Teams sender
are mounted at once, and both load the platform (:class:`bot.platforms.teams.app.TeamsPlatform`)
the first time they are used: the import runs in a worker thread, so the event loop goes on
answering Slack, health checks and the calendar meanwhile, and every request that arrives
during it waits for the same load. Until then nothing Teams-specific is held in memory; from
then on each request goes straight to the platform.

A load that fails (botbuilder missing or broken) fails that request with 500 and is tried
again by the next one.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.platforms.teams.app import TeamsPlatform
    from bot.services import Services
    from scheduler.outbox import Outgoing

log = logging.getLogger("boardbot.teams")


class OnDemand:
    """The Teams platform, built the first time :meth:`platform` is awaited."""

    def __init__(self, services: Services, settings: Settings) -> None:
        self.services = services
        self.settings = settings
        self.loaded: TeamsPlatform | None = None
        self._loading: asyncio.Task[TeamsPlatform] | None = None

    async def platform(self) -> TeamsPlatform:
        if self.loaded is not None:
            return self.loaded
        if self._loading is None:
            self._loading = asyncio.get_running_loop().create_task(self._load())
        try:
            return await asyncio.shield(self._loading)
        except Exception:
            self._loading = None  # the next request tries again
            raise

    async def _load(self) -> TeamsPlatform:
        # botbuilder's import, off the event loop; building the platform is quick and stays on it
        module = await asyncio.to_thread(importlib.import_module, "bot.platforms.teams.app")
        if self.loaded is None:
            self.loaded = module.TeamsPlatform(self.services, self.settings)
            log.info("Teams loaded (botbuilder) for its first activity or post")
        return self.loaded

    async def handle(self, request: web.Request) -> web.Response:
        """``POST /api/messages``: the platform's own handling, once it is loaded."""
        try:
            platform = await self.platform()
        except Exception:
            log.exception("cannot load Teams (botbuilder)")
            return web.json_response({"error": "internal error"}, status=500)
        return await platform.handle(request)

    async def close(self, _app: web.Application | None = None) -> None:
        """Close the Bot Connector clients at shutdown (nothing to close if Teams never loaded)."""
        if self.loaded is not None:
            await self.loaded.auth.close()


class OnDemandSender:
    """The outbox's Teams sender: :class:`~bot.platforms.teams.sender.TeamsSender`, loaded with the platform."""

    def __init__(self, teams: OnDemand) -> None:
        self.teams = teams

    async def send(self, message: Outgoing) -> str | None:
        platform = await self.teams.platform()
        return await platform.sender.send(message)


TEAMS_KEY = web.AppKey("teams", OnDemand)


def mount(app: web.Application, services: Services, settings: Settings) -> OnDemandSender:
    """Add ``POST /api/messages`` (Teams is on); the caller registers the returned sender with the outbox."""
    teams = OnDemand(services, settings)
    app[TEAMS_KEY] = teams
    app.router.add_post("/api/messages", teams.handle)
    app.on_cleanup.append(teams.close)
    if settings.teams_mode == "local":
        log.warning("Teams runs unauthenticated (BOARDBOT_TEAMS_UNAUTHENTICATED=1): answering only this machine, "
                    "replying only to service URLs on this machine")
    return OnDemandSender(teams)

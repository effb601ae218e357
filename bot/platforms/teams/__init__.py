"""Microsoft Teams: Bot Framework activities in, Adaptive Cards out, proactive posts for the outbox.

    POST /api/messages    what Teams (the Bot Connector) sends boardbot

The package, by what each module does (every botbuilder / botframework import lives here:
the SDK is being retired upstream in favour of the Microsoft 365 Agents SDK, and this
package is the seam to swap):

- :mod:`.ondemand` — the route and the sender, loading the rest when Teams first needs it;
- :mod:`.app` — the endpoint: cheapest check first, then botbuilder's turn;
- :mod:`.handler` — the ActivityHandler: messages, card actions, welcomes;
- :mod:`.activities` — reading an activity: tenant, channel, mentions, references;
- :mod:`.sender` — the outbox's sender (proactive posts) and its error rules;
- :mod:`.once` — acting once on an activity, the keys of activities arriving together written together;
- :mod:`.auth` — the inbound token check; :mod:`.tokens` — boardbot's own token;
- :mod:`.connector` — the Bot Connector client without msrest's per-call cost;
- :mod:`.wire` — activities to and from JSON as msrest would, without its per-call cost;
- :mod:`.cards` — Adaptive Cards from neutral replies (plain data);
- :mod:`.inbound` — the activity's shape, checked before botbuilder reads it;
- :mod:`.manifest` — the app package for side-loading.

This module holds :class:`Teams`, the :class:`~bot.platforms.base.Platform` the registry
lists, and what is mounted when Teams is off: a server with no ``MicrosoftAppId`` (and no
local mode asked for) answers every Teams request 401, unread. Importing botbuilder and its
connector (some 22 MB of a server's memory) only to say no would be waste, so nothing here
imports it; :mod:`.app` is loaded only when Teams is on, and then only when the first
activity or post needs it (:mod:`.ondemand`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bot.platforms.base import Endpoint, Platform

if TYPE_CHECKING:
    from aiohttp import web

    from bot.config import Settings
    from bot.services import Services
    from scheduler.outbox import Sender

log = logging.getLogger("boardbot.teams")

OFF_TEXT = "Teams is not enabled on this server"
PACKAGE = Path(__file__).resolve().parent / "package"  # manifest.json and its two icons


async def refuse(request: web.Request) -> web.Response:
    """Teams is off: 401, the body unread."""
    from aiohttp import web

    return web.json_response({"error": OFF_TEXT}, status=401)


def protection(settings: Settings) -> str:
    """How ``POST /api/messages`` is protected, in a line for ``boardbot serve`` to print."""
    mode = settings.teams_mode
    if mode == "jwt":
        return f"Bot Framework tokens for app id {settings.app_id} (MicrosoftAppId), serviceUrl checked"
    if mode == "local":
        return ("UNAUTHENTICATED, local only (BOARDBOT_TEAMS_UNAUTHENTICATED=1): callers on this machine, "
                "replies to loopback service URLs only")
    return "off: every request 401 (set MicrosoftAppId and MicrosoftAppPassword to turn it on)"


class Teams(Platform):
    """Teams, on with ``MicrosoftAppId`` (tokens checked) or, on loopback only, in local mode."""

    name = "teams"
    title = "Teams"
    keeps_conversation_references = True  # proactive posts need the reference the channel's activities carry

    @property
    def enabled(self) -> bool:
        return self.settings.teams_mode != "off"

    def status(self) -> str:
        return {
            "jwt": f"on, app id {self.settings.app_id} (Bot Framework tokens checked)",
            "local": "local only: unauthenticated on loopback (BOARDBOT_TEAMS_UNAUTHENTICATED=1)",
            "off": "off (set MicrosoftAppId and MicrosoftAppPassword)",
        }[self.settings.teams_mode]

    def endpoints(self) -> list[Endpoint]:
        return [Endpoint("POST /api/messages", "Teams: " + protection(self.settings))]

    def mount(self, app: web.Application, services: Services) -> Sender | None:
        if not self.enabled:
            app.router.add_post("/api/messages", refuse)  # 401 to everything, and botbuilder never loaded
            if self.settings.teams_unauthenticated:
                log.error("BOARDBOT_TEAMS_UNAUTHENTICATED=1 needs HOST on loopback (it is %s): Teams is off",
                          self.settings.host)
            return None
        from bot.platforms.teams.ondemand import mount

        return mount(app, services, self.settings)

    def manifest(self) -> Path:
        return PACKAGE

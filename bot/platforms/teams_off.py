"""``POST /api/messages`` when Teams is off, and how the endpoint is protected, without botbuilder.

A server with no ``MicrosoftAppId`` (and no local mode asked for) answers every Teams
request 401, unread. Importing botbuilder and its connector (some 40 MB of a server's
memory) only to say no would be waste, so this is all that is mounted then;
:mod:`bot.platforms.teams` is loaded only when Teams is on.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.config import Settings

log = logging.getLogger("boardbot.teams")


async def refuse(request: web.Request) -> web.Response:
    """Teams is off: 401, the body unread."""
    return web.json_response({"error": "Teams is not enabled on this server"}, status=401)


def mount(app: web.Application, settings: Settings) -> None:
    """Add ``POST /api/messages`` answering 401; say why when local mode was asked for but cannot be had."""
    app.router.add_post("/api/messages", refuse)
    if settings.teams_unauthenticated:
        log.error("BOARDBOT_TEAMS_UNAUTHENTICATED=1 needs HOST on loopback (it is %s): Teams is off", settings.host)


def protection(settings: Settings) -> str:
    """How ``POST /api/messages`` is protected, in a line for ``boardbot serve`` to print."""
    mode = settings.teams_mode
    if mode == "jwt":
        return f"Bot Framework tokens for app id {settings.app_id} (MicrosoftAppId), serviceUrl checked"
    if mode == "local":
        return ("UNAUTHENTICATED, local only (BOARDBOT_TEAMS_UNAUTHENTICATED=1): callers on this machine, "
                "replies to loopback service URLs only")
    return "off: every request 401 (set MicrosoftAppId and MicrosoftAppPassword to turn it on)"

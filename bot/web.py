"""The aiohttp application behind ``boardbot serve``.

    POST /slack/events      Slack commands, interactivity, events (Bolt), when Slack is configured
    GET  /slack/install     Slack OAuth install (multi-workspace), when SLACK_CLIENT_ID is set
    POST /api/messages      Teams (Bot Framework) activities
    GET  /healthz           200 when the database answers
    GET  /calendar/{area}.ics   the area's public protocol calendar

Built by :func:`build_app` from services and settings; nothing is created at import time.
"""

from __future__ import annotations

import logging

from aiohttp import web

from bot.config import Settings
from bot.services import Services

log = logging.getLogger("boardbot.web")

SERVICES = web.AppKey("services", Services)
SETTINGS = web.AppKey("settings", Settings)


async def healthz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    ok = services.store is not None and await services.store.ping()
    body = {"status": "ok" if ok else "database unavailable", "areas": len(services.knowledge.areas)}
    return web.json_response(body, status=200 if ok else 503)


def build_app(services: Services, settings: Settings, *, background: bool = True) -> web.Application:
    """The whole server. ``background=False`` leaves the clock off (tests drive ticks themselves)."""
    app = web.Application(client_max_size=2 * 1024 * 1024)
    app[SERVICES] = services
    app[SETTINGS] = settings
    app.router.add_get("/healthz", healthz)
    live = []
    if settings.slack_enabled:
        from bot.platforms import slack

        slack.mount(app, services, settings)
        live.append("Slack" + (" (OAuth, multi-workspace)" if settings.slack_oauth else " (single workspace)"))
    from bot.platforms import teams

    teams.mount(app, services, settings)
    live.append("Teams" + ("" if settings.teams_authenticated else " (local, unauthenticated: MicrosoftAppId is empty)"))
    try:
        from scheduler import web as calendar_web

        calendar_web.mount(app, services, settings)
    except ImportError:  # pragma: no cover - the calendar routes arrive with the scheduler
        pass
    services.extras["live"] = live
    if background:
        app.on_startup.append(_start_background)
        app.on_cleanup.append(_stop_background)
    return app


CLOCK = web.AppKey("clock", object)


async def _start_background(app: web.Application) -> None:
    from scheduler.clockwork import Clockwork

    services = app[SERVICES]
    settings = app[SETTINGS]
    jobs = {"outbox": (services.dispatcher.tick, settings.tick_seconds)}
    jobs.update(services.extras.get("jobs", {}))
    clock = Clockwork(services.dispatcher, jobs)
    clock.start()
    app[CLOCK] = clock


async def _stop_background(app: web.Application) -> None:
    clock = app.get(CLOCK)
    if clock is not None:
        await clock.stop()

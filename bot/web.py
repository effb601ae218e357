"""The aiohttp application behind ``boardbot serve``.

    POST /slack/events      Slack commands, interactivity, events (Bolt), when Slack is configured
    GET  /slack/install     Slack OAuth install (multi-workspace), when SLACK_CLIENT_ID is set
    POST /api/messages      Teams (Bot Framework) activities: Bot Framework tokens when MicrosoftAppId is set,
                            local-only when BOARDBOT_TEAMS_UNAUTHENTICATED=1 on loopback, else 401
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


async def _slack_off(request: web.Request) -> web.Response:
    """Slack is not configured: nothing is read, nothing can be verified."""
    return web.Response(status=401, text="Slack is not enabled on this server")


def build_app(services: Services, settings: Settings, *, background: bool = True) -> web.Application:
    """The whole server. ``background=False`` leaves the clock off (tests drive ticks themselves)."""
    from bot.platforms.inbound import MAX_BODY_BYTES

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app[SERVICES] = services
    app[SETTINGS] = settings
    app.router.add_get("/healthz", healthz)
    open_: list[tuple[str, str]] = []
    if settings.slack_enabled:
        from bot.platforms import slack

        slack.mount(app, services, settings)
        how = ("OAuth installs (/slack/install), any workspace that installs it" if settings.slack_oauth
               else "one workspace (SLACK_BOT_TOKEN)")
        open_.append(("POST /slack/events", f"Slack: requests signed with SLACK_SIGNING_SECRET; {how}"))
    else:
        app.router.add_post("/slack/events", _slack_off)
        open_.append(("POST /slack/events", "Slack: off: every request 401 (set SLACK_SIGNING_SECRET and "
                                            "SLACK_BOT_TOKEN, or SLACK_CLIENT_ID/SECRET, to turn it on)"))
    from bot.platforms import teams

    teams.mount(app, services, settings)
    open_.append(("POST /api/messages", "Teams: " + teams.protection(settings)))
    open_.append(("GET  /healthz", "open: 200 when the database answers"))
    try:
        from scheduler import web as calendar_web

        calendar_web.mount(app, services, settings)
        open_.append(("GET  /calendar/<area>.ics", "open: each area's public protocol calendar"))
        open_.append(("GET  /calendar/personal/<token>.ics", "a person's own calendar, by its secret link (revocable)"))
    except ImportError:  # pragma: no cover - the calendar routes arrive with the scheduler
        pass
    services.extras["endpoints"] = open_
    if background:
        app.on_startup.append(_start_background)
        app.on_cleanup.append(_stop_background)
    return app


CLOCK = web.AppKey("clock", object)


async def _start_background(app: web.Application) -> None:
    from scheduler.clockwork import Clockwork

    services = app[SERVICES]
    settings = app[SETTINGS]
    dispatcher = services.dispatcher
    jobs = {"outbox": (dispatcher.tick, settings.tick_seconds),
            # every replica, every few seconds: keep the leases, or take over a dead replica's work
            "outbox-beat": (dispatcher.beat, dispatcher.beat_seconds)}
    calendar = services.extras.get("calendar")
    if calendar is not None:
        jobs["calendar-beat"] = (calendar.beat, min(dispatcher.beat_seconds, calendar.lease_seconds / 4))
    jobs.update(services.extras.get("jobs", {}))
    clock = Clockwork(services.dispatcher, jobs)
    clock.start()
    app[CLOCK] = clock


async def _stop_background(app: web.Application) -> None:
    clock = app.get(CLOCK)
    if clock is not None:
        await clock.stop()

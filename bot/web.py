"""The aiohttp application behind ``boardbot serve``.

    each platform's routes  e.g. POST /slack/events, POST /api/messages (401 while that platform is off)
    GET  /                  a small page naming the service, linking /healthz and the area calendars
    GET  /healthz           200 when ready: the database answers, the index is loaded, the calendar planned
    GET  /calendar/{area}.ics   the area's public protocol calendar
    GET  /reports/{token}.md|.docx|.png   a drafted annual-report section, behind its private link

Built by :func:`build_app` from services and settings; nothing is created at import time.
The platforms' routes come from :mod:`bot.platforms.registry` (each platform mounts its own,
or its refusals when it is off); this module names none of them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.bootstrap import plan_calendar
from bot.config import Settings
from bot.readiness import RETRY_AFTER_SECONDS, Readiness
from bot.services import Job, Services

if TYPE_CHECKING:
    from scheduler.clockwork import Clockwork  # noqa: F401  (named in CLOCK; loaded only when the clock starts)

log = logging.getLogger("boardbot.web")

SERVICES = web.AppKey("services", Services)
SETTINGS = web.AppKey("settings", Settings)


async def healthz(request: web.Request) -> web.Response:
    """200 only when this server is ready to answer: a load balancer or a calendar client that
    trusts it must not meet an empty calendar (see :mod:`bot.readiness`)."""
    services = request.app[SERVICES]
    ok = services.store is not None and await services.store.ping()
    readiness = services.readiness
    waiting = readiness.waiting_for() if readiness is not None else []
    indexed = services.knowledge is not None and bool(services.knowledge.areas)
    if not indexed:
        waiting = ["protocol index", *waiting]
    status = "ok" if ok and not waiting else "database unavailable" if not ok else "starting"
    body = {"status": status, "areas": len(services.knowledge.areas) if services.knowledge else 0}
    if waiting:
        body["waiting_for"] = waiting
        if readiness is not None and readiness.failures():
            # which steps failed, not why: this page is open to anyone, and an error's text can carry
            # SQL, parameters, hosts and user names (the server's log has it in full)
            body["problems"] = sorted(readiness.failures())
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)} if waiting else None
    return web.json_response(body, status=200 if status == "ok" else 503, headers=headers)


async def home(request: web.Request) -> web.Response:
    """``/``: say what this is and where to look, instead of a bare 404."""
    from html import escape

    services = request.app[SERVICES]
    areas = sorted(services.knowledge.areas.values(), key=lambda a: a.name) if services.knowledge else []
    feeds = "".join(f'<li><a href="/calendar/{escape(a.slug)}.ics">{escape(a.name)}</a></li>' for a in areas)
    body = (
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>boardbot</title></head><body>"
        "<h1>boardbot</h1><p>The joint protocols of local partnership boards in Slack, Microsoft Teams and the "
        "terminal: who leads on what, mutual challenge, agenda requests and the protocols' calendar.</p>"
        "<p>Service health: <a href=\"/healthz\">/healthz</a></p>"
        + (f"<h2>Protocol calendars (iCalendar)</h2><ul>{feeds}</ul>" if feeds else "")
        + "</body></html>"
    )
    return web.Response(text=body, content_type="text/html", charset="utf-8")


async def _no_sniffing(_request: web.Request, response: web.StreamResponse) -> None:
    """Every answer is what its Content-Type says: a 404 that repeats the path it was asked for
    (``no area called '<script>…'``) stays plain text in any browser."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")


def build_app(services: Services, settings: Settings, *, background: bool = True) -> web.Application:
    """The whole server: every platform the registry lists (on, or refusing when off), health, the
    calendar feeds and report links. ``background=False`` leaves the clock off (tests drive ticks
    themselves)."""
    from bot import calendar_feeds
    from bot.platforms.inbound import MAX_BODY_BYTES
    from bot.platforms.registry import platforms
    from bot.reports import web as report_web

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.on_response_prepare.append(_no_sniffing)
    app[SERVICES] = services
    app[SETTINGS] = settings
    app.router.add_get("/", home)
    app.router.add_get("/healthz", healthz)
    open_: list[tuple[str, str]] = []
    mounted = platforms(settings)
    # the core asks the platforms this server runs (what the bootstrap built is for commands run without one)
    services.platforms = {p.name: p for p in mounted}
    for platform in mounted:
        sender = platform.mount(app, services)
        if sender is not None:
            services.senders[platform.name] = sender
        open_.extend((e.route, e.protection) for e in platform.endpoints())
    open_.append(("GET  /", "open: a page naming the service"))
    open_.append(("GET  /healthz", "open: 200 when ready (database, protocol index, calendar planned)"))
    calendar_feeds.mount(app, services)
    open_.append(("GET  /calendar/<area>.ics", "open: each area's public protocol calendar"))
    open_.append(("GET  /calendar/personal/<token>.ics", "a person's own calendar, by its secret link (revocable)"))
    report_web.mount(app, services)
    open_.append(("GET  /reports/<token>.md|.docx", "a drafted annual-report section, by its private link (30 days)"))
    services.endpoints = open_
    if background:
        # ready only once the calendar is planned (tests without the clock drive the calendar themselves)
        if services.readiness is None:
            services.readiness = Readiness()
        readiness = services.readiness
        if services.store is not None:
            readiness.add("calendar", lambda: plan_calendar(services))
        app.on_startup.append(_start_background)
        app.on_cleanup.append(_stop_background)
    return app


CLOCK = web.AppKey["Clockwork"]("clock")


async def _start_background(app: web.Application) -> None:
    from scheduler.clockwork import Clockwork

    services = app[SERVICES]
    settings = app[SETTINGS]
    dispatcher = services.dispatcher
    if dispatcher is None:
        raise RuntimeError("the server's clock needs the outbox dispatcher (bot.bootstrap.open_services builds it)")
    jobs: dict[str, Job] = {"outbox": (dispatcher.tick, settings.tick_seconds),
            # every replica, every few seconds: keep the leases, or take over a dead replica's work
            "outbox-beat": (dispatcher.beat, dispatcher.beat_seconds)}
    calendar = services.calendar
    if calendar is not None:
        jobs["calendar-beat"] = (calendar.beat, min(dispatcher.beat_seconds, calendar.lease_seconds / 4))
    jobs.update(services.jobs)
    readiness = services.readiness
    # housekeeping jobs make their first run once the server is ready (or after two minutes)
    clock = Clockwork(dispatcher, jobs, ready=(lambda: readiness.wait(120)) if readiness is not None else None,
                      alarms={"calendar": calendar.seconds_to_wakeup} if calendar is not None and "calendar" in jobs else None)
    clock.start()
    app[CLOCK] = clock
    if readiness is not None:
        readiness.start()


async def _stop_background(app: web.Application) -> None:
    readiness = app[SERVICES].readiness
    if readiness is not None:
        await readiness.stop()
    clock = app.get(CLOCK)
    if clock is not None:
        await clock.stop()

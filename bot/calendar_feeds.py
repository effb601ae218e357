"""The calendar's part of ``boardbot serve``: the iCalendar feeds, and ``boardbot calendar export``.

    GET /calendar/{area}.ics              the area's public protocol calendar (404 for an unknown area)
    GET /calendar/personal/{token}.ics    a person's own feed (404 once revoked or if unknown)

:func:`mount` is called by :func:`bot.web.build_app`. The :class:`~scheduler.materialise.Calendar`
itself, and its tick, come from :func:`bot.bootstrap.open_services`; the server lets go of
its lease when it shuts down.

This is wiring (it reads the protocol index and serves HTTP), so it sits beside :mod:`bot.web`
rather than in the scheduler, which knows neither.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging

from aiohttp import web

from bot.config import Settings
from bot.knowledge import Knowledge
from bot.services import Services
from scheduler.calendar import (
    ensure_synced,
    events,
    feed_owner,
    person_events,
)
from scheduler.ical import calendar_text
from storage.store import Store

log = logging.getLogger("boardbot.calendar")

PAST = dt.timedelta(days=90)
AHEAD = dt.timedelta(days=2 * 366)  # far enough for yearly dates; four-yearly ones show when near

CALENDAR_SERVICES = web.AppKey("calendar_services", Services)


async def area_ics(store: Store, knowledge: Knowledge, area_slug: str, now: dt.datetime) -> str | None:
    """The public calendar of an area as iCalendar text, or None for an unknown area.

    Read-only: the rules are kept in step with the protocol by the Calendar's tick (or, for
    ``calendar export``, by :func:`export_command`), never during a GET that feeds poll.
    """
    if area_slug not in knowledge.areas:
        return None
    async with store.session() as s:
        found = await events(s, area_slug, start=now - PAST, end=now + AHEAD, public_only=True)
    area = knowledge.area(area_slug)
    return calendar_text(found, name=f"{area.name} partnership boards (protocol calendar)", now=now,
                         description=f"The dates {area.name}'s joint protocol commits its boards to, from boardbot.")


def mount(app: web.Application, services: Services) -> None:
    """Add the calendar routes to the server."""
    app[CALENDAR_SERVICES] = services
    app.router.add_get("/calendar/personal/{token}.ics", _personal)
    app.router.add_get("/calendar/{area}.ics", _area)
    cal = services.calendar
    if cal is None:
        return

    async def _release(_app: web.Application) -> None:
        try:
            await cal.release()
        except Exception:  # shutting down: the lease simply expires
            log.debug("could not release the calendar lease", exc_info=True)

    app.on_shutdown.append(_release)


def _ics(body: str) -> web.Response:
    return web.Response(body=body.encode("utf-8"), content_type="text/calendar", charset="utf-8",
                        headers={"Cache-Control": "private, max-age=300"})


async def _planned(services: Services) -> None:
    """Until the server has planned the calendar (just after start), a feed would come back empty
    and a subscribed calendar would drop every event: wait a moment, then say 503, try again soon."""
    readiness = services.readiness
    if readiness is None or await readiness.wait(WAIT_FOR_PLAN_SECONDS):
        return
    raise web.HTTPServiceUnavailable(text="the calendar is being planned after a restart; try again in a few seconds\n",
                                     headers={"Retry-After": "5"})


WAIT_FOR_PLAN_SECONDS = 3.0


async def _area(request: web.Request) -> web.Response:
    services = request.app[CALENDAR_SERVICES]
    slug = request.match_info["area"].lower()
    if services.store is None:
        raise web.HTTPServiceUnavailable(text="the calendar needs the database")
    await _planned(services)
    body = await area_ics(services.store, services.knowledge, slug, services.clock())
    if body is None:
        raise web.HTTPNotFound(text=f"no area called {slug!r}; areas: {', '.join(sorted(services.knowledge.areas))}\n")
    return _ics(body)


async def _personal(request: web.Request) -> web.Response:
    services = request.app[CALENDAR_SERVICES]
    if services.store is None:
        raise web.HTTPServiceUnavailable(text="the calendar needs the database")
    await _planned(services)
    now = services.clock()
    async with services.store.session() as s:
        person = await feed_owner(s, request.match_info["token"])
        if person is None:
            raise web.HTTPNotFound(text="no such calendar (the link may have been revoked)\n")
        found = await person_events(s, person, start=now - PAST, end=now + AHEAD)
    area = services.knowledge.areas.get(person.area_slug)
    name = f"boardbot \u2014 {person.display_name or person.user_id}" + (f" ({area.name})" if area else "")
    return _ics(calendar_text(found, name=name, now=now, description="Your boards' dates, with private ones. Do not share this link."))


def _write(path: str, body: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:  # keep the CRLF line ends iCalendar wants
        f.write(body)


async def export_command(settings: Settings, area: str, out: str) -> int:
    """``boardbot calendar export --area AREA [--out FILE]``: the area's public calendar as .ics."""
    import sys

    store = await Store.open(settings.database_url)
    try:
        knowledge = Knowledge(await store.stored_protocols())
        slug = knowledge.resolve_area(area)
        if slug is None:
            print(f"boardbot: unknown area {area!r}. Areas: {'; '.join(knowledge.area_names())}", file=sys.stderr)
            return 2
        now = dt.datetime.now(dt.UTC)
        async with store.session() as s:  # a command, not a GET: it may bring the rules up to date itself
            await ensure_synced(s, slug, now)
        body = await area_ics(store, knowledge, slug, now)
        if body is None:  # the index named the area a moment ago; it is gone from it now
            print(f"boardbot: area {area!r} is no longer loaded", file=sys.stderr)
            return 2
        if out in ("-", ""):
            sys.stdout.write(body.replace("\r\n", "\n") if sys.stdout.isatty() else body)
            sys.stdout.flush()
        else:
            await asyncio.to_thread(_write, out, body)
            print(f"{knowledge.area(slug).name}: {body.count('BEGIN:VEVENT')} dates written to {out}", file=sys.stderr)
        return 0
    finally:
        await store.close()

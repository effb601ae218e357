"""``GET /reports/<token>.md|.docx|.png``: a drafted year, behind its private link.

Mounted by :func:`bot.web.build_app`. An unknown or expired token is a 404 that says so;
the draft is written afresh from the record on each download.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import web

from bot.reports import links

REPORT_SERVICES = web.AppKey("report_services", object)
TYPES = {
    "md": "text/markdown",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
}


def mount(app: web.Application, services: Any) -> None:
    app[REPORT_SERVICES] = services
    app.router.add_get("/reports/{token}.{ext}", _download)


async def _download(request: web.Request) -> web.Response:
    from bot.reports import render
    from bot.reports.year import gather

    services = request.app[REPORT_SERVICES]
    ext = request.match_info["ext"]
    if ext not in TYPES or services.store is None:
        raise web.HTTPNotFound(text="no such report\n")
    now = services.clock()
    async with services.store.session() as s:
        target = await links.resolve(s, request.match_info["token"], now)
        area = services.knowledge.areas.get(target.area) if target else None
        if target is None or area is None or target.board not in area.boards:
            raise web.HTTPNotFound(text="no such report (the link may have expired: ask boardbot for it again)\n")
        fig = await gather(s, area, target.board, target.start, target.end, now)
    # matplotlib and python-docx are CPU work: off the event loop, so other requests keep flowing
    drafted = await asyncio.to_thread(render.draft, fig)
    body = {"md": drafted.markdown.encode("utf-8"), "docx": drafted.docx, "png": drafted.png}[ext]
    return web.Response(body=body, content_type=TYPES[ext], headers={
        "Content-Disposition": f'attachment; filename="{drafted.stem}.{ext}"', "Cache-Control": "private, no-store",
        "Referrer-Policy": "no-referrer"})

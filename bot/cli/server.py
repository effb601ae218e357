"""``boardbot serve`` and ``boardbot status``: the server, and what an installation has."""

from __future__ import annotations

import asyncio
import json
import sys

from bot.config import Settings


async def serve(args, settings: Settings) -> int:
    import logging

    from aiohttp import web

    from bot.bootstrap import open_services
    from bot.web import build_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # migrations say what they did only if asked
    services = await open_services(settings)
    app = build_app(services, settings)
    import gc

    # what is loaded now (SDKs, the protocol index) lives as long as the server: keep it out of
    # the collector's full passes, which otherwise stall every request in flight for ~100 ms
    gc.collect()
    gc.freeze()
    # and from now on the collector runs on the server's schedule, not every few hundred requests
    # (bot.cli.collector says why)
    from bot.cli.collector import collect_on_schedule

    collecting = asyncio.create_task(collect_on_schedule())
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.host, settings.port)
    try:
        await site.start()
    except OSError as exc:
        print(f"boardbot: cannot listen on {settings.host}:{settings.port}: {exc.strerror or exc}", file=sys.stderr)
        collecting.cancel()
        await runner.cleanup()
        await services.close()
        return 1
    print(f"boardbot serving on http://{settings.host}:{settings.port} — database {services.store.describe()}")
    print("endpoints, and how each is protected:")
    for route, how in services.endpoints:
        print(f"  {route:<36} {how}")
    sys.stdout.flush()  # a supervisor reading a pipe sees this at once
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    print("boardbot: stopping")
    collecting.cancel()
    await runner.cleanup()
    await services.close()
    return 0


async def status(args, settings: Settings) -> int:
    import datetime as dt

    from bot import status
    from bot.knowledge import Knowledge
    from storage.store import Store

    store = await Store.open(settings.database_url)
    try:
        now = dt.datetime.now(dt.UTC)
        report = await status.collect(store, Knowledge(await store.protocols()), settings, now)
        if args.json:
            data = {**report, "areas": [a.as_json() for a in report["areas"]]}
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
        else:
            print("\n".join(status.lines(report, now)))
        return 0 if report["database"]["reachable"] else 1
    finally:
        await store.close()

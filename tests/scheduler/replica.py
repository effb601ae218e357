"""``boardbot serve`` with short leases, for the kill -9 test (a lease normally outlives a slow send by far).

Everything but the lease lengths is the real server: open_services, build_app (Slack sender, calendar,
clock), an aiohttp site on HOST:PORT. Prints "ready" when it listens; stops cleanly on SIGTERM.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import signal

from aiohttp import web

from bot.bootstrap import open_services
from bot.config import from_env
from bot.web import build_app


async def main() -> None:
    settings = from_env()
    services = await open_services(settings)
    app = build_app(services, settings)
    services.dispatcher.lease = dt.timedelta(seconds=2)
    services.dispatcher.claim = dt.timedelta(seconds=3)
    services.calendar.lease_seconds = 2
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, settings.host, settings.port).start()
    print("ready", flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.cleanup()
    await services.close()


if __name__ == "__main__":
    asyncio.run(main())

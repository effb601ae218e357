"""APScheduler as the clock: in-memory interval jobs that drive the outbox and the calendar.

Jobs live only in memory (no APScheduler job store: it is not safe across processes and
its pickled jobs would tie the database to code paths). The state is all in our own
tables, so any replica can tick and a restart simply catches up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger("boardbot.clock")

STOP_SECONDS = 10.0  # how long stop waits for cancelled jobs to finish closing what they hold


class Clockwork:
    """Runs ``jobs`` (name -> (coroutine function, interval seconds)) and a kick-driven outbox loop."""

    def __init__(self, dispatcher, jobs: dict[str, tuple[Callable[[], Awaitable[object]], float]]) -> None:
        self.dispatcher = dispatcher
        self.jobs = jobs
        self.scheduler: AsyncIOScheduler | None = None
        self._kick_task: asyncio.Task | None = None
        self._running: set[asyncio.Task] = set()  # jobs in flight, so stop can wait for them to end

    async def _safe(self, name: str, fn: Callable[[], Awaitable[object]]) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await fn()
        except Exception:  # a failing job must not stop the clock
            log.exception("scheduled job %s failed", name)
        finally:
            if task is not None:
                self._running.discard(task)

    def start(self) -> None:
        # APScheduler logs every run at INFO; with a one-second calendar tick that drowns the log
        for name in ("apscheduler.executors.default", "apscheduler.scheduler"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        for name, (fn, seconds) in self.jobs.items():
            # (no next_run_time here: None would add the job paused, and it would never run)
            self.scheduler.add_job(self._safe, "interval", seconds=seconds, args=[name, fn], id=name,
                                   max_instances=1, coalesce=True, misfire_grace_time=max(1, int(seconds)))
            # run once straight away: a restart catches up at once
            self.scheduler.add_job(self._safe, args=[name, fn], id=f"{name}-first")
        self.scheduler.start()
        if self.dispatcher is not None:
            self._kick_task = asyncio.get_running_loop().create_task(self._kicks())

    async def _kicks(self) -> None:
        # not through _safe: a cancellation here must end the loop, or the server never stops
        while True:
            await self.dispatcher.wait_for_kick(seconds=3600)
            try:
                await self.dispatcher.tick()
            except Exception:  # a failing send must not stop the outbox
                log.exception("scheduled job outbox-kick failed")

    async def stop(self) -> None:
        if self._kick_task:
            self._kick_task.cancel()
        if self.scheduler:
            self.scheduler.shutdown(wait=False)  # cancels the jobs in flight, without waiting for them
        # Wait for the cancelled jobs to end: one cancelled inside a query still has to close its
        # database connection, and if the store is closed under it first, the process hangs on exit.
        pending = [t for t in (*self._running, self._kick_task) if t is not None and not t.done()]
        if pending:
            await asyncio.wait(pending, timeout=STOP_SECONDS)
        if self.dispatcher is not None:
            await self.dispatcher.release()

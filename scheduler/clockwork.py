"""APScheduler as the clock: in-memory interval jobs that drive the outbox and the calendar.

Jobs live only in memory (no APScheduler job store: it is not safe across processes and
its pickled jobs would tie the database to code paths). The state is all in our own
tables, so any replica can tick and a restart simply catches up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger("boardbot.clock")


# What a restart must do at once: send what waits, keep the leases, queue what fell due.
AT_ONCE = frozenset({"outbox", "outbox-beat", "calendar", "calendar-beat"})


class Clockwork:
    """Runs ``jobs`` (name -> (coroutine function, interval seconds)) and a kick-driven outbox loop.

    Every job also runs once straight away, so a restart catches up at once. With ``ready``
    (awaited, e.g. the server's readiness), the jobs not in ``at_once`` (housekeeping: the
    challenge clocks, the monthly review nudges, ...) make that first run only once it
    returns, so they do not hold up a server that is still getting ready.

    ``alarms`` (job name -> seconds until the job has work, or None) run a job at that moment
    as well as at its interval: the calendar's next post falls due between two of its
    one-second ticks, and waiting for the next tick would post it up to a second late. Such a
    job runs in a loop of its own (one run at a time), not as an APScheduler interval job.
    """

    def __init__(self, dispatcher, jobs: dict[str, tuple[Callable[[], Awaitable[object]], float]], *,
                 ready: Callable[[], Awaitable[object]] | None = None, at_once: frozenset[str] = AT_ONCE,
                 alarms: Mapping[str, Callable[[], float | None]] | None = None) -> None:
        self.dispatcher = dispatcher
        self.jobs = jobs
        self.ready = ready
        self.at_once = at_once
        self.alarms = dict(alarms or {})
        self.scheduler: AsyncIOScheduler | None = None
        self._kick_task: asyncio.Task | None = None
        self._alarm_tasks: list[asyncio.Task] = []
        self._running: set[asyncio.Task] = set()
        self._stopping = False

    async def _after_ready(self, name: str, fn: Callable[[], Awaitable[object]]) -> None:
        async def first() -> None:
            if self.ready is not None:
                await self.ready()
            await fn()
        await self._safe(name, first)

    async def _safe(self, name: str, fn: Callable[[], Awaitable[object]]) -> None:
        # Each run is tracked, so that stop() can wait for it to end: a run left behind would be
        # cancelled only when the event loop closes, after the database is closed under it, and
        # a database call cancelled then can wait for ever (the server would never stop).
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await fn()
        except asyncio.CancelledError:
            if not self._stopping:
                raise
            # stopping: the run ends here, quietly (the clock's own stop cancelled it)
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
        loop = asyncio.get_running_loop()
        for name, (fn, seconds) in self.jobs.items():
            if name in self.alarms:
                self._alarm_tasks.append(loop.create_task(self._alarm(name, fn, seconds, self.alarms[name])))
                continue
            # (no next_run_time here: None would add the job paused, and it would never run)
            self.scheduler.add_job(self._safe, "interval", seconds=seconds, args=[name, fn], id=name,
                                   max_instances=1, coalesce=True, misfire_grace_time=max(1, int(seconds)))
            # run once straight away: a restart catches up at once
            first = self._safe if self.ready is None or name in self.at_once else self._after_ready
            self.scheduler.add_job(first, args=[name, fn], id=f"{name}-first")
        self.scheduler.start()
        if self.dispatcher is not None:
            self._kick_task = loop.create_task(self._kicks())

    async def _alarm(self, name: str, fn: Callable[[], Awaitable[object]], seconds: float,
                     due_in: Callable[[], float | None]) -> None:
        """Run ``fn`` now, then again after ``seconds`` or when ``due_in`` says, whichever is sooner."""
        # not through _safe as a whole: a cancellation while sleeping must end the loop
        if self.ready is not None and name not in self.at_once:
            await self.ready()
        while not self._stopping:
            before = due_in()
            await self._safe(name, fn)
            wait = due_in()
            if wait is None or (wait <= 0 and before is not None and before <= 0):
                wait = seconds  # nothing due, or a run at its moment left it still due (failing): the interval
            # a hair after the moment, so that the job sees it as come (timers may fire a little early)
            await asyncio.sleep(min(seconds, max(wait, 0.0) + 0.002))

    async def _kicks(self) -> None:
        # not through _safe: a cancellation here must end the loop, or the server never stops
        while True:
            await self.dispatcher.wait_for_kick(seconds=3600)
            try:
                await self.dispatcher.tick()
            except Exception:  # a failing send must not stop the outbox
                log.exception("scheduled job outbox-kick failed")

    async def stop(self, grace: float = 10.0) -> None:
        """Stop every job and wait (up to ``grace`` seconds) for the runs in flight to end, so
        that the database can be closed after them, never under them."""
        self._stopping = True
        if self.scheduler:
            self.scheduler.shutdown(wait=False)
        in_flight = [t for t in (self._kick_task, *self._alarm_tasks, *self._running) if t is not None and not t.done()]
        for t in in_flight:
            t.cancel()
        if in_flight:
            _done, stuck = await asyncio.wait(in_flight, timeout=grace)
            if stuck:
                log.warning("%d scheduled job(s) did not stop within %.0f s", len(stuck), grace)
        if self.dispatcher is not None:
            await self.dispatcher.release()

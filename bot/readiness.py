"""Ready means ready: what a fresh server must have done before it says so.

``GET /healthz`` answers 200 only once every step here is done; until then it answers 503
naming what it waits for. The protocol index is built before the server listens; the
calendar's rules are brought in step with every area's protocol by a first planning pass
just after it starts (before that, ``/calendar/AREA.ics`` would be empty, and a calendar
client refreshing then would drop every event). The calendar routes wait a moment for
it, then answer 503 with Retry-After.

Nothing here knows the web framework: :mod:`bot.web` mounts it and the calendar routes
ask it, through ``services.readiness``. The calendar's first planning pass is
:func:`bot.bootstrap.plan_calendar`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("boardbot.ready")

RETRY_AFTER_SECONDS = 5


class Readiness:
    """Named start-up steps; ready when all have finished."""

    def __init__(self) -> None:
        self._pending: dict[str, Callable[[], Awaitable[object]]] = {}
        self._failed: dict[str, str] = {}
        self._done = asyncio.Event()
        self._tasks: list[asyncio.Task] = []
        self._started = False

    def add(self, name: str, step: Callable[[], Awaitable[object]]) -> None:
        """A step to finish before the server is ready (run by :meth:`start`)."""
        self._pending[name] = step
        self._done.clear()

    @property
    def ready(self) -> bool:
        return not self._pending

    def waiting_for(self) -> list[str]:
        return sorted(self._pending)

    def failures(self) -> dict[str, str]:
        return dict(self._failed)

    def start(self) -> None:
        """Run every step in the background (after the server listens), retrying a failed one."""
        if self._started:
            return
        self._started = True
        if not self._pending:
            self._done.set()
        for name, step in list(self._pending.items()):
            self._tasks.append(asyncio.get_running_loop().create_task(self._run(name, step)))

    async def _run(self, name: str, step: Callable[[], Awaitable[object]]) -> None:
        delay = 1.0
        while True:
            try:
                await step()
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # e.g. the database not there yet: keep trying, say what failed
                self._failed[name] = f"{type(exc).__name__}: {exc}"[:300]
                log.warning("start-up step %s failed (%s); trying again in %.0f s", name, exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
        self._pending.pop(name, None)
        self._failed.pop(name, None)
        if not self._pending:
            self._done.set()
            log.info("ready")

    async def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for readiness; True if ready."""
        if self.ready:
            return True
        try:
            await asyncio.wait_for(asyncio.shield(self._done.wait()), seconds)
        except TimeoutError:
            return False
        return True

    async def stop(self) -> None:
        for t in self._tasks:
            t.cancel()
        for t in self._tasks:
            try:
                await t
            except (asyncio.CancelledError, Exception):
                pass

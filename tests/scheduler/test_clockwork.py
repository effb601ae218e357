"""Stopping the clock: a server asked to stop (SIGTERM, docker stop) must stop, whatever the
outbox is doing at that moment."""

from __future__ import annotations

import asyncio

from scheduler.clockwork import Clockwork


class _BusyOutbox:
    """An outbox whose send is in flight when the server stops."""

    def __init__(self) -> None:
        self.kicked = asyncio.Event()
        self.sending = asyncio.Event()
        self.waits = 0

    async def wait_for_kick(self, seconds: float) -> None:
        self.waits += 1
        if self.waits > 1:  # fail, rather than hang, if the loop carries on after it was cancelled
            raise RuntimeError("the outbox loop went on after it was cancelled")
        await self.kicked.wait()

    async def tick(self) -> None:
        self.sending.set()
        await asyncio.sleep(3600)

    async def release(self) -> None:
        pass


async def test_the_outbox_loop_ends_when_cancelled_mid_send() -> None:
    outbox = _BusyOutbox()
    clock = Clockwork(outbox, {})
    clock.start()
    outbox.kicked.set()
    await asyncio.wait_for(outbox.sending.wait(), 5)
    await clock.stop()
    task = clock._kick_task
    assert task is not None
    # cancelled in the middle of a send, the loop ends instead of waiting for the next kick
    (result,) = await asyncio.wait_for(asyncio.gather(task, return_exceptions=True), 5)
    assert isinstance(result, asyncio.CancelledError), result


async def test_housekeeping_waits_for_the_server_to_be_ready_and_the_calendar_does_not() -> None:
    ready = asyncio.Event()
    ran: list[str] = []

    def job(name: str):
        async def run() -> None:
            ran.append(name)
        return run

    async def wait_ready() -> None:
        await ready.wait()

    clock = Clockwork(None, {"calendar": (job("calendar"), 3600), "protocol-review": (job("protocol-review"), 3600)},
                      ready=wait_ready)
    clock.start()
    try:
        for _ in range(100):
            if ran:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.05)
        assert ran == ["calendar"]
        ready.set()
        for _ in range(100):
            if len(ran) == 2:
                break
            await asyncio.sleep(0.01)
        assert ran == ["calendar", "protocol-review"]
    finally:
        await clock.stop()


async def test_stop_waits_for_a_job_in_flight_so_nothing_runs_after_it() -> None:
    """A job half-way through (a database call, say) when the server stops has ended by the
    time stop() returns: the server can close the database after it, not under it."""
    started = asyncio.Event()
    ended: list[str] = []

    async def slow() -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        finally:
            await asyncio.sleep(0.05)  # its own tidying up, which must finish before stop returns
            ended.append("slow")

    clock = Clockwork(None, {"calendar": (slow, 3600)})
    clock.start()
    await asyncio.wait_for(started.wait(), 5)
    await asyncio.wait_for(clock.stop(), 5)
    assert ended == ["slow"]
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task() and not t.done()]
    assert others == []


async def test_a_post_due_between_two_ticks_is_made_at_its_moment_not_at_the_next_tick() -> None:
    loop = asyncio.get_running_loop()
    due = loop.time() + 0.2  # the calendar's next post falls due in 0.2 s; its interval is an hour
    runs: list[float] = []

    async def calendar_tick() -> None:
        runs.append(loop.time())

    clock = Clockwork(None, {"calendar": (calendar_tick, 3600)},
                      alarms={"calendar": lambda: due - loop.time() if loop.time() < due else None})
    clock.start()
    try:
        await asyncio.sleep(0.6)
    finally:
        await clock.stop()
    assert len(runs) == 2  # once at start, once at the moment (not an hour on)
    assert due <= runs[1] < due + 0.2


async def test_a_job_that_fails_at_its_moment_waits_for_its_interval_rather_than_spinning() -> None:
    runs: list[int] = []

    async def failing() -> None:
        runs.append(1)
        raise RuntimeError("the database is down")

    clock = Clockwork(None, {"calendar": (failing, 3600)}, alarms={"calendar": lambda: -1.0})  # due, and still due
    clock.start()
    try:
        await asyncio.sleep(0.3)
    finally:
        await clock.stop()
    assert len(runs) <= 2

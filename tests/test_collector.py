"""While boardbot serves, the garbage collector runs on the server's schedule: objects that hold
each other in a cycle are still collected, on time, and a burst of them at once."""

from __future__ import annotations

import asyncio
import gc
import weakref

from bot.cli.collector import collect_on_schedule


class _Node:
    def __init__(self) -> None:
        self.other = self  # a cycle: reference counting alone never frees it


async def _stopped(task: asyncio.Task) -> None:
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass


async def test_cycles_are_collected_on_schedule_while_the_automatic_collector_is_off():
    assert gc.isenabled()
    task = asyncio.create_task(collect_on_schedule(every=0.05, full_every=3600, poll=0.01))
    try:
        await asyncio.sleep(0.02)
        assert not gc.isenabled()
        node = _Node()
        gone = weakref.ref(node)
        del node
        assert gone() is not None  # nothing collects it by itself now
        await asyncio.sleep(0.15)
        assert gone() is None
    finally:
        await _stopped(task)
    assert gc.isenabled()  # on again once serving stops


async def test_a_burst_of_cycles_is_collected_before_its_time_is_up():
    task = asyncio.create_task(collect_on_schedule(every=3600, full_every=3600, young_limit=5_000, poll=0.01))
    try:
        await asyncio.sleep(0.02)
        refs = []
        for _ in range(10_000):
            node = _Node()
            refs.append(weakref.ref(node))
            del node
        await asyncio.sleep(0.1)
        assert all(r() is None for r in refs)
    finally:
        await _stopped(task)


async def test_everything_is_walked_on_the_full_schedule():
    task = asyncio.create_task(collect_on_schedule(every=3600, full_every=0.05, young_limit=10**9, poll=0.01))
    try:
        await asyncio.sleep(0.02)
        node = _Node()
        gone = weakref.ref(node)
        gc.collect(1)  # survives into the oldest generation, where only a full pass looks
        del node
        await asyncio.sleep(0.15)
        assert gone() is None
    finally:
        await _stopped(task)

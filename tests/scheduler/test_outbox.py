"""The outbox across replicas: a batch that sends slowly is never sent twice, and keeps its order.

Two dispatchers (two replicas, told apart by worker id) share one database, on SQLite and
PostgreSQL. The first one's sender is slow: each post takes 45 s (on the test's clock,
longer than the 30 s outbox lease), and while it is posting, the other replica ticks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from schedtest import Clock, Posted, link_boards, london

from bot.messages import Reply
from scheduler.outbox import Dispatcher, Outgoing, Target, enqueue

AREA = "buckinghamshire"
START = london(2026, 2, 2, 9, 0)


@dataclass
class SlowSender:
    """Takes ``seconds`` (of the test's clock) per post, and runs ``meanwhile`` while it is posting."""

    clock: Clock
    posted: list[Posted]
    meanwhile: Callable[[], Awaitable[object]] | None = None
    seconds: float = 45
    sent: int = 0

    async def send(self, message: Outgoing) -> str:
        self.clock.advance(seconds=self.seconds)
        if self.meanwhile is not None:
            await self.meanwhile()
        self.posted.append(Posted(self.clock(), message))
        self.sent += 1
        return f"ts-{len(self.posted)}"


async def test_a_slow_batch_is_not_sent_again_by_another_replica(pg_store) -> None:
    store = pg_store
    clock = Clock(START)
    await link_boards(store, AREA, at=START, boards=["bscb", "bsab"])
    async with store.session() as s:
        for i in range(8):
            board = "bscb" if i % 2 == 0 else "bsab"
            await enqueue(s, area_slug=AREA, target=Target.board(board), reply=Reply(text=f"post {i}"), key=f"test:{i}",
                          origin="reminder", due_at=START + dt.timedelta(seconds=i))
        await s.commit()
    posted: list[Posted] = []
    other = Dispatcher(store.sessions, {"slack": SlowSender(clock, posted, seconds=0)}, clock=clock, worker_id="replica-2")
    slow = SlowSender(clock, posted, meanwhile=other.tick)
    first = Dispatcher(store.sessions, {"slack": slow}, clock=clock, worker_id="replica-1")
    clock.advance(seconds=10)
    await first.tick()
    for _ in range(20):  # both carry on ticking until everything is out
        clock.advance(seconds=5)
        await first.tick()
        await other.tick()
    keys = Counter(p.message.key for p in posted)
    assert len(keys) == 8 and set(keys.values()) == {1}, keys  # each post once
    for channel in ("C-bscb", "C-bsab"):
        order = [int(p.message.key.split("|")[0].split(":")[1]) for p in posted if p.channel == channel]
        assert order == sorted(order), (channel, order)  # and in order per channel
    assert 0 < slow.sent < 8  # the slow replica did part of it; the other took over the rest

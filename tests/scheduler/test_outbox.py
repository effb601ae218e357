"""The outbox across replicas: a batch that sends slowly is never sent twice, and keeps its order;
a replica that dies mid-batch has its channels taken over within seconds.

Two dispatchers (two replicas, told apart by worker id) share one database, on SQLite and
PostgreSQL. In the first test the first one's sender is slow: each post takes 45 s (on the
test's clock, longer than the outbox lease), and while it is posting, the other replica
ticks. The others run on the real clock with short leases, claims and heartbeats: a slow
post keeps its claim alive through the heartbeat, and a batch cut off mid-send (its task
cancelled, nothing cleaned up: a crash) is taken over once its claims lapse.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from schedtest import Clock, Posted, link_boards, london

from bot.messages import Reply
from scheduler.dispatch import Dispatcher
from scheduler.outbox import Outgoing, Target, enqueue

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
    # On this test's clock no heartbeat can run during the 45 s jump, so the claims are made long
    # enough to outlive it, as a live replica's heartbeat would keep them; the lease still lapses.
    long = {"lease_seconds": 30, "claim_seconds": 120}
    other = Dispatcher(store.sessions, {"slack": SlowSender(clock, posted, seconds=0)}, clock=clock, worker_id="replica-2",
                       **long)
    slow = SlowSender(clock, posted, meanwhile=other.tick)
    first = Dispatcher(store.sessions, {"slack": slow}, clock=clock, worker_id="replica-1", **long)
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


@dataclass
class RealTimeSender:
    """Takes ``seconds`` of real time per post."""

    name: str
    posted: list[tuple[str, str]]
    seconds: float
    started: asyncio.Event

    async def send(self, message: Outgoing) -> str:
        self.started.set()
        await asyncio.sleep(self.seconds)
        self.posted.append((self.name, message.key))
        return f"ts-{len(self.posted)}"


def fast(store, name: str, posted, seconds: float, started: asyncio.Event | None = None) -> Dispatcher:
    return Dispatcher(store.sessions, {"slack": RealTimeSender(name, posted, seconds, started or asyncio.Event())},
                      worker_id=name, lease_seconds=0.8, claim_seconds=1.2, beat_seconds=0.2)


async def queue(store, n: int) -> None:
    now = dt.datetime.now(dt.UTC)
    await link_boards(store, AREA, at=now - dt.timedelta(days=1), boards=["bscb"])
    async with store.session() as s:
        for i in range(n):
            await enqueue(s, area_slug=AREA, target=Target.board("bscb"), reply=Reply(text=f"post {i}"), key=f"rt:{i}",
                          origin="reminder", due_at=now - dt.timedelta(seconds=n - i))
        await s.commit()


async def keep_going(d: Dispatcher, stop: asyncio.Event, every: float = 0.1) -> None:
    """What the clockwork does: beat, and tick when kicked or on schedule."""
    while not stop.is_set():
        await d.beat()
        await d.tick()
        await asyncio.sleep(every)


def order(posted) -> list[int]:
    return [int(k.split("|")[0].split(":")[1]) for _, k in posted]


async def test_a_post_slower_than_the_claim_keeps_it_through_the_heartbeat(pg_store) -> None:
    await queue(pg_store, 3)
    posted: list[tuple[str, str]] = []
    first, other = fast(pg_store, "replica-1", posted, 2.0), fast(pg_store, "replica-2", posted, 0.0)
    stop = asyncio.Event()
    rival = asyncio.ensure_future(keep_going(other, stop))
    await first.tick()  # 3 posts of 2 s each, against a 1.2 s claim and a 0.8 s lease
    stop.set()
    await rival
    assert posted == [("replica-1", p) for _, p in posted] and order(posted) == [0, 1, 2]


async def test_a_replica_that_dies_mid_batch_is_taken_over_within_a_claim_and_a_beat(pg_store) -> None:
    await queue(pg_store, 4)
    posted: list[tuple[str, str]] = []
    started = asyncio.Event()
    first = fast(pg_store, "replica-1", posted, 0.5, started)
    other = fast(pg_store, "replica-2", posted, 0.0)
    batch = asyncio.ensure_future(first.tick())
    await started.wait()
    await asyncio.sleep(0.7)  # the first post is out, the second on its way...
    batch.cancel()  # ...when the replica dies: nothing released, its claims simply stop being renewed
    died = time.monotonic()
    stop = asyncio.Event()
    rival = asyncio.ensure_future(keep_going(other, stop))
    while len(posted) < 4 and time.monotonic() - died < 10:  # noqa: ASYNC110 - polling
        await asyncio.sleep(0.02)
    took = time.monotonic() - died
    stop.set()
    await rival
    assert [name for name, _ in posted] == ["replica-1", "replica-2", "replica-2", "replica-2"], posted
    assert order(posted) == [0, 1, 2, 3]
    assert took < 1.2 + 2 * 0.2 + 1.0, took  # the claim, a beat or two, and the sends


@dataclass
class CountingSender:
    """Takes a little real time per post, and counts how many posts are on their way at once."""

    posted: list[Outgoing]
    on_the_way: int = 0
    most: int = 0

    async def send(self, message: Outgoing) -> str:
        self.on_the_way += 1
        self.most = max(self.most, self.on_the_way)
        await asyncio.sleep(0.01)
        self.on_the_way -= 1
        self.posted.append(message)
        return f"ts-{len(self.posted)}"


async def test_a_tick_to_many_channels_records_every_post_sent_before_it_ends(pg_store) -> None:
    """Posts to many channels go a few channels at a time; when the tick returns, each post made is
    recorded as sent (a restart sends none again), once, and a channel's posts went in order."""
    from sqlalchemy import insert, select

    from scheduler.outbox import delivery_row
    from scheduler.views import LinkView
    from storage import directory
    from storage.models import Delivery

    store = pg_store
    now = dt.datetime.now(dt.UTC)
    async with store.session() as s:
        area_id = await directory.area_id(s, AREA)
        rows = []
        for c in range(12):
            link = LinkView(None, "slack", "W1", f"C{c}", now)  # type: ignore[arg-type]  # no stored link
            for n in range(3 if c == 0 else 1):
                rows.append(delivery_row(key=f"many:{c}:{n}", area_id=area_id, origin="reminder", link=link,
                                         payload={"text": f"post {n} to C{c}"}, due_at=now - dt.timedelta(seconds=10 - n),
                                         created_at=now))
        await s.execute(insert(Delivery), rows)
        await s.commit()
    posted: list[Outgoing] = []
    sender = CountingSender(posted)

    def slow_commits():  # the database takes its time to commit: the tick must still wait for it
        session = store.sessions()
        commit = session.commit

        async def slowly() -> None:
            await asyncio.sleep(0.05)
            await commit()

        session.commit = slowly  # type: ignore[method-assign]
        return session

    result = await Dispatcher(slow_commits, {"slack": sender}, concurrency=4).tick()
    assert result.sent == 14 and len(posted) == 14
    assert 1 < sender.most <= 4  # several channels at once, never more than the concurrency
    assert [m.reply.text for m in posted if m.channel_id == "C0"] == ["post 0 to C0", "post 1 to C0", "post 2 to C0"]
    async with store.session() as s:
        stored = (await s.execute(select(Delivery.key, Delivery.status, Delivery.message_ref))).all()
    assert len(stored) == 14 and all(status == "sent" and ref for _, status, ref in stored), stored
    again = await Dispatcher(store.sessions, {"slack": sender}, concurrency=4).tick()
    assert again.sent == 0 and len(posted) == 14

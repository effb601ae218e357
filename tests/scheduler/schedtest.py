"""Helpers for the calendar tests: a clock the test moves, and a sender that records.

``RecordingSender`` implements the outbox's ``Sender`` port (a fake of a port, not of our
code): it records each post with the simulated time it was made, so a test can check what
reached which channel on which London date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import update

from scheduler.outbox import Dispatcher, Outgoing
from scheduler.timeutil import LONDON
from storage import directory
from storage.models import ChannelLink
from storage.store import Store


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, moment: dt.datetime) -> None:
        assert moment >= self.now, "time only moves forward"
        self.now = moment

    def advance(self, **kw: float) -> None:
        self.now += dt.timedelta(**kw)


@dataclass
class Posted:
    at: dt.datetime
    message: Outgoing

    @property
    def channel(self) -> str:
        return self.message.channel_id

    @property
    def local(self) -> dt.datetime:
        return self.at.astimezone(LONDON)

    @property
    def reminder(self) -> dict:
        return self.message.reply.data.get("reminder") or {}


@dataclass
class RecordingSender:
    clock: Clock
    posted: list[Posted] = field(default_factory=list)

    async def send(self, message: Outgoing) -> str:
        self.posted.append(Posted(self.clock(), message))
        return f"ts-{len(self.posted)}"


def london(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=LONDON).astimezone(dt.UTC)


async def link_boards(store: Store, area: str, *, at: dt.datetime, boards: list[str] | None = None,
                      platform: str = "slack", purposes: tuple[str, ...] = ()) -> dict[str, str]:
    """Link one channel per board (``C-<board>``), and per purpose (``C-<purpose>``), linked at ``at``."""
    from bot.knowledge import Knowledge

    async with store.session() as s:
        k = Knowledge(await store.protocols())
        keys = boards if boards is not None else [b.key for b in k.area(area).protocol.boards]
        out = {}
        for b in keys:
            link = await directory.link_channel(s, area_slug=area, platform=platform, workspace="W1", channel_id=f"C-{b}",
                                                purpose="board", board_key=b)
            out[b] = link.channel_id
        for p in purposes:
            link = await directory.link_channel(s, area_slug=area, platform=platform, workspace="W1", channel_id=f"C-{p}",
                                                purpose=p)
            out[p] = link.channel_id
        await s.execute(update(ChannelLink).values(created_at=at))
        await s.commit()
    return out


def machinery(store: Store, clock: Clock, sender: RecordingSender, **kw):
    from scheduler.materialise import Calendar

    dispatcher = Dispatcher(store.sessions, {"slack": sender, "teams": sender}, clock=clock)
    calendar = Calendar(store.sessions, clock=clock, kick=dispatcher.kick, **kw)
    return calendar, dispatcher

"""Helpers for the calendar tests: a clock the test moves, and a sender that records.

``RecordingSender`` implements the outbox's ``Sender`` port (a fake of a port, not of our
code): it records each post with the simulated time it was made, so a test can check what
reached which channel on which London date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import update

from scheduler.dispatch import Dispatcher
from scheduler.outbox import Outgoing
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
    from bot.workflows.reminder_posts import ReminderPosts
    from scheduler.materialise import Calendar

    dispatcher = Dispatcher(store.sessions, {"slack": sender, "teams": sender}, clock=clock)
    calendar = Calendar(store.sessions, replies=ReminderPosts(), clock=clock, kick=dispatcher.kick, **kw)
    return calendar, dispatcher


async def add_rule(store: Store, area: str, *, recurrence: dict, since: dt.datetime, title: str = "Send the minutes",
                   local_time: str = "09:00", audience: list[str] | None = None, lead_days: list[int] | None = None,
                   origin: str = "user", public: bool = False) -> int:
    """A reminder rule as ``/board remind`` would store it."""
    from storage.models import ReminderRule

    async with store.session() as s:
        row = ReminderRule(area_id=await directory.area_id(s, area), key=f"test:{title}:{since.isoformat()}", origin=origin,
                           title=title, body="For: the BSCB business manager.", citation=None,
                           recurrence={**recurrence, "since": since.isoformat()}, audience=audience or ["board:bscb"],
                           lead_days=lead_days if lead_days is not None else [0], local_time=local_time, public=public,
                           active=True, created_by="console:console:bm|Business Manager", created_at=since, updated_at=since)
        s.add(row)
        await s.commit()
        return row.id


async def services_for(store: Store, clock: Clock, calendar=None):
    """The core's services over ``store`` with the test clock (for commands and button presses)."""
    from bot.knowledge import Knowledge
    from bot.services import Services

    services = Services(knowledge=Knowledge(await store.protocols()), store=store, clock=clock)
    if calendar is not None:
        services.calendar = calendar
    return services


async def press(services, button, *, roles: frozenset[str] = frozenset({"business_manager:bscb"}), user: str = "bm",
                value: dict | None = None):
    """Press a button (or submit a form) as a console user with ``roles``."""
    from bot.actions import handle_action
    from bot.messages import Actor, Request

    actor = Actor.holding("console", "console", user, user.title(), roles=roles)
    action = button.action
    return await handle_action(Request(text="", actor=actor, area=None, platform="console", action=action,
                                       value=value if value is not None else dict(button.value)), services)


async def say(services, text: str, *, roles: frozenset[str] = frozenset({"business_manager:bscb"}), user: str = "bm",
              area: str = "buckinghamshire"):
    """Type a command (``/board ...``) as a console user with ``roles``."""
    from bot.messages import Actor, Request
    from bot.router import handle

    actor = Actor.holding("console", "console", user, user.title(), roles=roles)
    return await handle(Request(text=f"/board {text}", actor=actor, area=area, platform="console"), services)


def slack_standin():
    """The stand-in Slack Web API from tests/slack/conftest.py (``FakeSlack``, ``BOT_TOKEN``, ``TEAM``), loaded by path
    so the calendar's tests post through the same stand-in and the real :class:`bot.platforms.slack.SlackSender`."""
    import importlib.util
    import sys
    from pathlib import Path

    name = "boardbot_slack_standin"
    if name not in sys.modules:
        path = Path(__file__).resolve().parent.parent / "slack" / "conftest.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]

"""Two areas on one server, as the tenancy tests need them: Buckinghamshire and Suffolk, each
linked to its own Slack workspace, each with its people and channels, on SQLite or PostgreSQL.

Actors come from the directory through :func:`bot.identity.resolve_actor`, exactly as the
platforms find them, so an actor's area is their workspace's and their roles are the ones
the directory holds for them in each area.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from bot.actions import handle_action
from bot.identity import resolve_actor
from bot.messages import Actor, Reply, Request
from bot.router import handle
from storage import directory
from storage.models import (
    AgendaRequest,
    AuditEvent,
    BoardMeeting,
    Challenge,
    ChannelLink,
    Delivery,
    OccurrenceState,
    PersonRole,
    ReminderRule,
    Workspace,
)

BUCKS, SUFFOLK = "buckinghamshire", "suffolk"
BUCKS_WS, SUFFOLK_WS = "T0001BUCKS", "T0002SUFFK"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)

# who is who: (workspace, user id, name, area, roles, admin)
PEOPLE = {
    "jo": (BUCKS_WS, "U0CHAIR01", "Jo Smith", BUCKS, {"chair:bscb"}, False),
    "sam": (BUCKS_WS, "U0HWBMGR1", "Sam Lee", BUCKS, {"business_manager:hwb"}, False),
    "dee": (BUCKS_WS, "U0DIRECT1", "Dee Director", BUCKS, {"director"}, False),
    "ada": (BUCKS_WS, "U0ADMIN01", "Ada Admin", BUCKS, set(), True),
    "bob": (BUCKS_WS, "U0MEMBER1", "Bob Member", BUCKS, set(), False),
    # Suffolk's most powerful person: its admin, HWB chair and business manager, LSCB chair, a director
    "suffolk": (SUFFOLK_WS, "U0SUFFADM", "Sue Folk", SUFFOLK,
                {"chair:hwb", "business_manager:hwb", "chair:lscb", "director"}, True),
}
CHANNELS = {BUCKS: (BUCKS_WS, ("bscb", "hwb", "bsab")), SUFFOLK: (SUFFOLK_WS, ("lscb", "hwb", "ssab"))}


@dataclass
class Walls:
    services: Any
    now: dt.datetime = NOW
    objects: dict[str, Any] = field(default_factory=dict)
    _seq: int = 0

    async def actor(self, who: str) -> Actor:
        ws, user, name, *_ = PEOPLE[who]
        actor, _area = await resolve_actor(self.services, platform="slack", workspace=ws, user_id=user, display_name=name)
        return actor

    def _rid(self) -> str:
        self._seq += 1
        return f"req-{self._seq}"

    async def say(self, who: str, text: str) -> Reply:
        actor = await self.actor(who)
        return await handle(Request(text=text, actor=actor, area=actor.home_area, platform="slack", channel="C-here",
                                    request_id=self._rid()), self.services)

    async def act(self, who: str, action: str, value: dict[str, Any], *, area: str | None = None) -> Reply:
        """A press or a submit as it reaches the core; ``area`` is what a payload may claim (ignored for objects)."""
        actor = await self.actor(who)
        return await handle_action(Request(text="", actor=actor, area=area or actor.home_area, platform="slack",
                                           channel="C-here", action=action, value=value, request_id=self._rid()),
                                   self.services)

    async def submit(self, who: str, reply: Reply, **values: Any) -> Reply:
        assert reply.form is not None, reply.text
        return await self.act(who, reply.form.action, {**reply.form.context, **values})

    async def press(self, who: str, reply: Reply, label: str) -> Reply:
        button = next((b for b in reply.buttons if b.label.startswith(label)), None)
        assert button is not None, f"no {label!r} in {[b.label for b in reply.buttons]}"
        return await self.act(who, button.action, dict(button.value))

    async def refusals(self, area: str) -> list[AuditEvent]:
        async with self.services.store.session() as s:
            aid = await directory.area_id(s, area)
            return list((await s.execute(select(AuditEvent).where(AuditEvent.area_id == aid, AuditEvent.kind == "refused")
                                         .order_by(AuditEvent.id))).scalars())

    async def state(self) -> dict[str, list[tuple]]:
        """Everything people's work consists of, row by row (refusals and retry guards apart)."""
        out: dict[str, list[tuple]] = {}
        async with self.services.store.session() as s:
            for model in (Challenge, AgendaRequest, BoardMeeting, ReminderRule, OccurrenceState, Delivery, Workspace,
                          PersonRole, ChannelLink, AuditEvent):
                cols = [c.key for c in model.__table__.columns]
                q = select(model)
                if model is AuditEvent:
                    q = q.where(AuditEvent.kind != "refused")
                rows = (await s.execute(q.order_by(model.__table__.primary_key.columns.values()[0]))).scalars()
                out[model.__tablename__] = [tuple(getattr(r, c) for c in cols) for r in rows]
        return out

    async def challenge(self, number: int = 1, area: str = BUCKS) -> Challenge:
        async with self.services.store.session() as s:
            aid = await directory.area_id(s, area)
            return (await s.execute(select(Challenge).where(Challenge.area_id == aid, Challenge.number == number))).scalar_one()

    async def agenda_request(self, number: int = 1, area: str = BUCKS) -> AgendaRequest:
        async with self.services.store.session() as s:
            aid = await directory.area_id(s, area)
            return (await s.execute(select(AgendaRequest).where(AgendaRequest.area_id == aid,
                                                                AgendaRequest.number == number))).scalar_one()


async def build(services) -> Walls:
    """Link both workspaces, their people and channels; raise a Buckinghamshire challenge (with a
    request for more time on it), an agenda request and a meeting, for the tests to aim at."""
    w = Walls(services)
    services.clock = lambda: w.now
    async with services.store.session() as s, s.begin():
        for area, (ws, boards) in CHANNELS.items():
            await directory.link_workspace(s, "slack", ws, area)
            for b in boards:
                await directory.link_channel(s, area_slug=area, platform="slack", workspace=ws, channel_id=f"C-{area}-{b}",
                                             purpose="board", board_key=b)
            await directory.link_channel(s, area_slug=area, platform="slack", workspace=ws, channel_id=f"C-{area}-directors",
                                         purpose="directors")
        for ws, user, name, area, roles, admin in PEOPLE.values():
            await directory.upsert_person(s, area_slug=area, platform="slack", workspace=ws, user_id=user, display_name=name,
                                          add_roles=frozenset(roles), is_admin=admin or None)
    form = await w.say("jo", "challenge HWB")
    raised = await w.submit("jo", form, to_board="hwb", subject="CSE profile", concern="The JSNA has no CSE profile.",
                            response_sought="A plan to add one.")
    assert raised.ok, raised.text
    ch = await w.challenge()
    more = await w.act("sam", "challenge.more_time.submit", {"id": ch.id, "text": "Board meets in January", "days": "10"})
    assert more.ok, more.text
    async with services.store.session() as s:
        ev = (await s.execute(select(AuditEvent).where(AuditEvent.kind == "time-requested"))).scalar_one()
    form = await w.say("jo", "agenda request HWB")
    asked = await w.submit("jo", form, to_board="hwb", title="CSE profile in the JSNA", reason="The JSNA has none.")
    assert asked.ok, asked.text
    added = await w.say("sam", "meeting add HWB 2027-01-12 10:00 January board")
    assert added.ok, added.text
    from scheduler.calendar import ensure_synced

    async with services.store.session() as s:
        await ensure_synced(s, BUCKS, w.now)
        rule = (await s.execute(select(ReminderRule).where(ReminderRule.area_id == await directory.area_id(s, BUCKS))
                                .order_by(ReminderRule.id))).scalars().first()
        meeting = (await s.execute(select(BoardMeeting))).scalar_one()
    assert rule is not None
    w.objects.update(challenge=ch.id, event=ev.id, agenda=(await w.agenda_request()).id, rule=rule.id, meeting=meeting.id)
    return w

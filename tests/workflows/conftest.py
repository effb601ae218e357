"""A world for workflow tests: every party board of every area has a linked channel, each
area has a directors' channel, and the clock can be moved."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select

from bot.actions import handle_action
from bot.messages import ANY_AREA, Actor, Reply, Request
from bot.router import handle
from storage import directory
from storage.models import AuditEvent, Delivery


@dataclass
class World:
    services: object
    now: dt.datetime = field(default_factory=lambda: dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))
    _seq: int = 0

    def person(self, name: str, *roles: str, admin: bool = False, area: str = ANY_AREA) -> Actor:
        """Someone holding ``roles`` in ``area`` (by default in whichever area a test asks about);
        an area given is also where their workspace is."""
        home = None if area == ANY_AREA else area
        return Actor.holding("slack", "T1", name.lower().replace(" ", "-"), name, roles=frozenset(roles), admin=admin,
                             area=area, home_area=home)

    async def say(self, actor: Actor, text: str, area: str) -> Reply:
        return await handle(Request(text=text, actor=actor, area=area, platform="slack", channel="C-here"), self.services)

    async def act(self, actor: Actor, action: str, value: dict, area: str, *, request_id: str | None = None) -> Reply:
        self._seq += 1
        return await handle_action(
            Request(text="", actor=actor, area=area, platform="slack", action=action, value=value,
                    request_id=request_id or f"req-{self._seq}"),
            self.services,
        )

    async def press(self, actor: Actor, reply: Reply, label_start: str, area: str) -> Reply:
        button = next((b for b in reply.buttons if b.label.startswith(label_start)), None)
        assert button is not None, f"no {label_start!r} button in {[b.label for b in reply.buttons]}"
        return await self.act(actor, button.action, button.value, area)

    async def escalate(self, actor: Actor, reply: Reply, area: str, reason: str = "No answer after two letters.") -> Reply:
        """Press Escalate on ``reply``, then confirm its preview with ``reason``."""
        preview = await self.press(actor, reply, "Escalate", area)
        assert preview.form is not None and preview.form.action == "challenge.escalate", preview.text
        return await self.submit(actor, preview, area, reason=reason)

    async def submit(self, actor: Actor, reply: Reply, area: str, request_id: str | None = None, **values) -> Reply:
        assert reply.form is not None, reply.text
        return await self.act(actor, reply.form.action, {**reply.form.context, **values}, area, request_id=request_id)

    async def deliveries(self, channel: str | None = None) -> list[Delivery]:
        async with self.services.store.session() as s:
            q = select(Delivery).order_by(Delivery.id)
            if channel:
                q = q.where(Delivery.channel_id == channel)
            return list((await s.execute(q)).scalars())

    async def audit(self, kind: str | None = None) -> list[AuditEvent]:
        async with self.services.store.session() as s:
            q = select(AuditEvent).order_by(AuditEvent.id)
            if kind:
                q = q.where(AuditEvent.kind == kind)
            return list((await s.execute(q)).scalars())

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
async def world(services) -> World:
    w = World(services)
    services.clock = lambda: w.now
    async with services.store.session() as s:
        for slug, area in services.knowledge.areas.items():
            for b in area.protocol.boards:
                if b.party:
                    await directory.link_channel(s, area_slug=slug, platform="slack", workspace="T1",
                                                 channel_id=f"C-{slug}-{b.key}", purpose="board", board_key=b.key)
            await directory.link_channel(s, area_slug=slug, platform="slack", workspace="T1",
                                         channel_id=f"C-{slug}-directors", purpose="directors")
        await s.commit()
    return w

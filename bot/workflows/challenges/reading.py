"""Reading challenges: the ones someone may see, one in full with its history, the export."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.knowledge import AreaKnowledge
from bot.messages import Actor, Reply, error
from bot.workflows.challenges.cards import card, export_reply, with_history
from bot.workflows.challenges.rules import OPEN_STATUSES, SUBJECT
from bot.workflows.common import area_row, refuse
from bot.workflows.permissions import chairs_for, may_see, speaks_for
from storage.audit import histories, history
from storage.models import Challenge


async def visible_challenges(ctx: Context, *, include_closed: bool = False) -> list[Challenge]:
    return await visible_to(ctx.services, ctx.request.actor, ctx.here, include_closed=include_closed)


async def visible_to(services, actor: Actor, area: AreaKnowledge, *, include_closed: bool = False) -> list[Challenge]:
    """The area's challenges ``actor`` may see (the boards involved, directors, admins), by number."""
    async with services.store.session() as s:
        row = await area_row(s, area.slug)
        q = select(Challenge).where(Challenge.area_id == row.id)
        if not include_closed:
            q = q.where(Challenge.status.in_([str(x) for x in OPEN_STATUSES]))
        rows = list((await s.execute(q.order_by(Challenge.number))).scalars())
    return [c for c in rows if may_see(actor, area.slug, (c.from_board, c.to_board))]


async def visible(ctx: Context, s: AsyncSession, number: int) -> tuple[Challenge, None] | tuple[None, Reply]:
    """Challenge C``number`` of the area, if the asker may see it; else the answer to give: there
    is none they can see (the same words whether it exists or not, but a refusal on the record
    when it does)."""
    area = ctx.here
    row = await area_row(s, area.slug)
    ch = ((await s.execute(select(Challenge).where(Challenge.area_id == row.id, Challenge.number == number))).scalar_one_or_none()
          if 0 < number < 2**31 else None)  # a typed number past the column's integer is no challenge, not a crash
    if ch is not None and may_see(ctx.request.actor, area.slug, (ch.from_board, ch.to_board)):
        return ch, None
    if ch is not None:
        await refuse(ctx, s, SUBJECT, ch.id, f"not one of the boards involved in C{number}")
    return None, error(f"No challenge C{number} that you can see in {area.name}.", hint="\u201cchallenges\u201d lists the ones you can.")


async def show(ctx: Context, number: int) -> Reply:
    """Challenge C``number`` in full, with its history, on the side the asker speaks for."""
    area = ctx.here
    async with ctx.services.store.session() as s:
        ch, refused = await visible(ctx, s, number)
        if ch is None:
            return refused
        events = await history(s, SUBJECT, ch.id)
    actor = ctx.request.actor
    side = ("raiser" if chairs_for(actor, area.slug, ch.from_board) else
            "target" if speaks_for(actor, area.slug, ch.to_board) else "viewer")
    return with_history(area, card(area, ch, side=side), events)


async def export(ctx: Context, start: dt.date, end: dt.date) -> Reply:
    """The area's challenges raised in [start, end], as CSV and Markdown, for the annual report."""
    area = ctx.here
    rows = [c for c in await visible_challenges(ctx, include_closed=True)
            if start <= c.created_at.date() <= end]
    async with ctx.services.store.session() as s:
        logs = await histories(s, SUBJECT, [c.id for c in rows])
    return export_reply(area, rows, logs, start, end)

"""Board meetings: the dates agenda items are accepted onto, and a board's agenda."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.limits import MEETING_TITLE_MAX, too_long
from bot.messages import Reply, error
from bot.workflows.agenda.cards import board_agenda_reply
from bot.workflows.agenda.rules import AWAITING, Status
from bot.workflows.common import area_row, board_short, refuse, refuse_elsewhere
from bot.workflows.permissions import manages, may_see
from scheduler.timeutil import fmt
from storage.audit import record
from storage.models import AgendaRequest, BoardMeeting
from storage.sql import insert_for


async def upcoming_meetings(session: AsyncSession, area_id: int, board_key: str, now: dt.datetime, limit: int = 6) -> list[BoardMeeting]:
    return list(
        (
            await session.execute(
                select(BoardMeeting)
                .where(BoardMeeting.area_id == area_id, BoardMeeting.board_key == board_key, BoardMeeting.starts_at >= now)
                .order_by(BoardMeeting.starts_at)
                .limit(limit)
            )
        ).scalars()
    )


async def ensure_meeting(session: AsyncSession, area_slug: str, board_key: str, when: dt.datetime, title: str, by: str) -> BoardMeeting:
    """The board's meeting at ``when``, created (and recorded) if new. The caller commits.

    Two people adding the same meeting at once (twenty presses of "accept onto a meeting")
    both get the one meeting: the insert does nothing where it already exists, committed or
    not, so the unique key on (area, board, time) is never an error."""
    row = await area_row(session, area_slug)
    created = await session.execute(
        insert_for(session)(BoardMeeting)
        .values(area_id=row.id, board_key=board_key, starts_at=when, title=title, created_by=by, created_at=dt.datetime.now(dt.UTC))
        .on_conflict_do_nothing(index_elements=["area_id", "board_key", "starts_at"])
    )
    meeting = (
        await session.execute(select(BoardMeeting).where(BoardMeeting.area_id == row.id, BoardMeeting.board_key == board_key,
                                                         BoardMeeting.starts_at == when))
    ).scalar_one()
    if created.rowcount:
        await record(session, area_slug, "meeting", meeting.id, by, "added",
                     {"board": board_key, "starts_at": when.isoformat(), "title": title})
    return meeting


async def add_meeting(ctx: Context, board_key: str, when: dt.datetime, title: str) -> Reply:
    """A board's business manager (or chair) adds a meeting date."""
    area = ctx.here
    async with ctx.services.store.session() as session:
        if (refused := await refuse_elsewhere(ctx, session, "meeting", "add a meeting")) is not None:
            return refused
        if not manages(ctx.request.actor, area.slug, board_key):
            return await refuse(ctx, session, "meeting", None,
                                f"Only the business manager or chair of the {board_short(area, board_key)} can add its meetings.")
        if (problem := too_long("The meeting's title", title, MEETING_TITLE_MAX)) is not None:
            return error(problem)
        meeting = await ensure_meeting(session, area.slug, board_key, when, title, ctx.request.actor.label)
        await session.commit()
    return Reply(text=f"{board_short(area, board_key)} meeting on {fmt(when)} added" + (f": {title}" if title else "") + ".",
                 data={"meeting_id": meeting.id})


async def board_agenda(ctx: Context, board_key: str) -> Reply:
    """Upcoming meetings of a board and the items accepted onto them (visible to the boards involved)."""
    area = ctx.here
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        row = await area_row(s, area.slug)
        meetings = await upcoming_meetings(s, row.id, board_key, now, limit=10)
        items = list((await s.execute(select(AgendaRequest).where(
            AgendaRequest.area_id == row.id, AgendaRequest.to_board == board_key,
            AgendaRequest.status.in_([str(x) for x in (Status.ACCEPTED, *AWAITING)])).order_by(AgendaRequest.number))).scalars())
    visible = [i for i in items if i.status == Status.ACCEPTED or may_see(ctx.request.actor, area.slug, (i.from_board, i.to_board))]
    return board_agenda_reply(area, area.boards[board_key], meetings, visible)

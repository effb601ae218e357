"""Agenda requests: a chair asks, the other board's business manager decides, the requester may
withdraw; an escalated challenge's request closes with it. The rules are in :mod:`.rules`."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, Subject, action
from bot.knowledge import AreaKnowledge
from bot.limits import LONG_TEXT, form_limits
from bot.messages import Reply, error
from bot.notify import Target, where_sent
from bot.workflows import personal_data
from bot.workflows.agenda import rules
from bot.workflows.agenda.cards import already as already_card
from bot.workflows.agenda.cards import confirmation, decision_form, request_card, request_form
from bot.workflows.agenda.meetings import ensure_meeting, upcoming_meetings
from bot.workflows.agenda.rules import AWAITING, CHALLENGE_SUBJECT, SUBJECT, Status
from bot.workflows.common import (
    addressees,
    area_row,
    board_short,
    check_before_posting,
    field_text,
    form_again,
    idempotency_key,
    load_in_area,
    next_number,
    refuse,
    refuse_elsewhere,
    too_long_reply,
)
from bot.workflows.permissions import can_raise_for, manages, may_see
from scheduler.timeutil import fmt
from storage.audit import history, record
from storage.models import AgendaRequest, BoardMeeting

AGENDA = Subject("agenda request", AgendaRequest, audit=SUBJECT)  # actions on a stored request run in its area


def state_of(req: AgendaRequest) -> rules.State:
    return rules.State(Status(req.status), meeting_id=req.meeting_id, decision_reason=req.decision_reason, decided_by=req.decided_by)


async def write(s: AsyncSession, req: AgendaRequest, moved: rules.Moved, now: dt.datetime) -> bool:
    """Store ``moved`` only if the request is still as the rules read it: exactly one of two
    people deciding at once wins. False (the session rolled back) when it had moved on."""
    old, new = state_of(req), moved.state
    values = {k: getattr(new, k) for k in ("status", "meeting_id", "decision_reason", "decided_by") if getattr(new, k) != getattr(old, k)}
    if "status" in values:
        values["status"] = str(values["status"])
    where = [AgendaRequest.id == req.id, AgendaRequest.status.in_([str(x) for x in moved.expect])]
    if moved.as_read:
        where.append(AgendaRequest.updated_at == req.updated_at)
    res = await s.execute(update(AgendaRequest).where(*where).values(**values, updated_at=now))
    if not res.rowcount:
        await s.rollback()
        await s.refresh(req)
        return False
    await s.refresh(req)
    return True


async def _already(s: AsyncSession, area: AreaKnowledge, req: AgendaRequest, *, for_target: bool = True) -> Reply:
    meeting = await s.get(BoardMeeting, req.meeting_id) if req.meeting_id else None
    events = [e for e in await history(s, SUBJECT, req.id) if e.kind in ("accepted", "deferred", "declined", "withdrawn", "closed")]
    last = events[-1] if events else None
    who = last.actor if last else (req.decided_by or "someone")
    return already_card(area, req, meeting, who, f" ({fmt(last.at)})" if last else "", for_target=for_target)


async def start(ctx: Context, to_phrase: str = "") -> Reply:
    area = ctx.here
    mine = can_raise_for(area, ctx.request.actor)
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, SUBJECT, "request an agenda item")) is not None:
            return refused
        if not mine:
            chairs = "; ".join(f"{b.short_name}: {b.chair.title if b.chair else 'chair'}" for b in area.protocol.boards if b.party)
            return await refuse(ctx, s, SUBJECT, None, "Only a board's chair can request an item on another board's agenda.",
                                hint=f"Ask your board's chair ({chairs}). An administrator links chairs with: "
                                     "admin link-user @person chair of <board>")
    to_board = ""
    if to_phrase:
        found = area.find_board(to_phrase).match
        to_board = found.key if found else ""
    return Reply(text="Fill in the agenda request form.", form=request_form(area, mine, to_board=to_board))


async def create_request(
    session: AsyncSession, area: AreaKnowledge, *, from_board: str, to_board: str, title: str, reason: str,
    preferred: str | None, requested_by: str, requested_by_user: str, key: str, challenge_id: int | None = None,
) -> tuple[AgendaRequest, bool]:
    """Create the request (once per ``key``); return it and whether it is new."""
    existing = (await session.execute(select(AgendaRequest).where(AgendaRequest.idempotency_key == key))).scalar_one_or_none()
    if existing:
        return existing, False
    row = await area_row(session, area.slug)
    req = AgendaRequest(area_id=row.id, number=await next_number(session, AgendaRequest, row.id), idempotency_key=key,
                        from_board=from_board, to_board=to_board, title=title.strip(), reason=reason.strip(),
                        preferred_meeting=(preferred or "").strip() or None, status=Status.REQUESTED.value,
                        requested_by=requested_by, requested_by_user=requested_by_user, challenge_id=challenge_id)
    session.add(req)
    await session.flush()
    await record(session, area.slug, SUBJECT, req.id, requested_by, "requested",
                 {"from": from_board, "to": to_board, "title": req.title, "challenge": challenge_id})
    return req, True


def _problems(area: AreaKnowledge, mine: list[str], v: dict, from_board: str, to_board: str) -> dict[str, str]:
    problems: dict[str, str] = {}
    if to_board not in area.boards or to_board == from_board:
        problems["to_board"] = "Choose the other board whose agenda the item is for"
    problems.update({k: "Required" for k in ("title", "reason") if not field_text(v, k)})
    if (long := too_long_reply(v, form_limits(request_form(area, mine)))) is not None:
        problems.update(long.data["field_errors"])
    return problems


@action("agenda.submit")
async def submit(ctx: Context) -> Reply:
    """A chair asks for an item on another board's agenda: checked, made once however often the form
    is sent, and posted to that board's channel for its business manager."""
    area = ctx.here
    v = ctx.request.value
    mine = can_raise_for(area, ctx.request.actor)
    from_board = field_text(v, "from_board") or (mine[0] if len(mine) == 1 else "")
    to_board = field_text(v, "to_board")
    title, reason = field_text(v, "title"), field_text(v, "reason")
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, SUBJECT, "request an agenda item")) is not None:
            return refused
        if from_board not in mine:
            return await refuse(ctx, s, SUBJECT, None, "Only a board's chair can request an item on another board's agenda.")
        if problems := _problems(area, mine, v, from_board, to_board):
            again = request_form(area, mine, to_board=to_board, title=title, reason=reason,
                                 preferred=field_text(v, "preferred_meeting"), challenge_id=v.get("challenge_id") or None)
            return form_again(again, v, problems, "Please correct: " + "; ".join(problems.values())
                              + ". Your other answers are kept.")
        found = personal_data.findings(f"{title}\n{reason}")
        if found and not v.get("confirmed"):
            return check_before_posting(found, "agenda.submit", v, ctx.request.request_id)
        req, new = await create_request(
            s, area, from_board=from_board, to_board=to_board, title=title, reason=reason,
            preferred=field_text(v, "preferred_meeting"), requested_by=ctx.request.actor.label,
            requested_by_user=f"{ctx.request.platform}:{ctx.request.actor.user_id}",
            key=idempotency_key(ctx, "agenda"),
        )
        queued = -1
        if new:
            card = request_card(area, req, addressed=await addressees(s, area, to_board, ("business_manager", "chair")))
            queued = await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(to_board), reply=card,
                                                       key=f"agenda:{req.id}:requested", origin="agenda")
        to = board_short(area, req.to_board)
        where = ("This request was already sent." if queued == -1 else
                 f"Posted to the {to} channel for its business manager." if queued else
                 await where_sent(s, area.slug, Target.board(req.to_board), 0, to))
        await s.commit()
    ctx.services.notifier.kick()
    return confirmation(area, req, queued, where)


async def _load_for_decision(ctx: Context, s: AsyncSession) -> AgendaRequest | Reply:
    """The request, if it is this area's and the presser is the target board's business manager (or
    chair); anyone else is refused and recorded."""
    area = ctx.here
    req = await load_in_area(s, ctx, AgendaRequest)
    if req is None:
        return error("That agenda request no longer exists.")
    if not manages(ctx.request.actor, area.slug, req.to_board):
        return await refuse(ctx, s, SUBJECT, req.id, f"Only the {board_short(area, req.to_board)}'s business "
                            "manager (or chair) can decide on this request.")
    return req


@action("agenda.accept", on=AGENDA)
@action("agenda.defer", on=AGENDA)
@action("agenda.decline", on=AGENDA)
async def decide(ctx: Context) -> Reply:
    kind = (ctx.request.action or "").split(".")[1]
    area = ctx.here
    async with ctx.services.store.session() as s:
        req = await _load_for_decision(ctx, s)
        if isinstance(req, Reply):
            return req
        if req.status not in AWAITING:
            return await _already(s, area, req)
        row = await area_row(s, area.slug)
        meetings = await upcoming_meetings(s, row.id, req.to_board, ctx.services.clock())
    return Reply(text=f"{kind.capitalize()} agenda request A{req.number}.", form=decision_form(area, req, kind, meetings))


async def _meeting(ctx: Context, s: AsyncSession, req: AgendaRequest, now: dt.datetime) -> BoardMeeting | Reply:
    """The meeting an acceptance puts the item on: one of the board's, or a new date (made here)."""
    area, v = ctx.here, ctx.request.value
    chosen = field_text(v, "meeting_id")
    if chosen:
        meeting = await s.get(BoardMeeting, int(chosen)) if chosen.isdigit() and len(chosen) < 19 else None
        if meeting is None or meeting.board_key != req.to_board or meeting.area_id != req.area_id:
            return error("That meeting is not one of this board's.", data={"field_errors": {"meeting_id": "Not this board's"}})
        return meeting
    when = rules.parse_when(field_text(v, "new_meeting"))
    problem = ("Use YYYY-MM-DD HH:MM, e.g. 2026-12-03 10:00" if when is None else
               "That date has passed; give a future meeting" if when < now else "")
    if when is None or problem:
        row = await area_row(s, area.slug)
        again = decision_form(area, req, "accept", await upcoming_meetings(s, row.id, req.to_board, now))
        return form_again(again, v, {"new_meeting": problem}, f"{problem}.")
    return await ensure_meeting(s, area.slug, req.to_board, when, "", ctx.request.actor.label)


@action("agenda.accept.submit", on=AGENDA)
@action("agenda.defer.submit", on=AGENDA)
@action("agenda.decline.submit", on=AGENDA)
async def decided(ctx: Context) -> Reply:
    """Accepted onto a meeting, deferred or declined: the requesting board is told, and the challenge
    the request came from (if any) records what happened to it."""
    kind = (ctx.request.action or "").split(".")[1]
    area, actor, v = ctx.here, ctx.request.actor, ctx.request.value
    now = ctx.services.clock()
    reason = field_text(v, "reason")
    async with ctx.services.store.session() as s:
        req = await _load_for_decision(ctx, s)
        if isinstance(req, Reply):
            return req
        seen = field_text(v, "seen")
        if req.status not in AWAITING or (seen and seen != req.updated_at.isoformat()):
            return await _already(s, area, req)
        meeting = None
        if kind == "accept":
            if isinstance(meeting := await _meeting(ctx, s, req, now), Reply):
                return meeting
        elif not reason:
            return error("Give a reason; the requester will see it.", data={"field_errors": {"reason": "Required"}})
        elif (long := too_long_reply(v, {"reason": ("The reason", LONG_TEXT)})) is not None:
            return long
        moved = rules.decide(state_of(req), kind, by=actor.label, reason=reason,  # type: ignore[arg-type]
                             meeting=(meeting.id, meeting.starts_at) if meeting else None)
        if isinstance(moved, rules.Blocked) or not await write(s, req, moved, now):
            return await _already(s, area, req)  # someone else decided first (or a double click)
        await record(s, area.slug, SUBJECT, req.id, actor.label, moved.event.kind, moved.event.detail)
        await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(req.from_board),
                                         reply=request_card(area, req, meeting=meeting, for_target=False),
                                         key=f"agenda:{req.id}:{req.status}:{req.updated_at.isoformat()}", origin="agenda")
        if req.challenge_id:  # on the challenge's record too: what happened to the item its escalation asked for
            await record(s, area.slug, CHALLENGE_SUBJECT, req.challenge_id, actor.label, f"agenda-{req.status}",
                         {"agenda_request": req.id, "reason": req.decision_reason})
        await s.commit()
    ctx.services.notifier.kick()
    return request_card(area, req, meeting=meeting)


@action("agenda.withdraw", on=AGENDA)
async def withdraw(ctx: Context) -> Reply:
    """The requesting board's chair (or an admin) withdraws a request not yet decided; the board asked is told."""
    area, actor = ctx.here, ctx.request.actor
    async with ctx.services.store.session() as s:
        req = await load_in_area(s, ctx, AgendaRequest)
        if req is None:
            return error("That agenda request no longer exists.")
        if not (actor.is_admin_in(area.slug) or req.from_board in can_raise_for(area, actor)):
            return await refuse(ctx, s, SUBJECT, req.id, "Only the requesting board's chair can withdraw this request.")
        moved = rules.withdraw(state_of(req), by=actor.label)
        if isinstance(moved, rules.Blocked) or not await write(s, req, moved, ctx.services.clock()):
            return await _already(s, area, req, for_target=False)
        await record(s, area.slug, SUBJECT, req.id, actor.label, moved.event.kind, moved.event.detail)
        await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(req.to_board),
                                         reply=request_card(area, req), key=f"agenda:{req.id}:withdrawn", origin="agenda")
        await s.commit()
        await s.refresh(req)
    ctx.services.notifier.kick()
    return request_card(area, req, for_target=False)


async def awaiting_decision(services, actor, area: AreaKnowledge) -> list[AgendaRequest]:
    """Agenda requests still open (requested or deferred) that ``actor`` may see."""
    async with services.store.session() as s:
        row = await area_row(s, area.slug)
        rows = list((await s.execute(select(AgendaRequest).where(
            AgendaRequest.area_id == row.id, AgendaRequest.status.in_([str(x) for x in AWAITING])
        ).order_by(AgendaRequest.number))).scalars())
    return [r for r in rows if may_see(actor, area.slug, (r.from_board, r.to_board))]


async def close_for_challenge(ctx: Context, s: AsyncSession, ch, status: str, text: str) -> list[int]:
    """Close the agenda requests a challenge's escalation made that still await a decision, when the
    challenge is resolved or withdrawn: their status follows it, and the board asked is told. An item
    already accepted onto a meeting stays there. Returns the numbers closed; the caller commits."""
    area, actor = ctx.here, ctx.request.actor
    rows = list((await s.execute(select(AgendaRequest).where(
        AgendaRequest.challenge_id == ch.id, AgendaRequest.status.in_([str(x) for x in AWAITING])))).scalars())
    closed = []
    for req in rows:
        moved = rules.close_with_challenge(state_of(req), by=actor.label, number=ch.number, how=status, text=text, challenge_id=ch.id)
        if isinstance(moved, rules.Blocked):
            continue
        values = {"status": Status.CLOSED.value, "decision_reason": moved.state.decision_reason, "decided_by": actor.label}
        res = await s.execute(update(AgendaRequest).where(AgendaRequest.id == req.id, AgendaRequest.status == req.status)
                              .values(**values, updated_at=ctx.services.clock()))
        if not res.rowcount:
            continue  # decided meanwhile; the others close all the same
        await s.refresh(req)
        await record(s, area.slug, SUBJECT, req.id, actor.label, moved.event.kind, moved.event.detail)
        await record(s, area.slug, CHALLENGE_SUBJECT, ch.id, actor.label, "agenda-closed",
                     {"agenda_request": req.id, "reason": f"A{req.number}"})
        await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(req.to_board), reply=request_card(area, req),
                                         key=f"agenda:{req.id}:closed", origin="agenda")
        closed.append(req.number)
    return closed

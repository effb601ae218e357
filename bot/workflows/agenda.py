"""Agenda requests: a chair asks for an item on another board's agenda.

requested -> accepted (onto a dated meeting) | deferred (with a reason, still open) |
declined (with a reason) | withdrawn (by the requester). The target board's business
manager decides; the requester's board is told the outcome. Every step is recorded.
Also here: board meetings (the dates items are accepted onto) and sharing a meeting's
agenda or minutes with the partner boards the protocol names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, Subject, action
from bot.knowledge import AreaKnowledge
from bot.limits import LINK_MAX, LONG_TEXT, MEETING_TITLE_MAX, form_limits, too_long
from bot.messages import Button, Form, FormField, Reply, Visibility, error
from bot.notify import Target, where_sent
from bot.workflows import personal_data
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
from scheduler.timeutil import fmt, local_to_utc
from storage import directory
from storage.audit import history, record
from storage.models import AgendaRequest, BoardMeeting
from storage.sql import insert_for

SUBJECT = "agenda"
CHALLENGE_SUBJECT = "challenge"  # the audit subject of the challenge an escalation made a request for
AGENDA = Subject("agenda request", AgendaRequest, audit=SUBJECT)  # actions on a stored request run in its area


# --- meetings --------------------------------------------------------------------------------


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


_WHEN = re.compile(r"(?P<date>\d{4}-\d{2}-\d{2})(?:[ T]+(?P<time>\d{1,2}[:.]\d{2}))?")


def parse_when(text: str) -> dt.datetime | None:
    """'2026-12-03 10:00' (London) -> UTC; date alone means 10:00."""
    m = _WHEN.search(text)
    if not m:
        return None
    try:
        day = dt.date.fromisoformat(m.group("date"))
        hh, mm = (m.group("time") or "10:00").replace(".", ":").split(":")
        return local_to_utc(day, dt.time(int(hh), int(mm)))
    except ValueError:
        return None


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


async def add_meeting(ctx: Context, session: AsyncSession, board_key: str, when: dt.datetime, title: str) -> Reply:
    area = ctx.area
    assert area is not None
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


# --- requests ------------------------------------------------------------------------------


def request_form(area: AreaKnowledge, from_boards: list[str], *, to_board: str = "", title: str = "", reason: str = "",
                 preferred: str = "", challenge_id: int | None = None) -> Form:
    fields = []
    if len(from_boards) > 1:
        fields.append(FormField("from_board", "On behalf of", "choice",
                                choices=tuple((k, board_short(area, k)) for k in from_boards)))
    targets = tuple((b.key, f"{b.short_name} — {b.name}") for b in area.protocol.boards if b.party and b.key not in from_boards[:1])
    fields += [
        FormField("to_board", "Board whose agenda", "choice", choices=targets, initial=to_board),
        FormField("title", "Item title", placeholder="e.g. CSE profile in the JSNA", initial=title),
        FormField("reason", "Why it should be discussed", "long_text", initial=reason),
        FormField("preferred_meeting", "Preferred meeting", required=False, placeholder="e.g. the March meeting",
                  initial=preferred),
    ]
    context = {"area": area.slug, "from_board": from_boards[0] if len(from_boards) == 1 else ""}
    if challenge_id:
        context["challenge_id"] = challenge_id
    return Form(action="agenda.submit", title="Request an agenda item", fields=tuple(fields), submit_label="Send request",
                context=context, intro="Ask for an item on another board's agenda. Its business manager will accept it "
                "onto a meeting, defer it or decline it, and you will be told.")


async def start(ctx: Context, to_phrase: str = "") -> Reply:
    area = ctx.area
    assert area is not None
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


def public_warning(area: AreaKnowledge, board_key: str) -> str:
    b = area.boards[board_key]
    if b.meets_in_public is not None:
        if b.meets_in_public.value:
            return f"The {b.short_name} meets in public: anything on its agenda is public."
        return ""
    if b.kind == "health_and_wellbeing":
        return (f"The {b.short_name} is a health and wellbeing board; these usually meet in public as council committees "
                "(the protocol does not say). Assume the item will be public.")
    return ""


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
                        preferred_meeting=(preferred or "").strip() or None, status="requested",
                        requested_by=requested_by, requested_by_user=requested_by_user, challenge_id=challenge_id)
    session.add(req)
    await session.flush()
    await record(session, area.slug, SUBJECT, req.id, requested_by, "requested",
                 {"from": from_board, "to": to_board, "title": req.title, "challenge": challenge_id})
    return req, True


def request_card(area: AreaKnowledge, req: AgendaRequest, *, meeting: BoardMeeting | None = None, for_target: bool = True,
                 addressed: str = "") -> Reply:
    frm, to = board_short(area, req.from_board), board_short(area, req.to_board)
    status = {
        "requested": "Awaiting a decision",
        "accepted": f"Accepted onto the meeting of {fmt(meeting.starts_at)}" if meeting else "Accepted",
        "deferred": "Deferred" + (f": {req.decision_reason}" if req.decision_reason else ""),
        "declined": "Declined" + (f": {req.decision_reason}" if req.decision_reason else ""),
        "withdrawn": "Withdrawn by the requester",
        "closed": "Closed" + (f": {req.decision_reason}" if req.decision_reason else ""),
    }[req.status]
    lines = [f"Agenda request A{req.number}: the {frm} asks for an item on the {to} agenda."]
    if addressed:
        lines.append(f"For {addressed}.")
    lines += [f"Item: {req.title}", f"Why: {req.reason}"]
    if req.preferred_meeting:
        lines.append(f"Preferred meeting: {req.preferred_meeting}")
    if req.challenge_id:
        lines.append("Raised as a step of a mutual challenge.")
    warn = public_warning(area, req.to_board)
    if warn and req.status == "requested":
        lines.append(f"Note: {warn}")
    lines.append(f"Status: {status}")
    ladder = area.ladder
    agenda_rung = next((r for r in ladder if r.kind == "agenda_item"), None)
    cites = (area.cite(agenda_rung.source),) if agenda_rung and not area.ladder_is_default else ()
    buttons: tuple[Button, ...] = ()
    value = {"area": area.slug, "id": req.id}
    if req.status in ("requested", "deferred") and for_target:
        buttons = (
            Button("Accept onto a meeting", "agenda.accept", value, style="primary"),
            Button("Defer", "agenda.defer", value),
            Button("Decline", "agenda.decline", value, style="danger"),
        )
    elif req.status in ("requested", "deferred"):
        buttons = (Button("Withdraw", "agenda.withdraw", value, style="danger"),)
    return Reply(
        title=f"Agenda request A{req.number} — {frm} → {to}",
        text="\n".join(lines),
        buttons=buttons,
        citations=cites,
        visibility=Visibility.CHANNEL,
        data={"intent": "agenda_request", "id": req.id, "number": req.number, "status": req.status},
    )


async def _load(session: AsyncSession, ctx: Context) -> AgendaRequest | None:
    return await load_in_area(session, ctx, AgendaRequest)


async def _decider_guard(ctx: Context, s: AsyncSession, req: AgendaRequest | None) -> Reply | None:
    """Only the target board's business manager (or chair) decides; anyone else is refused and recorded."""
    if req is None:
        return error("That agenda request no longer exists.")
    if not manages(ctx.request.actor, ctx.area.slug, req.to_board):  # type: ignore[union-attr]
        return await refuse(ctx, s, SUBJECT, req.id, f"Only the {board_short(ctx.area, req.to_board)}'s business "  # type: ignore[arg-type]
                            "manager (or chair) can decide on this request.")
    return None


async def _already(s: AsyncSession, area: AreaKnowledge, req: AgendaRequest, *, for_target: bool = True) -> Reply:
    """The card for someone whose decision came second: what was already decided, by whom and when."""
    meeting = await s.get(BoardMeeting, req.meeting_id) if req.meeting_id else None
    events = [e for e in await history(s, SUBJECT, req.id) if e.kind in ("accepted", "deferred", "declined", "withdrawn", "closed")]
    last = events[-1] if events else None
    done = {"accepted": "accepted" + (f" onto the meeting of {fmt(meeting.starts_at)}" if meeting else ""),
            "deferred": "deferred", "declined": "declined", "withdrawn": "withdrawn",
            "closed": "closed with its challenge"}.get(req.status, req.status)
    who = last.actor if last else (req.decided_by or "someone")
    when = f" ({fmt(last.at)})" if last else ""
    card = request_card(area, req, meeting=meeting, for_target=for_target)
    note = f"Nothing was changed: agenda request A{req.number} was already {done} by {who}{when}."
    return Reply(title=card.title, text=f"{note}\n{card.text}", buttons=card.buttons, citations=card.citations,
                 visibility=card.visibility, data={**card.data, "already": True, "decided_by": who})


@action("agenda.submit")
async def submit(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    v = ctx.request.value
    mine = can_raise_for(area, ctx.request.actor)
    from_board = field_text(v, "from_board") or (mine[0] if len(mine) == 1 else "")
    to_board = field_text(v, "to_board")
    title, reason = field_text(v, "title"), field_text(v, "reason")
    store = ctx.services.store
    async with store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, SUBJECT, "request an agenda item")) is not None:
            return refused
        if from_board not in mine:
            return await refuse(ctx, s, SUBJECT, None, "Only a board's chair can request an item on another board's agenda.")
        problems: dict[str, str] = {}
        if to_board not in area.boards or to_board == from_board:
            problems["to_board"] = "Choose the other board whose agenda the item is for"
        problems.update({k: "Required" for k in ("title", "reason") if not field_text(v, k)})
        if (long := too_long_reply(v, form_limits(request_form(area, mine)))) is not None:
            problems.update(long.data["field_errors"])
        if problems:
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
        if new:
            card = request_card(area, req, addressed=await addressees(s, area, to_board, ("business_manager", "chair")))
            queued = await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(to_board), reply=card,
                                                       key=f"agenda:{req.id}:requested", origin="agenda")
        else:
            queued = -1
        to = board_short(area, req.to_board)
        where = ("This request was already sent." if queued == -1 else
                 f"Posted to the {to} channel for its business manager." if queued else
                 await where_sent(s, area.slug, Target.board(req.to_board), 0, to))
        await s.commit()
    ctx.services.notifier.kick()
    return _confirmation(area, req, queued, where)


def _confirmation(area: AreaKnowledge, req: AgendaRequest, queued: int, where: str) -> Reply:
    to = board_short(area, req.to_board)
    warn = public_warning(area, req.to_board)
    text = f"Agenda request A{req.number} to the {to}: \u201c{req.title}\u201d. {where}" + (f"\nNote: {warn}" if warn else "")
    card = request_card(area, req, for_target=False)
    return Reply(title=card.title, text=text, buttons=card.buttons, data={**card.data, "queued": queued})


def _decision_form(area: AreaKnowledge, req: AgendaRequest, kind: str, meetings: list[BoardMeeting]) -> Form:
    # "seen": the request as it was when the form opened, so of two people deciding from the same
    # view (even both deferring) the second is told what the first did
    ctxv = {"area": area.slug, "id": req.id, "seen": req.updated_at.isoformat()}
    if kind == "accept":
        choices = tuple((str(m.id), fmt(m.starts_at) + (f" — {m.title}" if m.title else "")) for m in meetings)
        fields = (
            FormField("meeting_id", "Meeting", "choice", required=False, choices=choices) if choices else None,
            FormField("new_meeting", "Or a new meeting date and time (YYYY-MM-DD HH:MM)", required=not choices,
                      placeholder="2026-12-03 10:00", max_length=40),
        )
        return Form("agenda.accept.submit", f"Accept A{req.number} onto a meeting", tuple(f for f in fields if f), "Accept", ctxv)
    label = "Why defer, and until when" if kind == "defer" else "Why decline"
    return Form(f"agenda.{kind}.submit", f"{kind.capitalize()} A{req.number}",
                (FormField("reason", label, "long_text"),), kind.capitalize(), ctxv)


@action("agenda.accept", on=AGENDA)
@action("agenda.defer", on=AGENDA)
@action("agenda.decline", on=AGENDA)
async def decide(ctx: Context) -> Reply:
    kind = (ctx.request.action or "").split(".")[1]
    area = ctx.area
    assert area is not None
    async with ctx.services.store.session() as s:
        req = await _load(s, ctx)
        if (refused := await _decider_guard(ctx, s, req)) is not None:
            return refused
        assert req is not None
        if req.status not in ("requested", "deferred"):
            return await _already(s, area, req)
        row = await area_row(s, area.slug)
        meetings = await upcoming_meetings(s, row.id, req.to_board, ctx.services.clock())
    return Reply(text=f"{kind.capitalize()} agenda request A{req.number}.", form=_decision_form(area, req, kind, meetings))


@action("agenda.accept.submit", on=AGENDA)
@action("agenda.defer.submit", on=AGENDA)
@action("agenda.decline.submit", on=AGENDA)
async def decided(ctx: Context) -> Reply:
    kind = (ctx.request.action or "").split(".")[1]
    area = ctx.area
    assert area is not None
    v = ctx.request.value
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        req = await _load(s, ctx)
        if (refused := await _decider_guard(ctx, s, req)) is not None:
            return refused
        assert req is not None
        meeting = None
        seen = field_text(v, "seen")
        if req.status not in ("requested", "deferred") or (seen and seen != req.updated_at.isoformat()):
            return await _already(s, area, req)
        if kind == "accept":
            chosen = field_text(v, "meeting_id")
            if chosen:
                meeting = await s.get(BoardMeeting, int(chosen)) if chosen.isdigit() and len(chosen) < 19 else None
                if meeting is None or meeting.board_key != req.to_board or meeting.area_id != req.area_id:
                    return error("That meeting is not one of this board's.", data={"field_errors": {"meeting_id": "Not this board's"}})
            else:
                when = parse_when(field_text(v, "new_meeting"))
                problem = ("Use YYYY-MM-DD HH:MM, e.g. 2026-12-03 10:00" if when is None else
                           "That date has passed; give a future meeting" if when < now else "")
                if problem:
                    row = await area_row(s, area.slug)
                    again = _decision_form(area, req, "accept", await upcoming_meetings(s, row.id, req.to_board, now))
                    return form_again(again, v, {"new_meeting": problem}, f"{problem}.")
                meeting = await ensure_meeting(s, area.slug, req.to_board, when, "", ctx.request.actor.label)
        elif not field_text(v, "reason"):
            return error("Give a reason; the requester will see it.", data={"field_errors": {"reason": "Required"}})
        elif (long := too_long_reply(v, {"reason": ("The reason", LONG_TEXT)})) is not None:
            return long
        new_status = {"accept": "accepted", "defer": "deferred", "decline": "declined"}[kind]
        result = await s.execute(
            update(AgendaRequest)
            # as read: two people deciding at once (even both deferring) act once, the second is told
            .where(AgendaRequest.id == req.id, AgendaRequest.status == req.status, AgendaRequest.updated_at == req.updated_at)
            .values(status=new_status, meeting_id=meeting.id if meeting else None,
                    decision_reason=field_text(v, "reason") or None, decided_by=ctx.request.actor.label,
                    updated_at=now)
        )
        if not result.rowcount:  # someone else decided first (or a double click)
            await s.rollback()
            await s.refresh(req)
            return await _already(s, area, req)
        await s.refresh(req)
        await record(s, area.slug, SUBJECT, req.id, ctx.request.actor.label, new_status,
                     {"meeting": meeting.starts_at.isoformat() if meeting else None, "reason": req.decision_reason})
        outcome = request_card(area, req, meeting=meeting, for_target=False)
        await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(req.from_board), reply=outcome,
                                         key=f"agenda:{req.id}:{new_status}:{req.updated_at.isoformat()}", origin="agenda")
        if req.challenge_id:  # on the challenge's record too: what happened to the item its escalation asked for
            await record(s, area.slug, CHALLENGE_SUBJECT, req.challenge_id, ctx.request.actor.label, f"agenda-{req.status}",
                         {"agenda_request": req.id, "reason": req.decision_reason})
        await s.commit()
    ctx.services.notifier.kick()
    return request_card(area, req, meeting=meeting)


@action("agenda.withdraw", on=AGENDA)
async def withdraw(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    async with ctx.services.store.session() as s:
        req = await _load(s, ctx)
        if req is None:
            return error("That agenda request no longer exists.")
        if not (ctx.request.actor.is_admin_in(area.slug) or req.from_board in can_raise_for(area, ctx.request.actor)):
            return await refuse(ctx, s, SUBJECT, req.id, "Only the requesting board's chair can withdraw this request.")
        result = await s.execute(update(AgendaRequest).where(AgendaRequest.id == req.id, AgendaRequest.status.in_(("requested", "deferred")))
                                 .values(status="withdrawn", decided_by=ctx.request.actor.label, updated_at=ctx.services.clock()))
        if not result.rowcount:
            await s.rollback()
            await s.refresh(req)
            return await _already(s, area, req, for_target=False)
        if result.rowcount:
            await record(s, area.slug, SUBJECT, req.id, ctx.request.actor.label, "withdrawn", {})
            await s.refresh(req)
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
            AgendaRequest.area_id == row.id, AgendaRequest.status.in_(("requested", "deferred"))
        ).order_by(AgendaRequest.number))).scalars())
    return [r for r in rows if may_see(actor, area.slug, (r.from_board, r.to_board))]


async def board_agenda(ctx: Context, board_key: str) -> Reply:
    """Upcoming meetings of a board and the items accepted onto them (visible to the boards involved)."""
    area = ctx.area
    assert area is not None
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        row = await area_row(s, area.slug)
        meetings = await upcoming_meetings(s, row.id, board_key, now, limit=10)
        items = list((await s.execute(select(AgendaRequest).where(
            AgendaRequest.area_id == row.id, AgendaRequest.to_board == board_key,
            AgendaRequest.status.in_(("accepted", "requested", "deferred"))).order_by(AgendaRequest.number))).scalars())
    b = area.boards[board_key]
    visible = [i for i in items if i.status == "accepted" or may_see(ctx.request.actor, area.slug, (i.from_board, i.to_board))]
    lines = [f"{b.short_name} — upcoming meetings:"]
    if not meetings:
        lines.append("• none recorded (its business manager can add one: meeting add "
                     f"{b.short_name} 2026-12-03 10:00)")
    for m in meetings:
        accepted = [i for i in visible if i.meeting_id == m.id]
        lines.append(f"• {fmt(m.starts_at)}" + (f" — {m.title}" if m.title else ""))
        lines += [f"    – A{i.number}: {i.title} (from the {board_short(area, i.from_board)})" for i in accepted]
    pending = [i for i in visible if i.status in ("requested", "deferred")]
    if pending:
        lines.append("Requests awaiting a decision:")
        lines += [f"• A{i.number}: {i.title} (from the {board_short(area, i.from_board)}; {i.status})" for i in pending]
    text = "\n".join(lines)
    return Reply(text=text, title=f"Agenda — {b.short_name}",
                 data={"intent": "agenda", "board": b.short_name, "meetings": [m.starts_at.isoformat() for m in meetings],
                       "items": [{"number": i.number, "title": i.title, "status": i.status} for i in visible], "text": text})


def sharing_partners(area: AreaKnowledge, board_key: str, item: str) -> tuple[list[str], list[str]]:
    """Boards to share ``item`` (minutes/agendas) with under the protocol, and the clauses that say so."""
    partners: list[str] = []
    clauses: list[str] = []
    for rule in area.protocol.information_sharing:
        if item not in rule.items:
            continue
        sources = rule.from_boards or [b.key for b in area.protocol.boards if b.party]
        if board_key not in sources:
            continue
        for k in sources:
            if k != board_key and k not in partners and k in area.boards:
                partners.append(k)
        clauses.append(rule.source.clause)
    return partners, clauses


async def share_papers(ctx: Context, board_key: str, item: str, link: str) -> Reply:
    """Share a meeting's agenda or minutes link with the partner boards' chairs and business managers."""
    area = ctx.area
    assert area is not None
    if not re.match(r"^<?https?://\S+>?$", link.strip()):
        return error("Give the link to the papers, e.g. minutes BSCB https://example.org/minutes.pdf")
    if (problem := too_long("The link", link.strip(), LINK_MAX)) is not None:
        return error(problem)
    link = link.strip().strip("<>").split("|")[0]
    partners, clauses = sharing_partners(area, board_key, item)
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, "sharing", f"share the {item}")) is not None:
            return refused
        if not manages(ctx.request.actor, area.slug, board_key):
            return await refuse(ctx, s, "sharing", None,
                                f"Only the {board_short(area, board_key)}'s business manager (or chair) can share its {item}.")
        if not partners:
            return error(f"{area.name}'s protocol names no partner boards to share the {board_short(area, board_key)}'s {item} with.")
        what = "minutes" if item == "minutes" else "agenda"
        b = area.boards[board_key]
        notice = Reply(
            title=f"{b.short_name} {what} shared",
            text=(f"The {b.name} has shared its {what}: {link}\n"
                  f"For the chairs and business managers of: {', '.join(board_short(area, k) for k in partners)}.\n"
                  f"Shared as the protocol requires ({'; '.join(clauses)})."),
            visibility=Visibility.CHANNEL,
        )
        now = ctx.services.clock()
        queued = 0
        posted, waiting = [], []
        digest = hashlib.sha256(link.encode()).hexdigest()
        for k in partners:
            # one notice per partner board: each board's inbox, and each waiting board's channel when linked
            n = await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(k), reply=notice,
                                                 key=f"papers:{board_key}:{item}:{digest}:{k}", origin="minutes")
            queued += n
            (posted if n else waiting).append(board_short(area, k))
        await record(s, area.slug, "sharing", None, ctx.request.actor.label, f"shared-{what}",
                     {"board": board_key, "link": link, "partners": partners, "at": now.isoformat(), "posted": posted,
                      "waiting": waiting})
        admins = await directory.channels_for(s, area.slug, "admins")
        await s.commit()
    ctx.services.notifier.kick()
    text = f"Shared the {b.short_name} {what} with {', '.join(board_short(area, k) for k in partners)}."
    if posted:
        text += f" Posted to the {_and(posted)} channel{'s' if len(posted) > 1 else ''}."
    if waiting:
        text += (f" No channel is linked for the {_and(waiting)} yet, so it waits there: "
                 f"{'their' if len(waiting) > 1 else 'its'} chair and business manager see it in their \u201cinbox\u201d and it is "
                 "posted when a channel is linked; the area's admins have been asked"
                 + (", in their channel," if admins else " (in their inbox: no admins' channel is linked either)") + " to link one.")
    return Reply(text=text, data={"partners": partners, "queued": queued, "posted": posted, "waiting": waiting})


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


async def close_for_challenge(ctx: Context, s: AsyncSession, ch, status: str, text: str) -> list[int]:
    """Close the agenda requests a challenge's escalation made that still await a decision, when the
    challenge is resolved or withdrawn: their status follows it, and the board asked is told. An item
    already accepted onto a meeting stays there. Returns the numbers closed; the caller commits."""
    area = ctx.area
    assert area is not None
    rows = list((await s.execute(select(AgendaRequest).where(
        AgendaRequest.challenge_id == ch.id, AgendaRequest.status.in_(("requested", "deferred"))))).scalars())
    closed = []
    for req in rows:
        reason = f"challenge C{ch.number} was {status}: {text}"[:3000]
        res = await s.execute(update(AgendaRequest).where(AgendaRequest.id == req.id, AgendaRequest.status == req.status)
                              .values(status="closed", decision_reason=reason, decided_by=ctx.request.actor.label,
                                      updated_at=ctx.services.clock()))
        if not res.rowcount:
            continue
        await s.refresh(req)
        await record(s, area.slug, SUBJECT, req.id, ctx.request.actor.label, "closed", {"challenge": ch.id, "reason": reason})
        await record(s, area.slug, "challenge", ch.id, ctx.request.actor.label, "agenda-closed",
                     {"agenda_request": req.id, "reason": f"A{req.number}"})
        await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(req.to_board), reply=request_card(area, req),
                                         key=f"agenda:{req.id}:closed", origin="agenda")
        closed.append(req.number)
    return closed

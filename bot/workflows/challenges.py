"""Mutual challenge: one board's chair formally challenges another, up the area's own ladder.

    open --respond--> responded --resolve--> resolved
      |  \\--ask for information--> awaiting_info (clock paused) --provide--> open
      |--ask for time--> (raiser agrees) same status, later deadline
      '--escalate (raising chair, one rung at a time, any open status)--> open at the next rung
    any open status --withdraw--> withdrawn;  resolved/withdrawn --reopen--> open (clock restarts)

Each rung has a response window in working days (bot.workflows.windows). When it passes,
the target board is nudged and the raising chair told they may escalate. The agenda-item
rung creates an agenda request; the chairs'-meeting rung proposes a meeting of the named
chairs; resolution rungs post an escalation notice to the directors' channel naming who
the protocol says must attend. Every step is an audit event; permissions are checked here.
State changes are conditional updates, so a double click or a Slack retry acts once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, Subject, action
from bot.knowledge import AreaKnowledge
from bot.limits import EXTRA_DAYS_MAX, EXTRA_DAYS_MIN, LONG_TEXT, form_limits
from bot.messages import Actor, Button, Form, FormField, Reply, Visibility, error
from bot.notify import DIRECTORS, Target, where_sent
from bot.safetext import csv_cell
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
from bot.workflows.permissions import (
    can_raise_for,
    chairs_for,
    delegation_words,
    may_see,
    speaks_for,
    who_may_raise_text,
)
from bot.workflows.windows import due_after, rung_window, working_days_left
from scheduler.timeutil import fmt, fmt_date
from scheduler.workdays import add_working_days
from storage import directory
from storage.audit import history, record
from storage.dedupe import first_time
from storage.models import AuditEvent, Challenge

SUBJECT = "challenge"
_LABELS = {"to_board": "the board", "subject": "subject", "concern": "the area of concern", "response_sought": "the response asked for",
           "text": "the reason", "days": "extra working days"}
OPEN = ("open", "awaiting_info", "responded")
CHALLENGE = Subject("challenge", Challenge, audit=SUBJECT)  # actions on a stored challenge run in its area


# --- reading -------------------------------------------------------------------------------


def rung_of(area: AreaKnowledge, ch: Challenge):
    ladder = area.ladder
    return ladder[min(ch.rung_index, len(ladder) - 1)]


def conflicts(area: AreaKnowledge, a: str, b: str) -> list[str]:
    """Posts that sit on both boards (common membership): a conflict to declare."""
    on_a = {m.role.key for m in area.members.get(a, [])}
    return [m.role.title for m in area.members.get(b, []) if m.role.key in on_a]


async def directory_conflicts(session: AsyncSession, area: AreaKnowledge, a: str, b: str) -> list[str]:
    people = await directory.people_in_area(session, area.slug)
    out = []
    for p in people:
        boards = {r.partition(":")[2] for r in p.roles if ":" in r and not r.startswith("post:")}
        if a in boards and b in boards:
            out.append(p.display_name or p.user_id)
    return out


def card(area: AreaKnowledge, ch: Challenge, *, side: str, note: str = "", addressed: str = "",
         common: list[str] | None = None) -> Reply:
    """The challenge as a message. ``side`` is where it is shown: the target board's or the raiser's."""
    rung = rung_of(area, ch)
    ladder = area.ladder
    frm, to = board_short(area, ch.from_board), board_short(area, ch.to_board)
    status = {
        "open": "awaiting a response",
        "awaiting_info": "paused: the raising board has been asked for more information",
        "responded": "responded; the raising chair may resolve or escalate",
        "resolved": "resolved",
        "withdrawn": "withdrawn",
    }[ch.status]
    lines = []
    if note:
        lines.append(note)
    lines.append(f"Challenge C{ch.number}: the {frm} challenges the {to}.")
    if addressed:
        lines.append(f"For {addressed}.")
    lines += [
        f"Subject: {ch.subject}",
        f"Area of concern: {ch.concern}",
        f"Response asked for: {ch.response_sought}",
        f"Step {ch.rung_index + 1} of {len(ladder)}: {rung.title}" + (" (boardbot's default ladder)" if area.ladder_is_default else ""),
        f"Status: {status}",
    ]
    if rung.attendees or rung.notify_directors:
        lines.append(f"Must attend at this step: {', '.join(rung.attendees) or 'Board chairs'}.")
    if ch.status in ("open", "responded") and ch.due_at:
        lines.append(f"Response due: {fmt(ch.due_at)}")
    if ch.status == "awaiting_info" and ch.paused_days_left is not None:
        lines.append(f"Clock paused with {ch.paused_days_left} working day(s) left.")
    if ch.outcome:
        lines.append(f"Outcome: {ch.outcome}")
    if common:
        who = "; ".join(common)
        lines.append(f"Declare: {who} {'sits' if len(common) == 1 else 'sit'} on both the {frm} and the {to}.")
    lines.append(f"Raised by {ch.raised_by}.")
    value = {"area": area.slug, "id": ch.id, "side": side, "rung": ch.rung_index}
    buttons: list[Button] = []
    if side == "target" and ch.status in ("open", "responded"):
        buttons = [Button("Acknowledge", "challenge.ack", value), Button("Respond", "challenge.respond", value, style="primary"),
                   Button("Ask for more time", "challenge.more_time", value),
                   Button("Ask for more information", "challenge.ask_info", value)]
    elif side == "raiser":
        if ch.status in OPEN:
            if ch.rung_index + 1 < len(ladder):
                # the button opens a preview of what escalating does (and asks why, when early): its confirmation
                buttons.append(Button(f"Escalate: {ladder[ch.rung_index + 1].title}", "challenge.escalate", value))
            buttons.append(Button("Resolve", "challenge.resolve", value, style="primary"))
            buttons.append(Button("Withdraw", "challenge.withdraw", value, style="danger"))
        if ch.status == "awaiting_info":
            buttons.insert(0, Button("Provide information", "challenge.provide_info", value, style="primary"))
        if ch.status in ("resolved", "withdrawn"):
            buttons.append(Button("Reopen", "challenge.reopen", value))
    cite = area.cite(rung.source) if not area.ladder_is_default else None
    # everything is in the text: platforms show sections in place of it, and every line matters here
    return Reply(
        title=f"Challenge C{ch.number} — {frm} → {to}: {ch.subject}",
        text="\n".join(lines),
        buttons=tuple(buttons),
        citations=(cite,) if cite else (),
        visibility=Visibility.CHANNEL,
        data={"intent": "challenge", "id": ch.id, "number": ch.number, "status": ch.status, "rung": ch.rung_index,
              "rung_key": ch.rung_key, "due_at": ch.due_at.isoformat() if ch.due_at else None},
    )


async def _load(session: AsyncSession, ctx: Context) -> Challenge | None:
    return await load_in_area(session, ctx, Challenge)


async def _already(s: AsyncSession, area: AreaKnowledge, ch: Challenge, side: str) -> Reply:
    """The card for someone whose press came second (a double click, two people at once, a stale
    button): what already happened to the challenge, by whom and when. Nothing was changed."""
    events = [e for e in await history(s, SUBJECT, ch.id) if e.kind not in ("refused", "window-passed")]
    last = events[-1] if events else None
    if last is None:
        note = f"Challenge C{ch.number} is {ch.status.replace('_', ' ')}; nothing was changed."
    else:
        note = (f"Nothing was changed: challenge C{ch.number} had already moved on — {last.actor} "
                f"{_describe(last, area)} ({fmt(last.at)}).")
    return card(area, ch, side=side, note=note)


async def _transition(s: AsyncSession, ch: Challenge, from_statuses: tuple[str, ...], **values) -> bool:
    """Move ``ch`` on only if it is still in one of ``from_statuses``: under a double click or two
    people at once, exactly one wins. ``ch`` is refreshed either way."""
    res = await s.execute(update(Challenge).where(Challenge.id == ch.id, Challenge.status.in_(from_statuses)).values(**values))
    if not res.rowcount:
        await s.rollback()
    await s.refresh(ch)
    return bool(res.rowcount)


async def _notify(ctx: Context, s: AsyncSession, ch: Challenge, board: str, side: str, step: str, note: str = "") -> int:
    area = ctx.area
    assert area is not None
    reply = card(area, ch, side=side, note=note)
    return await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(board), reply=reply,
                                            key=f"challenge:{ch.id}:{step}:{board}", origin="challenge")


# --- raising --------------------------------------------------------------------------------


def raise_form(area: AreaKnowledge, from_boards: list[str], *, to_board: str = "", values: dict | None = None) -> Form:
    v = values or {}
    fields: list[FormField] = []
    if len(from_boards) > 1:
        fields.append(FormField("from_board", "On behalf of", "choice", choices=tuple((k, board_short(area, k)) for k in from_boards),
                                initial=v.get("from_board", "")))
    targets = tuple((b.key, f"{b.short_name} — {b.name}") for b in area.protocol.boards
                    if b.party and not (len(from_boards) == 1 and b.key == from_boards[0]))
    themes = tuple((t.key, t.name) for t in area.protocol.themes)
    fields += [
        FormField("to_board", "Board you are challenging", "choice", choices=targets, initial=v.get("to_board", to_board)),
        FormField("subject", "Subject", placeholder="e.g. CSE profiling in the JSNA", initial=v.get("subject", "")),
        FormField("concern", "The area of concern", "long_text", initial=v.get("concern", ""),
                  hint="About systems and services, not individual cases: no names, dates of birth or NHS numbers."),
        FormField("response_sought", "What response you ask for", "long_text", initial=v.get("response_sought", "")),
        FormField("theme", "Theme", "choice", required=False, choices=themes, initial=v.get("theme", "")),
    ]
    first = area.ladder[0]
    return Form(
        action="challenge.submit", title="Raise a challenge", fields=tuple(fields), submit_label="Raise challenge",
        context={"area": area.slug, "from_board": from_boards[0] if len(from_boards) == 1 else ""},
        intro=f"Step 1: {first.title}. {first.text}",
    )


async def start(ctx: Context, to_phrase: str = "") -> Reply:
    area = ctx.area
    assert area is not None
    mine = can_raise_for(area, ctx.request.actor)
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, SUBJECT, "raise a challenge")) is not None:
            return refused
        if not mine:
            return await refuse(
                ctx, s, SUBJECT, None,
                f"A formal challenge is raised for a board by {delegation_words(area)}.",
                hint=f"The protocol says: {who_may_raise_text(area)} Ask your board's chair; an administrator links chairs with "
                     "\u201cadmin link-user @person chair of <board>\u201d.",
            )
    to_board = ""
    if to_phrase:
        found = area.find_board(to_phrase).match
        to_board = found.key if found else ""
    return Reply(text="Fill in the challenge form.", form=raise_form(area, mine, to_board=to_board))


@action("challenge.submit")
async def submit(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    v = ctx.request.value
    mine = can_raise_for(area, ctx.request.actor)
    from_board = field_text(v, "from_board") or (mine[0] if len(mine) == 1 else "")
    to_board = field_text(v, "to_board")
    subject, concern, sought = (field_text(v, k) for k in ("subject", "concern", "response_sought"))
    theme = field_text(v, "theme") or None
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, SUBJECT, "raise a challenge")) is not None:
            return refused
        if from_board not in mine:
            return await refuse(ctx, s, SUBJECT, None, "Only a board's chair can raise a challenge on its behalf.",
                                hint=f"The protocol says: {who_may_raise_text(area)}")
        problems: dict[str, str] = {}
        if to_board not in area.boards or not area.boards[to_board].party or to_board == from_board:
            problems["to_board"] = "Choose another board of the protocol to challenge"
        problems.update({k: "Required" for k, val in (("subject", subject), ("concern", concern), ("response_sought", sought))
                         if not val})
        if (long := too_long_reply(v, form_limits(raise_form(area, mine)))) is not None:
            problems.update(long.data["field_errors"])
        if problems:
            # every problem at once, and the form again with every answer kept
            return form_again(raise_form(area, mine, values={k: field_text(v, k) for k in (
                "from_board", "to_board", "subject", "concern", "response_sought", "theme")}), v, problems,
                "Please correct: " + "; ".join(f"{_LABELS.get(k, k)}: {m}" for k, m in problems.items()) + ". Your other answers are kept.")
        if theme and theme not in area.themes:
            theme = None
        found = personal_data.findings(f"{subject}\n{concern}\n{sought}")
        if found and not v.get("confirmed"):
            reply = check_before_posting(found, "challenge.submit", v, ctx.request.request_id)
            return replace(reply, buttons=(*reply.buttons, Button("Edit", "challenge.edit", {**v})))
        key = idempotency_key(ctx, "challenge")
        existing = (await s.execute(select(Challenge).where(Challenge.idempotency_key == key))).scalar_one_or_none()
        if existing is not None:
            return card(area, existing, side="raiser", note="This challenge was already raised.")
        row = await area_row(s, area.slug)
        first = area.ladder[0]
        ch = Challenge(
            area_id=row.id, number=await next_number(s, Challenge, row.id), idempotency_key=key, from_board=from_board,
            to_board=to_board, subject=subject, concern=concern, response_sought=sought, theme_key=theme,
            raised_by=ctx.request.actor.label, raised_by_user=f"{ctx.request.platform}:{ctx.request.actor.user_id}",
            status="open", rung_index=0, rung_key=first.key,
            due_at=due_after(now, rung_window(first, row.settings)), created_at=now, updated_at=now,
        )
        s.add(ch)
        await s.flush()
        common = conflicts(area, from_board, to_board) + await directory_conflicts(s, area, from_board, to_board)
        await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, "raised",
                     {"from": from_board, "to": to_board, "subject": subject, "rung": first.key, "due": ch.due_at.isoformat(),
                      "conflicts": common, "personal_data_confirmed": bool(found)})
        notice = card(area, ch, side="target", addressed=await addressees(s, area, to_board, ("chair", "business_manager")),
                      common=common)
        queued = await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(to_board), reply=notice,
                                                  key=f"challenge:{ch.id}:raised:{to_board}", origin="challenge")
        to = board_short(area, to_board)
        where = (f"Posted to the {to} channel for its chair and business manager." if queued else
                 await where_sent(s, area.slug, Target.board(to_board), queued, to))
        await s.commit()
    ctx.services.notifier.kick()
    reply = card(area, ch, side="raiser", note=f"Challenge C{ch.number} raised. {where} Response due {fmt(ch.due_at)}.",
                 common=common)
    return Reply(title=reply.title, text=reply.text, sections=reply.sections, buttons=reply.buttons, citations=reply.citations,
                 data={**reply.data, "queued": queued, "conflicts": common})


@action("challenge.edit")
async def edit(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    mine = can_raise_for(area, ctx.request.actor)
    if not mine:
        async with ctx.services.store.session() as s:
            return await refuse(ctx, s, SUBJECT, None, "Only a board's chair can raise a challenge on its behalf.")
    values = {k: field_text(ctx.request.value, k) for k in ("from_board", "to_board", "subject", "concern", "response_sought", "theme")}
    return Reply(text="Edit the challenge.", form=raise_form(area, mine, values=values))


# --- the target board's side ----------------------------------------------------------------


async def _target_guard(ctx: Context, s: AsyncSession, ch: Challenge | None, what: str) -> Reply | None:
    if ch is None:
        return error("That challenge no longer exists.")
    if not speaks_for(ctx.request.actor, ctx.area.slug, ch.to_board):  # type: ignore[union-attr]
        return await refuse(ctx, s, SUBJECT, ch.id,
                            f"Only the {board_short(ctx.area, ch.to_board)}'s chair or business manager can {what}.")  # type: ignore[arg-type]
    return None


@action("challenge.ack", on=CHALLENGE)
async def acknowledge(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _target_guard(ctx, s, ch, "acknowledge it")) is not None:
            return refused
        assert ch is not None
        if await _once(s, f"challenge:{ch.id}:ack:{ctx.request.actor.user_id}"):
            await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, "acknowledged", {})
            await _notify(ctx, s, ch, ch.from_board, "raiser", f"ack:{ctx.request.actor.user_id}",
                          note=f"{ctx.request.actor.label} acknowledged challenge C{ch.number} for the {board_short(area, ch.to_board)}.")
        await s.commit()
    ctx.services.notifier.kick()
    return card(area, ch, side=ctx.request.value.get("side", "target"), note=f"Acknowledged by {ctx.request.actor.label}.")


async def _once(s: AsyncSession, key: str) -> bool:
    from storage.dedupe import first_time

    return await first_time(s, key)


def _text_form(ctx: Context, ch: Challenge, act: str, title: str, label: str, submit: str, extra: tuple[FormField, ...] = ()) -> Reply:
    value = {"area": ctx.area.slug, "id": ch.id, "side": field_text(ctx.request.value, "side"), "rung": ch.rung_index}  # type: ignore[union-attr]
    return Reply(text=title, form=Form(act, title, (FormField("text", label, "long_text"), *extra),
                                       submit, value))


def _text_too_long(ctx: Context, label: str) -> Reply | None:
    return too_long_reply(ctx.request.value, {"text": (label, LONG_TEXT)})


@action("challenge.respond", on=CHALLENGE)
@action("challenge.ask_info", on=CHALLENGE)
@action("challenge.more_time", on=CHALLENGE)
async def target_form(ctx: Context) -> Reply:
    act = (ctx.request.action or "").split(".", 1)[1]
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        what = {"respond": "respond", "ask_info": "ask for more information", "more_time": "ask for more time"}[act]
        if (refused := await _target_guard(ctx, s, ch, what)) is not None:
            return refused
        assert ch is not None
        if ch.status not in ("open", "responded"):
            return await _already(s, ctx.area, ch, "target")  # type: ignore[arg-type]
    if act == "respond":
        return _text_form(ctx, ch, "challenge.respond.submit", f"Respond to C{ch.number}", "Your board's response", "Send response")
    if act == "ask_info":
        return _text_form(ctx, ch, "challenge.ask_info.submit", f"Ask about C{ch.number}", "What do you need to know?",
                          "Ask (pauses the clock)")
    return _more_time_form(ctx, ch)


def _more_time_form(ctx: Context, ch: Challenge) -> Reply:
    return _text_form(ctx, ch, "challenge.more_time.submit", f"More time for C{ch.number}", "Why more time is needed", "Ask",
                      (FormField("days", "Extra working days", placeholder="10", max_length=20,
                                 hint=f"{EXTRA_DAYS_MIN} to {EXTRA_DAYS_MAX} working days"),))


@action("challenge.respond.submit", on=CHALLENGE)
async def respond(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    text = field_text(ctx.request.value, "text")
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _target_guard(ctx, s, ch, "respond")) is not None:
            return refused
        assert ch is not None
        if not text:
            return error("Write the response.", data={"field_errors": {"text": "Required"}})
        if (long := _text_too_long(ctx, "The response")) is not None:
            return long
        if not await _transition(s, ch, ("open", "responded"), status="responded", updated_at=ctx.services.clock()):
            return await _already(s, area, ch, "target")
        ev = await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, "responded", {"text": text})
        await _notify(ctx, s, ch, ch.from_board, "raiser", f"responded:{ev.id}",
                      note=f"The {board_short(area, ch.to_board)} responded ({ctx.request.actor.label}): {text}")
        await s.commit()
    ctx.services.notifier.kick()
    return card(area, ch, side="target", note=f"Response sent to the {board_short(area, ch.from_board)}.")


@action("challenge.ask_info.submit", on=CHALLENGE)
async def ask_info(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    question = field_text(ctx.request.value, "text")
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _target_guard(ctx, s, ch, "ask for more information")) is not None:
            return refused
        assert ch is not None
        if not question:
            return error("Write what you need to know.", data={"field_errors": {"text": "Required"}})
        if (long := _text_too_long(ctx, "The question")) is not None:
            return long
        left = working_days_left(now, ch.due_at) if ch.due_at else 0
        if not await _transition(s, ch, ("open", "responded"), status="awaiting_info", paused_at=now, paused_days_left=left, updated_at=now):
            return await _already(s, area, ch, "target")
        ev = await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, "information-requested",
                          {"question": question, "days_left": left})
        await _notify(ctx, s, ch, ch.from_board, "raiser", f"info-requested:{ev.id}",
                      note=f"The {board_short(area, ch.to_board)} asks for more information ({ctx.request.actor.label}): "
                           f"{question}\nThe response clock is paused until you answer.")
        await s.commit()
    ctx.services.notifier.kick()
    return card(area, ch, side="target", note="Question sent; the clock is paused until the raising board answers.")


@action("challenge.more_time.submit", on=CHALLENGE)
async def more_time(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    v = ctx.request.value
    reason = field_text(v, "text")
    days = extra_days(v.get("days"))
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _target_guard(ctx, s, ch, "ask for more time")) is not None:
            return refused
        assert ch is not None
        problems: dict[str, str] = {}
        if days is None:
            problems["days"] = f"A whole number of working days from {EXTRA_DAYS_MIN} to {EXTRA_DAYS_MAX}"
        if not reason:
            problems["text"] = "Say why more time is needed"
        elif (long := _text_too_long(ctx, "The reason")) is not None:
            problems.update(long.data["field_errors"])
        if problems:
            said = "; ".join(problems.values())
            return form_again(_more_time_form(ctx, ch).form, v, problems,  # type: ignore[arg-type]
                              f"Please correct: {said}. Your other answers are kept.")
        ev = await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, "time-requested", {"days": days, "reason": reason})
        ask = card(area, ch, side="raiser",
                   note=f"The {board_short(area, ch.to_board)} asks for {days} more working day(s) ({ctx.request.actor.label}): {reason}")
        value = {"area": area.slug, "id": ch.id, "days": days, "event": ev.id, "rung": ch.rung_index}
        ask = Reply(title=ask.title, text=ask.text, sections=ask.sections, visibility=Visibility.CHANNEL, data=ask.data,
                    buttons=(Button(f"Agree {days} more days", "challenge.extend", value, style="primary"),
                             Button("Refuse", "challenge.refuse_extension", value)))
        await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(ch.from_board), reply=ask,
                                         key=f"challenge:{ch.id}:time-requested:{ev.id}", origin="challenge")
        await s.commit()
    ctx.services.notifier.kick()
    return card(area, ch, side="target", note=f"Asked the {board_short(area, ch.from_board)} for {days} more working day(s).")


# --- the raising board's side ----------------------------------------------------------------


async def _raiser_guard(ctx: Context, s: AsyncSession, ch: Challenge | None, what: str) -> Reply | None:
    if ch is None:
        return error("That challenge no longer exists.")
    if not chairs_for(ctx.request.actor, ctx.area.slug, ch.from_board):  # type: ignore[union-attr]
        return await refuse(ctx, s, SUBJECT, ch.id,
                            f"Only the {board_short(ctx.area, ch.from_board)}'s chair can {what}.")  # type: ignore[arg-type]
    return None


def extra_days(raw) -> int | None:
    """Working days of more time, if ``raw`` is a whole number within the limits (bot.limits)."""
    text = str(raw).strip() if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
    if not text.isdigit() or len(text) > 3:
        return None
    days = int(text)
    return days if EXTRA_DAYS_MIN <= days <= EXTRA_DAYS_MAX else None


@action("challenge.extend", on=CHALLENGE)
@action("challenge.refuse_extension", on=CHALLENGE)
async def extension_decision(ctx: Context) -> Reply:
    """The raising chair agrees (or refuses) a request for more time. The days agreed are the
    days that were asked for, read from the record of the request, never from the button; and
    each request is decided once, however many presses arrive at the same moment."""
    area = ctx.area
    assert area is not None
    agree = ctx.request.action == "challenge.extend"
    v = ctx.request.value
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _raiser_guard(ctx, s, ch, "decide on more time")) is not None:
            return refused
        assert ch is not None
        try:
            event_id = int(str(v.get("event", "")).strip())
        except ValueError:
            event_id = 0
        asked = await s.get(AuditEvent, event_id) if 0 < event_id < 2**63 else None
        if asked is None or asked.subject_type != SUBJECT or asked.subject_id != ch.id or asked.kind != "time-requested":
            return await refuse(ctx, s, SUBJECT, ch.id, "That button names no request for more time on this challenge; nothing was changed.")
        days = extra_days(asked.detail.get("days"))
        if days is None or ("days" in v and str(v.get("days")).strip() != str(days)):
            return await refuse(ctx, s, SUBJECT, ch.id,
                                f"More time is agreed in whole working days from {EXTRA_DAYS_MIN} to {EXTRA_DAYS_MAX}, as "
                                f"asked for ({asked.detail.get('days')} were asked for); nothing was changed.")
        ch_id = ch.id

        async def decisions() -> list[tuple[str, str, dt.datetime]]:
            return [(e.kind, e.actor, e.at) for e in await history(s, SUBJECT, ch_id)
                    if e.kind in ("time-agreed", "time-refused") and e.detail.get("request") in (event_id, str(event_id))]

        decided = await decisions()
        if decided or not await first_time(s, f"challenge:{ch_id}:time-decided:{event_id}"):
            await s.rollback()
            decided = decided or await decisions()  # decided this very moment by another press: read what it did
            await s.refresh(ch)
            kind, who, at = decided[0] if decided else ("", "", None)
            word = {"time-agreed": "agreed", "time-refused": "refused"}.get(kind, "decided")
            by = f" by {who} ({fmt(at)})" if at else ""
            return card(area, ch, side="raiser", note=f"Nothing was changed: that request for more time was already {word}{by}.")
        if agree and ch.status == "awaiting_info" and ch.paused_days_left is not None:
            ok = await _transition(s, ch, ("awaiting_info",), paused_days_left=ch.paused_days_left + days, updated_at=ctx.services.clock())
        elif agree and ch.due_at and ch.status in ("open", "responded"):
            from scheduler.timeutil import LONDON, local_to_utc

            local = ch.due_at.astimezone(LONDON)
            due = local_to_utc(add_working_days(local.date(), days), local.time().replace(tzinfo=None))
            res = await s.execute(update(Challenge).where(Challenge.id == ch.id, Challenge.due_at == ch.due_at,
                                                          Challenge.status.in_(("open", "responded")))
                                  .values(due_at=due, nudged_at=None, updated_at=ctx.services.clock()))
            ok = bool(res.rowcount)
            if not ok:
                await s.rollback()
            await s.refresh(ch)
        else:
            ok = True
        if not ok:
            return await _already(s, area, ch, "raiser")
        await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, "time-agreed" if agree else "time-refused",
                     {"days": days, "due": ch.due_at.isoformat() if ch.due_at else None, "request": event_id})
        await _notify(ctx, s, ch, ch.to_board, "target", f"extension:{event_id}",
                      note=(f"The {board_short(area, ch.from_board)} agreed {days} more working day(s)"
                            + (f"; now due {fmt(ch.due_at)}." if ch.status != "awaiting_info" else " (the clock is paused).")
                            if agree else f"The {board_short(area, ch.from_board)} did not agree more time."))
        await s.commit()
    ctx.services.notifier.kick()
    return card(area, ch, side="raiser", note="Extension agreed." if agree else "Extension refused.")


@action("challenge.provide_info", on=CHALLENGE)
async def provide_info_form(ctx: Context) -> Reply:
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _raiser_guard(ctx, s, ch, "provide the information")) is not None:
            return refused
    assert ch is not None
    return _text_form(ctx, ch, "challenge.provide_info.submit", f"Information for C{ch.number}", "The information asked for",
                      "Send (restarts the clock)")


@action("challenge.provide_info.submit", on=CHALLENGE)
async def provide_info(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    answer = field_text(ctx.request.value, "text")
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _raiser_guard(ctx, s, ch, "provide the information")) is not None:
            return refused
        assert ch is not None
        if not answer:
            return error("Write the information asked for.", data={"field_errors": {"text": "Required"}})
        if (long := _text_too_long(ctx, "The information")) is not None:
            return long
        left = ch.paused_days_left or 1
        if not await _transition(s, ch, ("awaiting_info",), status="open", paused_at=None, paused_days_left=None, due_at=due_after(now, left), nudged_at=None, updated_at=now):
            return await _already(s, area, ch, "raiser")
        ev = await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, "information-provided", {"text": answer})
        await _notify(ctx, s, ch, ch.to_board, "target", f"info-provided:{ev.id}",
                      note=f"The {board_short(area, ch.from_board)} answered ({ctx.request.actor.label}): {answer}\n"
                           f"The clock restarts: response due {fmt(ch.due_at)}.")
        await s.commit()
    ctx.services.notifier.kick()
    return card(area, ch, side="raiser", note=f"Sent. The clock restarts: response due {fmt(ch.due_at)}.")


KIND_WORDS = {"written_request": "a written request", "agenda_item": "an agenda item",
              "chairs_meeting": "a meeting of the chairs", "resolution_meeting": "a resolution meeting"}


def reason_needed(ch: Challenge, now: dt.datetime) -> bool:
    """A reason is asked for unless the response window has passed with no response (the protocol's
    trigger for the next step): escalating early, or after a response, is a judgement to record."""
    return not (ch.status == "open" and ch.due_at is not None and ch.due_at <= now)


async def escalation_preview(ctx: Context, s: AsyncSession, ch: Challenge, nxt) -> list[str]:
    """What escalating ``ch`` to rung ``nxt`` will do, in words: who is told, what is proposed, the new window."""
    from bot.notify import Target as _T  # noqa: N814

    area = ctx.area
    assert area is not None
    now = ctx.services.clock()
    frm, to = area.boards[ch.from_board], area.boards[ch.to_board]
    cur = rung_of(area, ch)
    row = await area_row(s, area.slug)
    days = rung_window(nxt, row.settings)

    async def channel(target) -> str:
        linked = await directory.channels_for(s, area.slug, target.purpose, target.board_key)
        return "" if linked else " (no channel is linked for it yet: it would wait in their inbox, and the admins be asked to link one)"

    lines = [f"Escalate C{ch.number} from step {ch.rung_index + 1} ({cur.title}) to step {ch.rung_index + 2}: {nxt.title}."
             + (" (boardbot's default ladder)" if area.ladder_is_default else "")]
    lines.append(f"The protocol says: {nxt.text}")
    if nxt.kind == "agenda_item":
        lines.append(f"This will send an agenda request to the {to.short_name}'s business manager for an item on its agenda"
                     + await channel(_T.board(ch.to_board)) + ".")
    elif nxt.kind == "chairs_meeting":
        chairs = [f"{b.short_name}: {b.chair.title}" + (f" ({b.chair.name})" if b.chair and b.chair.name else "")
                  if b.chair else f"{b.short_name}: chair" for b in (frm, to)]
        lines.append(f"This will propose a meeting of the chairs ({'; '.join(chairs)}"
                     + (f"; with {', '.join(nxt.attendees)}" if nxt.attendees else "")
                     + f") to both boards, to be held within {days} working days.")
    if nxt.notify_directors:
        lines.append("This will post an escalation notice to the directors' channel" + await channel(DIRECTORS)
                     + f"; must attend: {', '.join(nxt.attendees) or 'Board chairs'}.")
    lines.append(f"The {to.short_name} is told, and its response is then due within {days} working days "
                 f"({fmt(due_after(now, days))}).")
    if reason_needed(ch, now):
        why = ("it has responded" if ch.status == "responded" else "its clock is paused for information"
               if ch.status == "awaiting_info" else f"its response is not due until {fmt(ch.due_at)}" if ch.due_at else "")
        lines.append(f"The {to.short_name}'s window has not passed ({why}): say why you escalate now. It is recorded.")
    else:
        lines.append(f"The {to.short_name}'s response was due {fmt(ch.due_at)} and has not come.")
    return lines


@action("challenge.escalate", on=CHALLENGE)
async def escalate(ctx: Context) -> Reply:
    """The raising chair moves the challenge up one rung: first a preview of what that will do (and,
    where the response window has not passed, a reason), then, confirmed, the step itself."""
    area = ctx.area
    assert area is not None
    now = ctx.services.clock()
    v = ctx.request.value
    try:
        from_rung = int(v.get("rung", -1))
    except (TypeError, ValueError):
        from_rung = -1
    reason = field_text(v, "reason")
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _raiser_guard(ctx, s, ch, "escalate it")) is not None:
            return refused
        assert ch is not None
        ladder = area.ladder
        if ch.status not in OPEN:
            return await _already(s, area, ch, "raiser")
        if from_rung != ch.rung_index:
            return await _already(s, area, ch, "raiser")
        if ch.rung_index + 1 >= len(ladder):
            return card(area, ch, side="raiser", note=f"Challenge C{ch.number} is at the last step of {area.name}'s route.")
        nxt = ladder[ch.rung_index + 1]
        needed = reason_needed(ch, now)
        if not v.get("confirmed"):
            preview = await escalation_preview(ctx, s, ch, nxt)
            form = Form("challenge.escalate", f"Escalate C{ch.number}",
                        (FormField("reason", "Why escalate now" if needed else "Why escalate (optional)", "long_text",
                                   required=needed, initial=reason),),
                        f"Escalate to step {ch.rung_index + 2}",
                        {"area": area.slug, "id": ch.id, "rung": ch.rung_index, "side": "raiser", "confirmed": 1},
                        intro="\n".join(preview))
            return Reply(text="\n".join(preview), title=f"Escalate C{ch.number}: {nxt.title}", form=form,
                         data={"intent": "escalation_preview", "number": ch.number, "to": nxt.key, "reason_needed": needed})
        if needed and not reason:
            return error(f"C{ch.number}'s response window has not passed: say why you escalate now (it is recorded).",
                         data={"field_errors": {"reason": "Say why you escalate now"}})
        if (long := too_long_reply(v, {"reason": ("The reason", LONG_TEXT)})) is not None:
            return long
        row = await area_row(s, area.slug)
        due = due_after(now, rung_window(nxt, row.settings))
        res = await s.execute(
            update(Challenge).where(Challenge.id == ch.id, Challenge.rung_index == from_rung, Challenge.status.in_(OPEN))
            .values(rung_index=from_rung + 1, rung_key=nxt.key, status="open", due_at=due, nudged_at=None, paused_at=None,
                    paused_days_left=None, updated_at=now)
        )
        if not res.rowcount:  # a double click or a concurrent press: the other one escalated
            await s.rollback()
            await s.refresh(ch)
            return await _already(s, area, ch, "raiser")
        await s.refresh(ch)
        detail = {"from": ladder[from_rung].key, "to": nxt.key, "due": due.isoformat(), "window_passed": not needed}
        if reason:
            detail["reason"] = reason
        note = await _escalation_effects(ctx, s, ch, nxt, detail)
        await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, "escalated", detail)
        why = f" Reason: {reason}" if reason else ""
        await _notify(ctx, s, ch, ch.to_board, "target", f"escalated:{nxt.key}",
                      note=f"Escalated by the {board_short(area, ch.from_board)} to step {ch.rung_index + 1}: {nxt.title}.{why} {note}")
        await s.commit()
    ctx.services.notifier.kick()
    return card(area, ch, side="raiser", note=f"Escalated to step {ch.rung_index + 1}: {nxt.title}.{why} {note}")


async def _escalation_effects(ctx: Context, s: AsyncSession, ch: Challenge, rung, detail: dict) -> str:
    """What a rung does beyond moving the clock: an agenda request, a chairs' meeting, a directors' notice."""
    area = ctx.area
    assert area is not None
    frm, to = area.boards[ch.from_board], area.boards[ch.to_board]
    if rung.kind == "agenda_item":
        from bot.workflows.agenda import create_request, request_card

        req, _ = await create_request(
            s, area, from_board=ch.from_board, to_board=ch.to_board, title=f"Challenge C{ch.number}: {ch.subject}",
            reason=f"{ch.concern}\nResponse asked for: {ch.response_sought}", preferred=None,
            requested_by=ctx.request.actor.label, requested_by_user=ch.raised_by_user,
            key=f"challenge:{ch.id}:agenda", challenge_id=ch.id,
        )
        detail["agenda_request"] = req.id
        queued = await ctx.services.notifier.post(
            s, area_slug=area.slug, target=Target.board(ch.to_board),
            reply=request_card(area, req, addressed=await addressees(s, area, ch.to_board, ("business_manager", "chair"))),
            key=f"agenda:{req.id}:requested", origin="agenda")
        if queued:
            return f"Agenda request A{req.number} posted to the {to.short_name} channel for its business manager."
        return f"Agenda request A{req.number} made. " + await where_sent(s, area.slug, Target.board(ch.to_board), 0, to.short_name)
    if rung.kind == "chairs_meeting":
        chairs = [f"{b.short_name}: {b.chair.title}" + (f" ({b.chair.name})" if b.chair and b.chair.name else "")
                  if b.chair else f"{b.short_name}: chair" for b in (frm, to)]
        proposal = Reply(
            title=f"Meeting of the chairs proposed — challenge C{ch.number}",
            text=(f"The {frm.short_name} asks for a meeting of the chairs to agree a way forward on challenge C{ch.number} "
                  f"({ch.subject}).\nChairs: {'; '.join(chairs)}" + (f"; with {', '.join(rung.attendees)}" if rung.attendees else "")
                  + f".\n{rung.text}\nPlease agree a date within {rung_window(rung)} working days."),
            citations=(area.cite(rung.source),) if not area.ladder_is_default else (), visibility=Visibility.CHANNEL,
        )
        posted, waiting = [], []
        for b in (ch.from_board, ch.to_board):
            n = await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(b), reply=proposal,
                                                 key=f"challenge:{ch.id}:chairs-meeting:{rung.key}:{b}", origin="challenge")
            (posted if n else waiting).append(b)
        detail["chairs"] = chairs
        if not waiting:
            return f"A meeting of the chairs has been proposed, posted to the {frm.short_name} and {to.short_name} channels."
        said = "A meeting of the chairs has been proposed" + (
            f", posted to the {board_short(area, posted[0])} channel." if posted else ".")
        for b in waiting:
            said += " " + await where_sent(s, area.slug, Target.board(b), 0, board_short(area, b))
        return said
    if rung.notify_directors:
        attendees = area.attendees(rung, (ch.from_board, ch.to_board)) or ["Board chairs"]
        notice = Reply(
            title=f"Escalation notice — challenge C{ch.number}: {rung.title}",
            text=(f"Challenge C{ch.number} from the {frm.name} ({frm.short_name}) to the {to.name} ({to.short_name}) "
                  f"could not be resolved at the earlier steps and has been escalated to: {rung.title}.\n"
                  f"Subject: {ch.subject}\nArea of concern: {ch.concern}\n"
                  f"The protocol says: {rung.text}\nMust attend: {', '.join(attendees)}.\n"
                  f"Please arrange the meeting within {rung_window(rung)} working days."),
            citations=(area.cite(rung.source),) if not area.ladder_is_default else (), visibility=Visibility.CHANNEL,
            data={"escalation": True, "challenge": ch.number, "rung": rung.key, "attendees": attendees},
        )
        n = await ctx.services.notifier.post(s, area_slug=area.slug, target=DIRECTORS, reply=notice,
                                             key=f"challenge:{ch.id}:directors:{rung.key}", origin="challenge")
        detail["directors_notified"] = n
        detail["attendees"] = attendees
        if not n:
            return "Escalation notice made (must attend: " + ", ".join(attendees) + "). " + await where_sent(s, area.slug, DIRECTORS, 0)
        return f"Escalation notice sent to the directors' channel (must attend: {', '.join(attendees)})."
    return ""


@action("challenge.resolve", on=CHALLENGE)
@action("challenge.withdraw", on=CHALLENGE)
async def close_form(ctx: Context) -> Reply:
    act = (ctx.request.action or "").split(".")[1]
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _raiser_guard(ctx, s, ch, f"{act} it")) is not None:
            return refused
        assert ch is not None
        if ch.status not in OPEN:
            return await _already(s, ctx.area, ch, "raiser")  # type: ignore[arg-type]
    if act == "resolve":
        return _text_form(ctx, ch, "challenge.resolve.submit", f"Resolve C{ch.number}", "The outcome (for the record)", "Resolve")
    return _text_form(ctx, ch, "challenge.withdraw.submit", f"Withdraw C{ch.number}", "Why it is withdrawn", "Withdraw")


@action("challenge.resolve.submit", on=CHALLENGE)
@action("challenge.withdraw.submit", on=CHALLENGE)
async def close(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    act = (ctx.request.action or "").split(".")[1]
    text = field_text(ctx.request.value, "text")
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _raiser_guard(ctx, s, ch, f"{act} it")) is not None:
            return refused
        assert ch is not None
        if not text:
            return error("Write the outcome." if act == "resolve" else "Say why.", data={"field_errors": {"text": "Required"}})
        if (long := _text_too_long(ctx, "The outcome" if act == "resolve" else "The reason")) is not None:
            return long
        status = "resolved" if act == "resolve" else "withdrawn"
        res = await s.execute(update(Challenge).where(Challenge.id == ch.id, Challenge.status.in_(OPEN))
                              .values(status=status, outcome=text, closed_at=now, updated_at=now))
        if not res.rowcount:
            await s.rollback()
            await s.refresh(ch)
            return await _already(s, area, ch, "raiser")
        await s.refresh(ch)
        ev = await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, status, {"text": text, "rung": ch.rung_key})
        await _notify(ctx, s, ch, ch.to_board, "target", f"{status}:{ev.id}",
                      note=f"Challenge C{ch.number} {status} by the {board_short(area, ch.from_board)}: {text}")
        from bot.workflows.agenda import close_for_challenge

        closed = await close_for_challenge(ctx, s, ch, status, text)
        if rung_of(area, ch).notify_directors:
            await ctx.services.notifier.post(
                s, area_slug=area.slug, target=DIRECTORS,
                reply=Reply(title=f"Challenge C{ch.number} {status}", text=f"Challenge C{ch.number} ({ch.subject}) was {status} "
                            f"at step {ch.rung_index + 1}: {text}", visibility=Visibility.CHANNEL),
                key=f"challenge:{ch.id}:directors:{status}:{ev.id}", origin="challenge")
        await s.commit()
    ctx.services.notifier.kick()
    also = "".join(f" Agenda request A{n} is closed with it." for n in closed)
    return card(area, ch, side="raiser", note=f"Challenge C{ch.number} {status}.{also}")


@action("challenge.reopen", on=CHALLENGE)
async def reopen(ctx: Context) -> Reply:
    area = ctx.area
    assert area is not None
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        ch = await _load(s, ctx)
        if (refused := await _raiser_guard(ctx, s, ch, "reopen it")) is not None:
            return refused
        assert ch is not None
        rung = rung_of(area, ch)
        row = await area_row(s, area.slug)
        due = due_after(now, rung_window(rung, row.settings))
        if not await _transition(s, ch, ("resolved", "withdrawn"), status="open", closed_at=None, due_at=due, nudged_at=None, updated_at=now):
            return await _already(s, area, ch, "raiser")
        ev = await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, "reopened", {"due": due.isoformat()})
        await _notify(ctx, s, ch, ch.to_board, "target", f"reopened:{ev.id}",
                      note=f"Challenge C{ch.number} was reopened by the {board_short(area, ch.from_board)}; response due {fmt(due)}.")
        await s.commit()
    ctx.services.notifier.kick()
    return card(area, ch, side="raiser", note=f"Reopened; the clock restarts: response due {fmt(due)}.")


# --- links from the agenda workflow, and the clock -----------------------------------------


async def check_clocks(services) -> int:
    """Nudge the target and tell the raising chair they may escalate, once per window that passes."""
    from storage.models import Area

    now = services.clock()
    nudged = 0
    async with services.store.session() as s:
        due = (await s.execute(select(Challenge, Area.slug).join(Area, Area.id == Challenge.area_id).where(
            Challenge.status == "open", Challenge.due_at < now, Challenge.nudged_at.is_(None)).limit(500))).all()
        for ch, slug in due:
            area = services.knowledge.areas.get(slug)
            if area is None:
                continue
            res = await s.execute(update(Challenge).where(Challenge.id == ch.id, Challenge.nudged_at.is_(None)).values(nudged_at=now))
            if not res.rowcount:
                continue
            frm, to = board_short(area, ch.from_board), board_short(area, ch.to_board)
            await record(s, slug, SUBJECT, ch.id, "boardbot", "window-passed", {"rung": ch.rung_key, "due": ch.due_at.isoformat()})
            for board, side, note in (
                (ch.to_board, "target", f"Reminder: the response to challenge C{ch.number} from the {frm} was due {fmt(ch.due_at)}."),
                (ch.from_board, "raiser", f"The {to} has not responded to challenge C{ch.number} by {fmt(ch.due_at)}. "
                                          "You may escalate it to the next step."),
            ):
                await services.notifier.post(s, area_slug=slug, target=Target.board(board), reply=card(area, ch, side=side, note=note),
                                             key=f"challenge:{ch.id}:nudge:{ch.rung_key}:{ch.due_at.isoformat()}:{board}",
                                             origin="challenge")
            nudged += 1
        await s.commit()
    if nudged:
        services.notifier.kick()
    return nudged


# --- listing, history, export -------------------------------------------------------------


async def visible_challenges(ctx: Context, *, include_closed: bool = False) -> list[Challenge]:
    assert ctx.area is not None
    return await visible_to(ctx.services, ctx.request.actor, ctx.area, include_closed=include_closed)


async def visible_to(services, actor: Actor, area: AreaKnowledge, *, include_closed: bool = False) -> list[Challenge]:
    """The area's challenges ``actor`` may see (the boards involved, directors, admins), by number."""
    async with services.store.session() as s:
        row = await area_row(s, area.slug)
        q = select(Challenge).where(Challenge.area_id == row.id)
        if not include_closed:
            q = q.where(Challenge.status.in_(OPEN))
        rows = list((await s.execute(q.order_by(Challenge.number))).scalars())
    return [c for c in rows if may_see(actor, area.slug, (c.from_board, c.to_board))]


def summary_lines(area: AreaKnowledge, rows: list[Challenge]) -> list[str]:
    """One line per challenge: number, boards, subject, step, status and due date."""
    out = []
    for c in rows:
        rung = rung_of(area, c)
        due = f"due {fmt_date(c.due_at)}" if c.due_at and c.status != "awaiting_info" else "clock paused"
        out.append(f"• C{c.number} {board_short(area, c.from_board)} → {board_short(area, c.to_board)}: {c.subject} — "
                   f"step {c.rung_index + 1} ({rung.title}), {c.status.replace('_', ' ')}, {due}")
    return out


def list_reply(area: AreaKnowledge, rows: list[Challenge]) -> Reply:
    if not rows:
        text = f"No open challenges you can see in {area.name}."
        return Reply(text=text, data={"intent": "challenges", "challenges": [], "text": text})
    lines = [f"Open challenges in {area.name}:", *summary_lines(area, rows),
             "\u201cchallenge <number>\u201d shows one in full, with its history."]
    text = "\n".join(lines)
    return Reply(text=text, title=f"Challenges — {area.name}",
                 data={"intent": "challenges", "text": text,
                       "challenges": [{"number": c.number, "status": c.status, "rung": c.rung_key,
                                       "due_at": c.due_at.isoformat() if c.due_at else None} for c in rows]})


async def show(ctx: Context, number: int) -> Reply:
    area = ctx.area
    assert area is not None
    async with ctx.services.store.session() as s:
        row = await area_row(s, area.slug)
        ch = (await s.execute(select(Challenge).where(Challenge.area_id == row.id, Challenge.number == number))).scalar_one_or_none()
        if ch is None or not may_see(ctx.request.actor, area.slug, (ch.from_board, ch.to_board)):
            if ch is not None:  # it exists, and is not theirs to see: the same answer, but on the record
                await refuse(ctx, s, SUBJECT, ch.id, f"not one of the boards involved in C{number}")
            return error(f"No challenge C{number} that you can see in {area.name}.", hint="\u201cchallenges\u201d lists the ones you can.")
        events = await history(s, SUBJECT, ch.id)
    actor = ctx.request.actor
    side = ("raiser" if chairs_for(actor, area.slug, ch.from_board) else
            "target" if speaks_for(actor, area.slug, ch.to_board) else "viewer")
    base = card(area, ch, side=side)
    log = [f"• {fmt(e.at)} — {e.actor}: {_describe(e, area)}" for e in events]
    text = base.text + "\nHistory:\n" + "\n".join(log)
    return Reply(title=base.title, text=text, sections=base.sections, buttons=base.buttons, citations=base.citations,
                 data={**base.data, "history": [{"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "detail": e.detail} for e in events]})


def _describe(e, area: AreaKnowledge | None = None) -> str:
    d = e.detail or {}
    if e.kind == "escalated":
        kinds = {r.key: r.kind for r in area.ladder} if area is not None else {}
        steps = {r.key: (i + 1, r.title) for i, r in enumerate(area.ladder)} if area is not None else {}

        def words(key) -> str:
            kind = kinds.get(key, key)
            return KIND_WORDS.get(str(kind), str(key or "").replace("_", " "))

        said = f"escalated it from {words(d.get('from'))} to {words(d.get('to'))}"
        if d.get("to") in steps:
            n, title = steps[d["to"]]
            said += f" (step {n}: {title})"
        return said + (f"; reason: {d['reason']}" if d.get("reason") else "")
    words = {
        "raised": f"raised (due {d.get('due', '')[:10]})", "acknowledged": "acknowledged", "responded": f"responded: {d.get('text', '')}",
        "information-requested": f"asked for information: {d.get('question', '')}",
        "information-provided": f"provided information: {d.get('text', '')}",
        "time-requested": f"asked for {d.get('days')} more working day(s): {d.get('reason', '')}",
        "time-agreed": f"agreed {d.get('days')} more working day(s)", "time-refused": "refused more time",
        "resolved": f"resolved: {d.get('text', '')}",
        "withdrawn": f"withdrawn: {d.get('text', '')}", "reopened": "reopened", "window-passed": "response window passed",
        "refused": f"refused: {d.get('reason', '')}",
        "agenda-closed": f"agenda request closed with the challenge ({d.get('reason', '')})",
    }
    return words.get(e.kind, e.kind.replace("-", " "))


async def export(ctx: Context, start: dt.date, end: dt.date) -> Reply:
    """The area's challenges raised in [start, end], as CSV and Markdown, for the annual report."""
    area = ctx.area
    assert area is not None
    rows = [c for c in await visible_challenges(ctx, include_closed=True)
            if start <= c.created_at.date() <= end]
    async with ctx.services.store.session() as s:
        logs = {c.id: await history(s, SUBJECT, c.id) for c in rows}
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["number", "raised", "from", "to", "subject", "theme", "step", "step_title", "status", "due", "closed", "outcome", "events"])
    for c in rows:
        w.writerow([csv_cell(v) for v in [f"C{c.number}", c.created_at.date().isoformat(), board_short(area, c.from_board), board_short(area, c.to_board),
                    c.subject, c.theme_key or "", c.rung_index + 1, rung_of(area, c).title, c.status,
                    c.due_at.isoformat() if c.due_at else "", c.closed_at.date().isoformat() if c.closed_at else "",
                    c.outcome or "", len(logs[c.id])]])
    md = [f"# Mutual challenges — {area.name}, {start.isoformat()} to {end.isoformat()}", "",
          "A record of decisions and actions taken.", ""]
    for c in rows:
        md += [f"## C{c.number}: {c.subject}", "",
               f"- From the {board_short(area, c.from_board)} to the {board_short(area, c.to_board)}; raised {fmt_date(c.created_at)} by {c.raised_by}",
               f"- Step reached: {c.rung_index + 1} ({rung_of(area, c).title}); status: {c.status}" + (f"; outcome: {c.outcome}" if c.outcome else ""),
               "", "| when | who | what |", "| --- | --- | --- |"]
        md += [f"| {fmt(e.at)} | {e.actor} | {_describe(e, area).replace('|', '/')} |" for e in logs[c.id]]
        md.append("")
    csv_text, md_text = buf.getvalue(), "\n".join(md)
    text = f"{len(rows)} challenge(s) in {area.name} raised {start.isoformat()} to {end.isoformat()}.\n\n{md_text}"
    return Reply(text=text, title=f"Challenges export — {area.name}",
                 data={"intent": "challenge_export", "count": len(rows), "files": {"challenges.csv": csv_text, "challenges.md": md_text}})

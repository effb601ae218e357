"""The one shape of a press on a challenge, written once.

Every button and form on a stored challenge runs the same way: load it (only from this
area), check that the person speaks for the side whose button it is, let the rules decide
(:mod:`.rules`), move it with a conditional update (so a double click or a retry acts once),
record the event in the audit, tell the other board through the Notifier, commit, and
answer with the updated card. :func:`on_challenge` is that shape; each handler gives only
what differs: what it checks of the input, which rule it runs, what the other board is told
and what the presser sees.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, Subject
from bot.knowledge import AreaKnowledge
from bot.limits import LONG_TEXT
from bot.messages import Reply, error
from bot.notify import Target
from bot.workflows.challenges.cards import already as already_card
from bot.workflows.challenges.cards import card
from bot.workflows.challenges.rules import SUBJECT, Blocked, Moved, State, Status
from bot.workflows.common import board_short, field_text, load_in_area, refuse, too_long_reply
from bot.workflows.permissions import chairs_for, speaks_for
from storage.audit import history, record
from storage.models import AuditEvent, Challenge

CHALLENGE = Subject("challenge", Challenge, audit=SUBJECT)  # actions on a stored challenge run in its area

Side = Literal["target", "raiser"]
OTHER: dict[Side, Side] = {"target": "raiser", "raiser": "target"}


def state_of(ch: Challenge) -> State:
    return State(Status(ch.status), ch.rung_index, ch.rung_key, due_at=ch.due_at, paused_at=ch.paused_at,
                 paused_days_left=ch.paused_days_left, nudged_at=ch.nudged_at, outcome=ch.outcome, closed_at=ch.closed_at)


def board_of(ch: Challenge, side: Side) -> str:
    """The board on ``side``: the challenged board is the target, the challenging one the raiser."""
    return ch.to_board if side == "target" else ch.from_board


async def guard(ctx: Context, s: AsyncSession, ch: Challenge, side: Side, what: str) -> Reply | None:
    """Refuse (on the record) someone who does not speak for ``side``'s board: its chair or business
    manager on the target's side, its chair on the raiser's; None when they may ``what``."""
    area = ctx.here
    actor = ctx.request.actor
    if side == "target" and not speaks_for(actor, area.slug, ch.to_board):
        return await refuse(ctx, s, SUBJECT, ch.id, f"Only the {board_short(area, ch.to_board)}'s chair or business manager can {what}.")
    if side == "raiser" and not chairs_for(actor, area.slug, ch.from_board):
        return await refuse(ctx, s, SUBJECT, ch.id, f"Only the {board_short(area, ch.from_board)}'s chair can {what}.")
    return None


async def load(ctx: Context, s: AsyncSession, side: Side, what: str) -> Challenge | Reply:
    """The challenge the button names, if it is still there and the presser may ``what``; else the refusal."""
    ch = await load_in_area(s, ctx, Challenge)
    if ch is None:
        return error("That challenge no longer exists.")
    return await guard(ctx, s, ch, side, what) or ch


async def already(s: AsyncSession, area: AreaKnowledge, ch: Challenge, side: str) -> Reply:
    """Nothing was changed: the card, saying what last happened to the challenge, by whom and when."""
    events = [e for e in await history(s, SUBJECT, ch.id) if e.kind not in ("refused", "window-passed")]
    return already_card(area, ch, side, events[-1] if events else None)


async def write(s: AsyncSession, ch: Challenge, moved: Moved, now: dt.datetime) -> bool:
    """Store ``moved`` only if the challenge is still as the rules read it (its status one of
    ``moved.expect``, the ``unchanged`` fields as loaded): under a double click or two people at
    once, exactly one wins. ``ch`` is refreshed either way; False when it had moved on."""
    values = state_of(ch).changes(moved.state)
    if not values and not moved.expect:
        return True  # the step only records
    where = [Challenge.id == ch.id, *(getattr(Challenge, name) == getattr(ch, name) for name in moved.unchanged)]
    if moved.expect:
        where.append(Challenge.status.in_([str(x) for x in moved.expect]))
    values = {k: str(v) if isinstance(v, Status) else v for k, v in values.items()}
    res = await s.execute(update(Challenge).where(*where).values(**values, updated_at=now))
    if not res.rowcount:
        await s.rollback()
    await s.refresh(ch)
    return bool(res.rowcount)


@dataclass(frozen=True)
class Notice:
    """What the other board is told of a step: ``reply`` posted to ``board``'s channel once (``key``)."""

    board: str
    reply: Reply
    key: str


def notice(area: AreaKnowledge, ch: Challenge, side: Side, step: str, note: str) -> Notice:
    """The card for ``side``'s board, with ``note`` above it; ``step`` makes the post's key."""
    board = board_of(ch, side)
    return Notice(board, card(area, ch, side=side, note=note), f"challenge:{ch.id}:{step}:{board}")


async def post(ctx: Context, s: AsyncSession, n: Notice) -> int:
    return await ctx.services.notifier.post(s, area_slug=ctx.here.slug, target=Target.board(n.board), reply=n.reply, key=n.key,
                                            origin="challenge")


Decide = Callable[[AsyncSession, Challenge], Awaitable[Moved | Blocked | Reply | None]]
Tell = Callable[[Challenge, AuditEvent, str], Notice | None]
Done = Callable[[Challenge, str], Reply]
Effects = Callable[[AsyncSession, Challenge, dict[str, Any], AuditEvent | None], Awaitable[str]]


async def on_challenge(ctx: Context, side: Side, what: str, decide: Decide, *, tell: Tell, done: Done,
                       effects: Effects | None = None, effects_first: bool = False) -> Reply:
    """Run one press on a challenge from load to commit (see the module's docstring).

    ``decide`` checks the input and runs the rule: a Reply (a refusal, a form again) is the
    answer as it is; ``Blocked("moved on")`` answers with what already happened; None means
    there is nothing to record (a second acknowledgement) but the press still succeeds.
    ``tell`` says what the other board is posted, ``done`` what the presser sees. ``effects``
    (an agenda request, a directors' notice ...) run after the challenge moved: with
    ``effects_first`` before the event is recorded (adding to its detail, and their note passed
    to ``tell``), else after the other board is told (given the event); the note they return
    goes to ``done``."""
    area = ctx.here
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        ch = await load(ctx, s, side, what)
        if isinstance(ch, Reply):
            return ch
        outcome = await decide(s, ch)
        if isinstance(outcome, Reply):
            return outcome
        if isinstance(outcome, Blocked):
            if outcome.why != "moved on":
                raise ValueError(f"{what}: the rule's {outcome.why!r} needs its own answer")
            return await already(s, area, ch, side)
        extra = ""
        if outcome is not None:
            if not await write(s, ch, outcome, now):
                return await already(s, area, ch, side)
            detail = dict(outcome.event.detail)
            if effects is not None and effects_first:
                extra = await effects(s, ch, detail, None)
            ev = await record(s, area.slug, SUBJECT, ch.id, ctx.request.actor.label, outcome.event.kind, detail)
            if (n := tell(ch, ev, extra)) is not None:
                await post(ctx, s, n)
            if effects is not None and not effects_first:
                extra = await effects(s, ch, detail, ev)
        await s.commit()
    ctx.services.notifier.kick()
    return done(ch, extra)


async def open_form(ctx: Context, side: Side, what: str, build: Callable[[Challenge], Reply],
                    statuses: tuple[Status, ...] | None = None) -> Reply:
    """A button that opens a form on a challenge: load, guard, and (while it is in one of
    ``statuses``) the form; else what already happened. Nothing is changed."""
    async with ctx.services.store.session() as s:
        ch = await load(ctx, s, side, what)
        if isinstance(ch, Reply):
            return ch
        if statuses is not None and ch.status not in statuses:
            return await already(s, ctx.here, ch, side)
    return build(ch)


def required_text(ctx: Context, missing: str, label: str) -> Reply | None:
    """The error for an empty or over-long ``text`` field (``missing`` says what to write), or None."""
    if not field_text(ctx.request.value, "text"):
        return error(missing, data={"field_errors": {"text": "Required"}})
    return too_long_reply(ctx.request.value, {"text": (label, LONG_TEXT)})

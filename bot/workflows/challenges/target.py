"""The challenged board's side: acknowledge, respond, ask for information, ask for more time.

Its chair or business manager may act (:func:`.usecase.guard`); the raising board is told.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, action
from bot.limits import EXTRA_DAYS_MAX, EXTRA_DAYS_MIN, LONG_TEXT
from bot.messages import Reply
from bot.workflows.challenges import rules
from bot.workflows.challenges.cards import card
from bot.workflows.challenges.forms import button_form, more_time_form
from bot.workflows.challenges.notices import more_time_asked
from bot.workflows.challenges.usecase import (
    CHALLENGE,
    Notice,
    notice,
    on_challenge,
    open_form,
    required_text,
    state_of,
)
from bot.workflows.common import board_short, field_text, form_again, too_long_reply
from storage.dedupe import first_time
from storage.models import AuditEvent, Challenge

WHAT = {"respond": "respond", "ask_info": "ask for more information", "more_time": "ask for more time"}


@action("challenge.ack", on=CHALLENGE)
async def acknowledge(ctx: Context) -> Reply:
    """Recorded and told to the raiser once per person; pressing again only shows the card."""
    area, actor = ctx.here, ctx.request.actor

    async def decide(s: AsyncSession, ch: Challenge) -> rules.Moved | None:
        return rules.acknowledge(state_of(ch)) if await first_time(s, f"challenge:{ch.id}:ack:{actor.user_id}") else None

    return await on_challenge(
        ctx, "target", "acknowledge it", decide,
        tell=lambda ch, ev, _: notice(area, ch, "raiser", f"ack:{actor.user_id}",
                                      f"{actor.label} acknowledged challenge C{ch.number} for the {board_short(area, ch.to_board)}."),
        done=lambda ch, _: card(area, ch, side=ctx.request.value.get("side", "target"), note=f"Acknowledged by {actor.label}."))


@action("challenge.respond", on=CHALLENGE)
@action("challenge.ask_info", on=CHALLENGE)
@action("challenge.more_time", on=CHALLENGE)
async def target_form(ctx: Context) -> Reply:
    act = (ctx.request.action or "").split(".", 1)[1]
    side = field_text(ctx.request.value, "side")
    return await open_form(ctx, "target", WHAT[act], lambda ch: button_form(ctx.here, ch, side, act), rules.ANSWERABLE)


@action("challenge.respond.submit", on=CHALLENGE)
async def respond(ctx: Context) -> Reply:
    area, actor = ctx.here, ctx.request.actor
    text = field_text(ctx.request.value, "text")

    async def decide(s: AsyncSession, ch: Challenge) -> Reply | rules.Moved | rules.Blocked:
        return required_text(ctx, "Write the response.", "The response") or rules.respond(state_of(ch), text)

    return await on_challenge(
        ctx, "target", "respond", decide,
        tell=lambda ch, ev, _: notice(area, ch, "raiser", f"responded:{ev.id}",
                                      f"The {board_short(area, ch.to_board)} responded ({actor.label}): {text}"),
        done=lambda ch, _: card(area, ch, side="target", note=f"Response sent to the {board_short(area, ch.from_board)}."))


@action("challenge.ask_info.submit", on=CHALLENGE)
async def ask_info(ctx: Context) -> Reply:
    """A question to the raising board pauses the clock until it answers."""
    area, actor = ctx.here, ctx.request.actor
    question = field_text(ctx.request.value, "text")
    now = ctx.services.clock()

    async def decide(s: AsyncSession, ch: Challenge) -> Reply | rules.Moved | rules.Blocked:
        return (required_text(ctx, "Write what you need to know.", "The question")
                or rules.ask_for_information(state_of(ch), question, now))

    return await on_challenge(
        ctx, "target", "ask for more information", decide,
        tell=lambda ch, ev, _: notice(area, ch, "raiser", f"info-requested:{ev.id}",
                                      f"The {board_short(area, ch.to_board)} asks for more information ({actor.label}): "
                                      f"{question}\nThe response clock is paused until you answer."),
        done=lambda ch, _: card(area, ch, side="target", note="Question sent; the clock is paused until the raising board answers."))


@action("challenge.more_time.submit", on=CHALLENGE)
async def more_time(ctx: Context) -> Reply:
    """A request for more time goes to the raising chair to agree or refuse; the clock is unchanged until then."""
    area, actor = ctx.here, ctx.request.actor
    v = ctx.request.value
    reason = field_text(v, "text")
    days = rules.extra_days(v.get("days"))

    async def decide(s: AsyncSession, ch: Challenge) -> Reply | rules.Moved:
        problems: dict[str, str] = {}
        if days is None:
            problems["days"] = f"A whole number of working days from {EXTRA_DAYS_MIN} to {EXTRA_DAYS_MAX}"
        if not reason:
            problems["text"] = "Say why more time is needed"
        elif (long := too_long_reply(v, {"text": ("The reason", LONG_TEXT)})) is not None:
            problems.update(long.data["field_errors"])
        if problems or days is None:
            form = more_time_form(area, ch, field_text(v, "side")).form
            if form is None:
                raise ValueError("the more-time form has gone")
            return form_again(form, v, problems, f"Please correct: {'; '.join(problems.values())}. Your other answers are kept.")
        return rules.request_more_time(state_of(ch), days, reason)

    def tell(ch: Challenge, ev: AuditEvent, _: str) -> Notice:
        ask = more_time_asked(area, ch, days=int(ev.detail["days"]), reason=reason, who=actor.label, event_id=ev.id)
        return Notice(ch.from_board, ask, f"challenge:{ch.id}:time-requested:{ev.id}")

    return await on_challenge(
        ctx, "target", "ask for more time", decide, tell=tell,
        done=lambda ch, _: card(area, ch, side="target", note=f"Asked the {board_short(area, ch.from_board)} for {days} more working day(s)."))

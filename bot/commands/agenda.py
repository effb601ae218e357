"""Agenda requests, board meetings and sharing papers from chat."""

from __future__ import annotations

import re

from bot.commands.arguments import strip_area_words
from bot.commands.examples import localise
from bot.commands.registry import command
from bot.context import Context
from bot.messages import Reply, error
from bot.workflows import agenda as flow
from bot.workflows.common import refuse_unseen
from scheduler.timeutil import fmt

_RAW = re.compile(r"^\s*(?:/board\s+)?(?P<verb>agenda|minutes|meeting|meetings)\b\s*(?P<rest>.*)$", re.I | re.S)
_LINK = re.compile(r"(<?https?://\S+>?)\s*$")


def _board(ctx: Context, phrase: str) -> str | None:
    found = ctx.area.find_board(phrase).match if phrase else None  # type: ignore[union-attr]
    return found.key if found else None


@command("agenda", section="Agenda requests")
async def agenda(ctx: Context) -> Reply:
    """Ask for an item on another board's agenda (chairs), see a board's upcoming meetings and items, or share its agenda.

    Examples:
      agenda request {other_board}
      agenda {board}
      agenda {board} https://example.org/agenda.pdf
    """
    area = ctx.here
    if ctx.services.store is None:
        return error("Agenda requests need the database; it is not available here.")
    m = _RAW.match(ctx.request.text)
    rest = strip_area_words(ctx, m.group("rest").strip() if m else "")
    if (refused := await refuse_unseen(ctx, "agendas and agenda requests", "agenda")) is not None:
        return refused
    req = re.match(r"^(?:request|item|add item|ask)\b\s*(?P<to>.*)$", rest, re.I)
    if req:
        return await flow.start(ctx, req.group("to").strip())
    link = _LINK.search(rest)
    if link:
        board = _board(ctx, rest[: link.start()].strip())
        if board is None:
            return error(localise("Which board's agenda? e.g. agenda {board} https://example.org/agenda.pdf", area))
        return await flow.share_papers(ctx, board, "agendas", link.group(1))
    if not rest:
        return error(localise("Which board? e.g. \u201cagenda {board}\u201d for its meetings and items, or "
                              "\u201cagenda request {other_board}\u201d.", area))
    board = _board(ctx, rest)
    if board is None:
        return error(f"\u201c{rest}\u201d is not one of {area.name}'s boards.", hint="Type \u201cboards\u201d for the list.")
    return await flow.board_agenda(ctx, board)


@command("minutes", section="Agenda requests")
async def minutes(ctx: Context) -> Reply:
    """Share a meeting's minutes with the partner boards the protocol names (business managers).

    Examples:
      minutes {board} https://example.org/minutes-2026-11.pdf
    """
    if ctx.services.store is None:
        return error("Sharing needs the database; it is not available here.")
    if (refused := await refuse_unseen(ctx, "minutes and papers", "sharing")) is not None:
        return refused
    m = _RAW.match(ctx.request.text)
    rest = strip_area_words(ctx, m.group("rest").strip() if m else "")
    link = _LINK.search(rest)
    board = _board(ctx, rest[: link.start()].strip()) if link else None
    if not link or board is None:
        return error(localise("Give the board and the link, e.g. minutes {board} https://example.org/minutes.pdf", ctx.area))
    return await flow.share_papers(ctx, board, "minutes", link.group(1))


@command("meeting", section="Agenda requests")
async def meeting(ctx: Context) -> Reply:
    """Add a board meeting date, so agenda items can be accepted onto it (business managers).

    Examples:
      meeting add {board} 2026-12-03 10:00 Autumn board
    """
    area = ctx.here
    if ctx.services.store is None:
        return error("Meetings need the database; it is not available here.")
    if (refused := await refuse_unseen(ctx, "board meetings", "meeting")) is not None:
        return refused
    m = re.match(r"^\s*(?:/board\s+)?meetings?\s+(?:add|new|schedule)\s+(?P<board>\S+(?:\s+\S+)??)\s+(?P<when>\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}[:.]\d{2})?)\s*(?P<title>.*)$",
                 strip_area_words(ctx, ctx.request.text), re.I)
    if not m:
        return error("Use: meeting add <board> <YYYY-MM-DD> [HH:MM] [title]", hint=localise("e.g. meeting add {board} 2026-12-03 10:00 Autumn board", area))
    board = _board(ctx, m.group("board"))
    if board is None:
        return error(f"\u201c{m.group('board')}\u201d is not one of {area.name}'s boards.")
    when = flow.parse_when(m.group("when"))
    if when is None:
        return error("That is not a valid date and time; use YYYY-MM-DD HH:MM.")
    if when < ctx.services.clock():
        return error(f"{fmt(when)} has passed; give a future date.")
    return await flow.add_meeting(ctx, board, when, m.group("title").strip())

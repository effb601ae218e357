"""The boards of an area: the ``boards`` list and a ``board``'s profile."""

from __future__ import annotations

from bot.commands.board_profile import board_reply
from bot.commands.registry import command
from bot.commands.theme_replies import find_theme, lead_reply
from bot.context import Context
from bot.messages import Reply, Section, error
from storage.protocol.schema import Board


def _resolve_board(ctx: Context, phrase: str) -> Board | Reply:
    """The board ``phrase`` names, or the reply saying it names none (with the nearest names)."""
    area = ctx.here
    found = area.find_board(phrase)
    if found.match:
        return area.boards[found.match.key]
    boards = ", ".join(b.short_name for b in area.protocol.boards if b.party)
    hint = f"{area.name}'s boards: {boards}. Type \"boards\" for the full list."
    if found.suggestions:
        names = "; ".join(area.board_label(k) for k in found.suggestions)
        return error(f"I don't know a board called \u201c{phrase}\u201d in {area.name}. Did you mean {names}?", hint=hint)
    return error(f"I don't know a board called \u201c{phrase}\u201d in {area.name}.", hint=hint)


@command("boards")
async def boards(ctx: Context) -> Reply:
    """The boards and partnerships of the area, and the groups its protocol links to.

    Examples:
      boards
      boards in Lancashire
    """
    area = ctx.here
    party = [b for b in area.protocol.boards if b.party]
    linked = [b for b in area.protocol.boards if not b.party]
    lines = [f"Boards party to {area.name}'s protocol:"]
    only = {b.key: [a.title for a in area.protocol.agreements if b.key in a.parties] for b in party}
    several = len(area.protocol.agreements) > 1
    lines += [f"• {b.short_name} — {b.name}" + (f" (party to: {'; '.join(only[b.key])} only)"
                                                   if several and 0 < len(only[b.key]) < len(area.protocol.agreements) else "")
              for b in party]
    if linked:
        lines.append("Linked groups:")
        lines += [f"• {b.short_name} — {b.name}" for b in linked]
    lines.append('Ask "board <name>" for any of them, e.g. "board ' + party[0].short_name + '".')
    text = "\n".join(lines)
    data = {
        "intent": "boards",
        "area": area.slug,
        "boards": [{**area.board_ref(b.key), "party": b.party, "kind": b.kind} for b in area.protocol.boards],
        "text": text,
    }
    return Reply(
        text=text,
        title=f"Boards — {area.name}",
        sections=tuple(
            s for s in (
                Section("\n".join(f"• *{b.short_name}* — {b.name}" for b in party), heading="Party to the protocol"),
                Section("\n".join(f"• *{b.short_name}* — {b.name}" for b in linked), heading="Linked groups") if linked else None,
            ) if s
        ),
        data=data,
    )


@command("board")
async def board(ctx: Context) -> Reply:
    """A board's purpose, statutory basis, chair, business manager, meetings and priorities.

    Examples:
      board {board}
      tell me about the {other_board}
      what does the {third_board} do?
    """
    phrase = ctx.args.get("board", "")
    found = _resolve_board(ctx, phrase)
    if isinstance(found, Reply):
        # "what is CSE?" reads like a board question but names a theme
        key, _ = find_theme(ctx, phrase)
        if key is not None:
            return lead_reply(ctx, key)
        return found
    return board_reply(ctx, found.key)

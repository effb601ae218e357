"""What a question is about when it does not say: the board, the asker's own boards, or a
clarifying question with a button per board.
"""

from __future__ import annotations

from bot.context import Context
from bot.language import lexicon
from bot.language.normalise import tokens
from bot.messages import Button, Reply
from storage.protocol.schema import Board


def offices(board: Board, which: str) -> list:
    """A board's chair(s) or business manager(s): one office, or several where the schema lists co-chairs."""
    if which == "chair":
        many = getattr(board, "chairs", None) or getattr(board, "co_chairs", None)
        value = many if many else board.chair
    else:
        value = getattr(board, "business_managers", None) or board.business_manager
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def says_nothing_more(title: str, board: Board) -> bool:
    """ "Chair", "CTJCG Chair", "Chair of the CPB": a title that only repeats the office."""
    own = set(tokens(board.short_name)) | set(tokens(board.name)) | {"of", "the", "chair", "board", "business", "manager"}
    return not (set(tokens(title)) - own)


def board_for(ctx: Context, u) -> str | None:
    """The board a question is about: named, a post's own board, the asker's, or the conversation's."""
    area = ctx.here
    board = u.first("board")
    if board is not None:
        return board.key
    for e in u.all("role"):
        role = area.roles.get(e.key)
        if role:
            for s in role.seats:
                if s.capacity == "chairs":
                    return s.board
    for e in u.all("subgroup"):
        return e.key.split(":")[0]
    if u.ours:
        mine = sorted(own_boards(ctx))
        if len(mine) == 1:
            return mine[0]
    return None


def own_posts(ctx: Context, u) -> list[str]:
    """The posts the asker holds in the area asked about, where the question is in the first
    person singular ("which boards am I meant to sit on?") and names no post of its own."""
    if lexicon.FIRST_PERSON.isdisjoint(u.tokens) or u.all("role"):
        return []
    actor = ctx.request.actor
    held = actor.roles_in(ctx.area.slug) if hasattr(actor, "roles_in") else frozenset(getattr(actor, "roles", ()))
    return sorted(key for kind, _, key in (r.partition(":") for r in held) if kind == "post" and key in ctx.here.roles)


def own_boards(ctx: Context) -> set[str]:
    """The boards the asker chairs, manages or is a delegate for, in the area asked about."""
    actor = ctx.request.actor
    kinds = ("chair", "business_manager", "delegated_officer")
    if hasattr(actor, "roles_in"):  # roles held per area
        return set(actor.boards_with(ctx.area.slug, *kinds))
    return set(actor.boards_with(*kinds))


def which_board(ctx: Context, kind: str, question: str) -> Reply:
    """A short clarifying question, with a button per party board (each also typed)."""
    area = ctx.here
    party = [b for b in area.protocol.boards if b.party]
    options = [(b.short_name, question.format(board=b.short_name)) for b in party]
    text = f"Which board? {area.name}'s are: " + ", ".join(b.short_name for b in party) + ". Type e.g. \u201c" + options[0][1] + "\u201d."
    buttons = tuple(Button(label, "ask", {"q": q, "area": area.slug}) for label, q in options)
    return Reply(text=text, buttons=buttons, data={"intent": kind, "area": area.slug, "text": text, "clarify": True,
                                                   "options": [list(o) for o in options]})


def short_name(area, key: str | None) -> str:
    return area.boards[key].short_name if key and key in area.boards else (key or "")

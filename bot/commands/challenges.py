"""Mutual challenge from chat: raise one, list the open ones, see one's history, export them."""

from __future__ import annotations

import datetime as dt
import re

from bot.commands.arguments import strip_area_words
from bot.commands.registry import command
from bot.context import Context
from bot.messages import Reply, error
from bot.workflows import challenges as flow
from bot.workflows.common import refuse_unseen

_RAW = re.compile(r"^\s*(?:/board\s+)?(?P<verb>challenges?)\b\s*(?P<rest>.*)$", re.I | re.S)
_EXPORT = re.compile(r"^export(?:\s+(?P<start>\d{4}-\d{2}-\d{2}))?(?:\s+(?:to\s+)?(?P<end>\d{4}-\d{2}-\d{2}))?\s*$", re.I)


@command("challenge", section="Mutual challenge")
async def challenge(ctx: Context) -> Reply:
    """Raise a formal challenge to another board (chairs), list open ones, see one, or export them.

    Examples:
      challenge
      challenge {other_board}
      challenges
      challenge 3
      challenge export 2025-04-01 2026-03-31
    """
    area = ctx.here
    if ctx.services.store is None:
        return error("Challenges need the database; it is not available here.")
    m = _RAW.match(ctx.request.text)
    verb, rest = (m.group("verb").lower(), m.group("rest").strip()) if m else ("challenge", "")
    rest = strip_area_words(ctx, rest)
    if (refused := await refuse_unseen(ctx, "challenges", "challenge")) is not None:
        return refused
    if verb == "challenges" or rest.lower() in ("list", "open", "all"):
        rows = await flow.visible_challenges(ctx, include_closed=rest.lower() == "all")
        return flow.list_reply(area, rows)
    number = re.fullmatch(r"[cC]?(\d+)", rest)
    if number:
        return await flow.show(ctx, int(number.group(1)))
    exp = _EXPORT.match(rest)
    if exp:
        today = ctx.services.clock().date()
        start = dt.date.fromisoformat(exp.group("start")) if exp.group("start") else dt.date(today.year - 1, 4, 1)
        end = dt.date.fromisoformat(exp.group("end")) if exp.group("end") else today
        if end < start:
            return error("The export period ends before it starts.", hint="e.g. challenge export 2025-04-01 2026-03-31")
        return await flow.export(ctx, start, end)
    return await flow.start(ctx, rest)

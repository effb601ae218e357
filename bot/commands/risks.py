"""The risk log the partners share, where the area's protocol names one: list, raise, review, close."""

from __future__ import annotations

import re

from bot.commands.arguments import strip_area_words
from bot.commands.registry import command
from bot.context import Context
from bot.messages import Reply, error

_HEAD = re.compile(r"^\s*(?:/board\s+|@?boardbot\s+)?(?:risks?(?:\s+(?:log|register))?)\b\s*(?P<rest>.*)$", re.I | re.S)


def is_risk_command(text: str) -> bool:
    """"risks", "risk log", "risk raise", "risk R3", "risk review R3 …": the risk log, not a question about risk."""
    m = _HEAD.match(text or "")
    if not m or "?" in text:
        return False
    rest = m.group("rest").strip().lower()
    return not rest or bool(re.match(r"^(?:raise|add|new|list|all|open|r?\d+\b|review|close)\b", rest))


@command("risk", section="Risk log")
async def risk(ctx: Context) -> Reply:
    """The risk log the partners share, where your area's protocol names one (raise, review, close).

    Examples:
      risks
      risk raise
      risk R1
      risk review R1 the JSNA refresh now covers it next 2027-06-01
      risk close R1 the profile is published
    """
    # the workflow (and with it the database layer) is imported when the command runs, not when a plain
    # question loads the command modules
    from bot.workflows import risks as flow
    from bot.workflows.common import refuse_unseen

    if ctx.services.store is None:
        return error("The risk log needs the database; it is not available here.")
    if (refused := await refuse_unseen(ctx, "risk log entries", "risk")) is not None:
        return refused
    m = _HEAD.match(strip_area_words(ctx, ctx.request.text))
    rest = (m.group("rest") if m else "").strip()
    word = rest.split(" ", 1)[0].lower() if rest else ""
    if not rest or word in ("list", "open"):
        return await flow.list_reply(ctx)
    if word == "all":
        return await flow.list_reply(ctx, include_closed=True)
    if word in ("raise", "add", "new"):
        return await flow.start(ctx)
    number = re.fullmatch(r"[Rr]?(\d{1,9})", rest)
    if number:
        return await flow.show(ctx, int(number.group(1)))
    return error("Use: risks; risk raise; risk R1; risk review R1 <what was found> next <YYYY-MM-DD>; risk close R1 <why>.")

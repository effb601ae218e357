"""The year in one document: draft the "partnership working and challenge" section of a board's annual report."""

from __future__ import annotations

import datetime as dt
import re

from bot.commands.registry import command
from bot.context import Context
from bot.messages import Reply, Visibility, error
from bot.reports import links
from bot.reports.render import summary_lines
from bot.reports.year import gather
from bot.workflows.common import refuse
from bot.workflows.permissions import speaks_for
from scheduler.timeutil import LONDON, fmt_date

_HEAD = re.compile(r"^\s*(?:/board\s+|@?boardbot\s+)?(?:annual\s+)?report\s+(?:year|yearly|annual)\b\s*(?P<rest>.*)$", re.I | re.S)
_DATES = re.compile(r"(?P<start>\d{4}-\d{2}-\d{2})\s*(?:to|-|–|until)?\s*(?P<end>\d{4}-\d{2}-\d{2})")


def _board(ctx: Context, phrase: str) -> str | None:
    found = ctx.area.find_board(phrase).match if phrase else None  # type: ignore[union-attr]
    return found.key if found else None


@command("report_year", section="Mutual challenge")
async def report_year(ctx: Context) -> Reply:
    """Draft your board's "partnership working and challenge" section for the annual report, from the record.

    The challenges it raised and received (step reached, first response against the window, outcome), agenda
    items asked and accepted, the reports it presents and to whom, and reminders missed — as Markdown and Word,
    with a chart of challenges by step and month. Name the board if you speak for more than one.

    Examples:
      report year 2025-04-01 2026-03-31
      report year 2025-04-01 2026-03-31 {board}
    """
    area = ctx.here
    if ctx.services.store is None:
        return error("The annual-report draft needs the database; it is not available here.")
    m = _HEAD.match(ctx.request.text or "")
    rest = (m.group("rest") if m else "").strip()
    dates = _DATES.search(rest)
    example = "report year 2025-04-01 2026-03-31"
    if not dates:
        return error("Give the period as two dates, first and last day.", hint=f"e.g. \u201c{example}\u201d")
    try:
        start, end = dt.date.fromisoformat(dates.group("start")), dt.date.fromisoformat(dates.group("end"))
    except ValueError:
        return error("One of those dates does not exist.", hint=f"e.g. \u201c{example}\u201d")
    if end < start:
        return error("The period ends before it starts.", hint=f"e.g. \u201c{example}\u201d")
    if (end - start).days > 366 * 2:
        return error("That is more than two years; draft one reporting year at a time.", hint=f"e.g. \u201c{example}\u201d")
    actor = ctx.request.actor
    phrase = (rest[: dates.start()] + " " + rest[dates.end():]).strip(" ,.?")
    mine = [b.key for b in area.protocol.boards
            if {f"chair:{b.key}", f"business_manager:{b.key}", f"delegated_officer:{b.key}"} & actor.roles_in(area.slug)]
    board = _board(ctx, phrase) if phrase else None
    if phrase and board is None:
        return error(f"\u201c{phrase}\u201d is not one of {area.name}'s boards.", hint="Type \u201cboards\u201d for the list.")
    if board is None:
        if len(mine) == 1:
            board = mine[0]
        elif mine:
            names = ", ".join(area.boards[k].short_name for k in mine)
            return error(f"You speak for more than one board ({names}): which one?",
                         hint=f"e.g. \u201c{example} {area.boards[mine[0]].short_name}\u201d")
        else:
            return error("Only a board's chair, business manager or delegated officer (or an admin) can draft its section.",
                         hint=f"Name the board, e.g. \u201c{example} {area.protocol.boards[0].short_name}\u201d, "
                              "if you speak for it.")
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        if not speaks_for(actor, area.slug, board):
            return await refuse(ctx, s, "report", None,
                                f"Only the {area.boards[board].short_name}'s chair, business manager or delegated officer "
                                "(or an admin) can draft its section of the annual report.")
        fig = await gather(s, area, board, start, end, now)
        base = ctx.services.public_url.rstrip("/")
        token = None
        if base and ctx.request.platform != "console" and ctx.request.private_possible:
            token = await links.create(s, area=area.slug, board=board, start=start, end=end,
                                       asked_by=f"{ctx.request.platform}:{actor.user_id}|{actor.label}", now=now)
        from storage.audit import record

        await record(s, area.slug, "report", None, actor.label, "drafted",
                     {"board": board, "start": start.isoformat(), "end": end.isoformat(), "link": bool(token)})
        await s.commit()
    b = area.boards[board]
    lines = [f"Partnership working and challenge — {b.short_name}, {fmt_date(start)} to {fmt_date(end)} "
             f"(from the record as at {fmt_date(now.astimezone(LONDON))}):", *(f"\u2022 {x}" for x in summary_lines(fig))]
    command_line = (f"boardbot report year --area {area.slug} --board {b.short_name} {start.isoformat()} {end.isoformat()} "
                    f"--out {b.short_name.lower().replace(' ', '-')}-{start.year}.docx")
    if token:
        lines += ["The draft, with a chart of challenges by step and month (private links for you, for 30 days; "
                  "each download is drafted afresh from the record):",
                  f"\u2022 Word: {base}/reports/{token}.docx", f"\u2022 Markdown: {base}/reports/{token}.md"]
        visibility = Visibility.PERSONAL
    elif base and ctx.request.platform != "console":
        # a Teams channel or group chat cannot show a secret to one person: the links are given in a 1:1 chat
        lines.append("The download links are private: ask me for them in a 1:1 chat with boardbot.")
        visibility = Visibility.PRIVATE
    elif ctx.request.platform == "console":
        lines.append(f"To write the Word and Markdown files (with the chart): {command_line}")
        visibility = Visibility.PRIVATE
    else:
        lines.append("boardbot cannot give a download link here: the server's public address is not set "
                     f"(BOARDBOT_PUBLIC_URL). An administrator can write the files on the server: {command_line}")
        visibility = Visibility.PRIVATE
    text = "\n".join(lines)
    return Reply(text=text, title=f"Annual report draft — {b.short_name}", visibility=visibility,
                 data={"intent": "report_year", "board": b.short_name, "start": start.isoformat(), "end": end.isoformat(),
                       "summary": fig.summary(), "link": bool(token), "text": text})

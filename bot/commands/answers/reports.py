"""Which reports go where and when, deadlines, and a board's own reports, answered narrowly."""

from __future__ import annotations

import datetime as dt
import re
from typing import get_args

from bot.commands.answers.asked import (
    own_boards,
    short_name,
)
from bot.commands.replies import (
    first_sentences,
    join_names,
    narrow,
    search_reply,
    silent,
    yes_no,
)
from bot.context import Context
from bot.language.normalise import tokens
from bot.messages import Reply
from storage.protocol.schema import Season


def _report_duties(area, u) -> tuple[list, list[str]]:
    """The reporting duties a question is about, and the boards named as recipients."""
    duties = list(area.protocol.reports)
    named_reports = {e.key for e in u.all("report")}
    boards = [e.key for e in u.all("board")]
    if named_reports:
        picked = [d for d in duties if " ".join(tokens(_strip_paren(d.report))) in named_reports]
        picked += [d for d in duties if d not in picked and any(n in " ".join(tokens(_strip_paren(d.report))) for n in named_reports)]
        return picked, boards
    theme = u.first("theme")
    if theme is not None:
        name = area.themes[theme.key].name if theme.key in area.themes else theme.text
        base = " ".join(tokens(_strip_paren(name)))
        picked = [d for d in duties if " ".join(tokens(_strip_paren(d.report))) == base]
        if picked:
            return picked, boards
    annual = u.has("annual report", "yearly report", "annual reports")
    if boards and (annual or u.facet in ("when", "recipients", None)):
        frm = boards[0]
        picked = [d for d in duties if d.from_board == frm and (not annual or "report" in d.report.lower())]
        if picked and u.facet != "received":
            return picked, boards[1:]
    if boards and u.facet == "received":
        got = [d for d in duties if boards[0] in d.to_boards]
        # "what does the HWB get from the ICET": only what the second board sends
        return [d for d in got if d.from_board in boards[1:]] or got, []
    return [], boards


def _strip_paren(text: str) -> str:
    return re.sub(r"\([^)]*\)", "", text).strip()


def _recipients(area, d) -> list[str]:
    return [short_name(area, k) for k in d.to_boards] + list(d.to_others)


def _describe(area, duties: list) -> list[str]:
    by: dict[tuple[str, str, str | None, int], list[str]] = {}
    for d in duties:
        by.setdefault((d.report, d.action, d.season, d.every_years), []).extend(_recipients(area, d))
    words = {"present": "is presented to", "inform": "goes for information to", "consult": "is consulted on with",
             "submit": "is submitted to", "receive": "is received by", "respond": "goes as a response to"}
    lines = []
    for (report, action, season, every), to in by.items():
        when = []
        if season:
            when.append(f"in {season}")
        if every > 1:
            when.append(f"every {every} years")
        went = (f"{words.get(action, action)} {join_names(to)}" if to
                else "is produced; the protocol does not say to whom it goes")
        lines.append(f"{report} {went}" + (f" ({', '.join(when)})" if when else "") + ".")
    return lines


def report_answer(ctx: Context, u) -> Reply:
    area = ctx.here
    if u.facet == "deadline" or (u.has("working days") and area.protocol.deadlines):
        named = u.first("report")
        if named is not None and not any(set(tokens(named.text)) <= set(tokens(d.title + " " + d.after))
                                         for d in area.protocol.deadlines):
            duties = [d for d in _report_duties(area, u)[0]][:3]
            report = duties[0].report if duties else named.text
            lines = [silent(area, "deadlines", f"by when the {report} is due; it sets no deadline for it")]
            said = _describe(area, duties)[:2]
            if said:
                lines.append("It does say: " + " ".join(said))
            return narrow(area, "report", lines, [area.cite(d.source) for d in duties], silent_=True, more="reports")
        if area.protocol.deadlines:
            lines, cites = [], []
            for d in area.protocol.deadlines:
                days = f"{d.working_days} working days" if d.working_days is not None else f"{d.days} days"
                lines.append(f"{d.title}: within {days} of {d.after}.")
                cites.append(area.cite(d.source))
            return narrow(area, "report", lines, cites, more="reports")
    mine = None
    if u.ours and not u.first("board") and not u.first("report"):
        boards = sorted(own_boards(ctx))
        mine = boards[0] if len(boards) == 1 else None
    if mine:
        return _our_reports(ctx, u, mine)
    duties, recipients = _report_duties(area, u)
    if recipients and duties and u.facet != "received":
        to_them = [d for d in duties if set(recipients) & set(d.to_boards)]
        if u.yesno:
            rest = _describe(area, to_them)[0] if to_them else (
                f"the protocol doesn't say that the {duties[0].report} goes to the {short_name(area, recipients[0])}.")
            season = _season_asked(u.tokens)
            # "does the SSBPB see the BSAB annual report in the autumn?": in the season asked, or not
            yes = bool(to_them) and (season is None or any(d.season == season for d in to_them))
            return narrow(area, "report", [yes_no(yes, rest)], [area.cite(d.source) for d in (to_them or duties[:1])],
                          more="reports")
        if to_them:
            duties = to_them
    if u.yesno and duties and not recipients:
        season = _season_asked(u.tokens)
        yes = season is None or any(d.season == season for d in duties)
        return narrow(area, "report", [yes_no(yes, _describe(area, duties)[0])], [area.cite(duties[0].source)], more="reports")
    if not duties:
        found = search_reply(area, u, kind="report", sections=frozenset({"reports", "information_sharing", "deadlines", "boards", "roles"}))
        if found is not None:
            return found
        if u.first("board"):
            b = area.boards[u.first("board").key]
            return narrow(area, "report", [silent(area, "reports", f"what the {b.short_name} reports, or to whom")], [],
                          silent_=True, more="reports", focus=b.key)
        return narrow(area, "report", [silent(area, "reports", "that")], [], silent_=True, more="reports")
    cites = [area.cite(d.source) for d in duties]
    if u.facet == "when" and not any(d.season for d in duties):
        lines = [silent(area, "reports", f"when the {duties[0].report} is due or goes to "
                                          f"{join_names(_recipients(area, d)[0] for d in duties[:3])}")]
        lines += [d.text for d in duties[:1] if d.text]
        said = _describe(area, duties[:4])[:2]
        if said:
            lines.append("It does say: " + " ".join(said))
        return narrow(area, "report", lines, cites[:3], silent_=True, more="reports")
    if u.facet == "often":
        every = {d.every_years for d in duties}
        lines = [f"{duties[0].report}: every {max(every)} years." if max(every) > 1 else f"{duties[0].report}: yearly."]
        lines += _describe(area, duties)[:2]
        return narrow(area, "report", lines, cites[:3], more="reports")
    if u.facet == "handling":
        # what the receiving board does with it: its own duties that name this report
        names = {tuple(tokens(_strip_paren(d.report))) for d in duties}
        receivers = {k for d in duties for k in d.to_boards}
        after = [d for d in area.protocol.reports if d not in duties and d.from_board in receivers
                 and any(set(n) <= set(tokens(d.report)) for n in names)]
        if after:
            duties = [d for d in duties if set(d.to_boards) & {a.from_board for a in after}] or duties
            lines = _describe(area, duties[:2]) + _describe(area, after[:3])
            return narrow(area, "report", lines, [area.cite(d.source) for d in [*duties[:2], *after[:3]]], more="reports")
    if u.facet in ("contents", "handling"):
        texts = [(d.text, area.cite(d.source)) for d in duties if d.text]
        if texts:
            return narrow(area, "report", [t for t, _ in texts[:2]], [c for _, c in texts[:2]], more="reports")
    lines = _describe(area, duties)
    texts = [d.text for d in duties if d.text and len(duties) <= 3]
    if texts and len(lines) <= 2:
        lines.append(first_sentences(texts[0], 2))
    return narrow(area, "report", lines[:8], cites[:8], more="reports", focus=duties[0].from_board)


def _our_reports(ctx: Context, u, board_key: str) -> Reply:
    """A chair's or business manager's own board's reports, the next one first."""
    from scheduler.recurrence import SEASON_STARTS

    area = ctx.here
    duties = [d for d in area.protocol.reports if d.from_board == board_key]
    b = area.boards[board_key]
    if not duties:
        return narrow(area, "report", [silent(area, "reports", f"any report the {b.short_name} owes")], [], silent_=True, focus=board_key)
    today = ctx.services.clock().date()

    def next_date(season: str | None) -> dt.date | None:
        if not season:
            return None
        m, d = SEASON_STARTS[season]
        when = dt.date(today.year, m, d)
        return when if when >= today else dt.date(today.year + 1, m, d)

    dated = sorted((next_date(d.season) or dt.date.max, i, d) for i, d in enumerate(duties))
    first = dated[0]
    lines = []
    if first[0] != dt.date.max:
        lines.append(f"Your next: the {first[2].report} \u2014 {first[2].season}, from {first[0]:%-d %B %Y} "
                     "(boardbot's default date for the season; reminders come 14 days and 1 day before).")
    lines += _describe(area, duties)[:5]
    return narrow(area, "report", lines, [area.cite(d.source) for d in duties][:5], more="calendar", focus=board_key)


# the protocol's seasons, and "fall" for autumn as the scheduler's wording reads it
_SEASONS = {**{season: season for season in get_args(Season)}, "fall": "autumn"}


def _season_asked(t: tuple[str, ...]) -> str | None:
    """The season a question names ("... in the autumn?"), if one."""
    return next((_SEASONS[w] for w in t if w in _SEASONS), None)

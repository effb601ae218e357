"""How the boards work together, answered narrowly: meetings, reports, challenge, sharing, the protocol.

These are the answers to understood questions (see :mod:`bot.commands.questions`): each
picks the one fact asked for from the area's protocol and says it in a few lines with
its clause, or says plainly that the protocol doesn't say. The full lists stay with the
``meetings``, ``reports``, ``information sharing``, ``protocol`` and ``challenge route``
commands, which each answer's "more" points to.
"""

from __future__ import annotations

import datetime as dt

from bot.commands import Context
from bot.commands.boards import board_for, own_boards, which_board
from bot.commands.protocol import human_date
from bot.commands.replies import (
    first_sentences,
    join_names,
    narrow,
    search_reply,
    silent,
    unknown_words,
    yes_no,
)
from bot.language.normalise import tokens
from bot.messages import Reply

_CADENCE = {"quarterly": "quarterly", "annual": "annually", "six_monthly": "every six months", "monthly": "monthly",
            "after_each_meeting": "after each meeting", "as_needed": "as and when needed"}
_ATTENDEE_WORDS = {
    ("chair",): "chair", ("chairs",): "chair", ("business", "manager"): "business manager", ("officer",): "officer",
    ("lead", "officer"): "officer", ("officers",): "officer",
}


def _short(area, key: str | None) -> str:
    return area.boards[key].short_name if key and key in area.boards else (key or "")


# --------------------------------------------------------------------------- meetings


def _meetings_for(area, u) -> list:
    ms = list(area.protocol.meetings)
    picked = [m for m in ms if any(e.type == "meeting" and e.key == m.key for e in u.entities)]
    if picked:
        return picked
    ranked = _rank_meetings(area, u, ms)
    t = u.tokens
    wanted = set()
    for words, who in _ATTENDEE_WORDS.items():
        if any(t[i : i + len(words)] == words for i in range(len(t))):
            wanted.add(who)
    boards = {e.key for e in u.all("board")}
    out = []
    for m in ms:
        text = " ".join(tokens(m.title + " " + " ".join(m.attendees)))
        if wanted and any(w in text for w in wanted):
            if not boards or boards & set(m.boards) or len(boards) == 1 and any(w in text for w in ("chair", "officer", "manager")):
                out.append(m)
    cadence = _cadence_asked(t)
    return sorted(out, key=lambda m: (m.cadence == cadence, ranked.get(m.key, 0.0)), reverse=True)


_CADENCE_WORDS = {"annual": ("yearly", "annual", "annually", "every year", "once a year", "each year"),
                  "quarterly": ("quarterly", "every quarter", "every three months", "every 3 months"),
                  "monthly": ("monthly", "every month"), "six_monthly": ("twice a year", "every six months", "six monthly")}


def _cadence_asked(t: tuple[str, ...]) -> str | None:
    for cadence, phrases in _CADENCE_WORDS.items():
        for p in phrases:
            words = tokens(p)
            if any(t[i : i + len(words)] == words for i in range(len(t))):
                return cadence
    return None


def _rank_meetings(area, u, ms) -> dict[str, float]:
    """How well each recurring meeting's passage matches the question (BM25)."""
    from bot.commands.replies import refs_of, search_terms

    hits = area.facts.search(search_terms(u), refs=refs_of(u), limit=12, sections=frozenset({"meetings"}))
    out: dict[str, float] = {}
    for h in hits:
        for ref in h.passage.refs:
            if ref.startswith("recurringmeeting:"):
                out.setdefault(ref.split(":", 1)[1], h.score)
    return out


def meeting_answer(ctx: Context, u) -> Reply:
    area = ctx.area
    assert area is not None
    sub = u.first("subgroup")
    if sub is not None:
        bkey, _, idx = sub.key.partition(":")
        g = area.boards[bkey].subgroups[int(idx)]
        cites = [area.cite(g.source)]
        if g.meets:
            lines = [f"The {g.name} meets {g.meets}."]
        else:
            lines = [silent(area, "subgroups", f"how often the {g.name} meets")]
            if g.text:
                lines.append(f"It is described as: {first_sentences(g.text)}")
            words = set(tokens(sub.text))
            for other in area.boards[bkey].subgroups:
                if other is not g and other.meets and words <= set(tokens(other.name)):
                    lines.append(f"The {other.name} meets {other.meets}.")
                    cites.append(area.cite(other.source))
        return narrow(area, "meeting", lines, cites, focus=bkey, silent_=not g.meets,
                      more=f"board {area.boards[bkey].short_name}")
    board_key = board_for(ctx, u)
    if u.facet == "public" and board_key:
        b = area.boards[board_key]
        if b.meets_in_public is not None:
            yes = b.meets_in_public.value
            rest = f"the {b.short_name} {'meets' if yes else 'does not meet'} in public."
            return narrow(area, "meeting", [yes_no(yes if u.yesno else None, rest)], [area.cite(b.meets_in_public.source)], focus=board_key)
        return narrow(area, "meeting", [silent(area, "boards", f"whether the {b.name} ({b.short_name}) meets in public")], [],
                      focus=board_key, silent_=True, more=f"board {b.short_name}")
    ms = _meetings_for(area, u)
    theme = u.first("theme")
    if not ms and (theme is not None or u.facet in ("when", "attendees", "purpose")) and (board_key or theme):
        found = search_reply(area, u, kind="meeting", sections=frozenset({"meetings", "themes", "boards"}))
        if found is not None and (theme is not None or not board_key):
            return found
    if ms:
        ranked = _rank_meetings(area, u, ms)
        close = [x for x in ms[1:3] if ranked.get(x.key, 0.0) >= 0.8 * ranked.get(ms[0].key, 0.0)]
        if close and u.facet in ("when", "often", None) and not u.yesno:
            lines = []
            for x in [ms[0], *close]:
                lines.append(f"{x.title}: {x.when or _CADENCE.get(x.cadence, x.cadence.replace('_', ' '))}."
                             + (f" {x.purpose}" if x.purpose else ""))
            return narrow(area, "meeting", lines, [area.cite(x.source) for x in [ms[0], *close]], more="meetings", focus=board_key)
        m = ms[0]
        when = m.when or _CADENCE.get(m.cadence, m.cadence.replace("_", " "))
        asked = _cadence_asked(u.tokens)
        if u.yesno and asked and m.cadence != asked:
            # "is there a quarterly officers' meeting?": not the one it names
            rest = silent(area, "meetings", f"that a {asked.replace('_', '-')} meeting of that kind is held")
            return narrow(area, "meeting", [yes_no(False, rest), f"It does name: {m.title} ({when})."], [area.cite(m.source)],
                          more="meetings", focus=board_key)
        if u.facet == "attendees":
            lines = [f"{m.title}: " + join_names(m.attendees) + "."]
        elif u.facet == "purpose" and m.purpose:
            lines = [f"{m.title} ({when}): {m.purpose}"]
        else:
            head = f"{m.title}: {when}."
            lines = [yes_no(True if u.yesno else None, head)]
            lines.append("Attending: " + join_names(m.attendees) + ".")
            if m.purpose:
                lines.append(m.purpose)
        return narrow(area, "meeting", lines, [area.cite(m.source)], more="meetings", focus=board_key)
    if board_key is None:
        found = search_reply(area, u, kind="meeting", sections=frozenset({"meetings", "boards", "information_sharing"}))
        if found is not None:
            return found
        if u.yesno:
            return narrow(area, "meeting", [yes_no(False, silent(area, "meetings", "that such a meeting is held"))], [], silent_=True,
                          more="meetings")
        return which_board(ctx, "meeting", "how often does the {board} meet?")
    b = area.boards[board_key]
    involving = [m for m in area.protocol.meetings if board_key in m.boards]
    if b.meets and b.meets.per_year:
        lines = [yes_no(True if u.yesno else None, f"the {b.name} ({b.short_name}): {b.meets.text}")]
        return narrow(area, "meeting", lines, [area.cite(b.meets.source)], focus=board_key, more="meetings")
    lines = [silent(area, "boards", f"how often the {b.name} ({b.short_name}) meets")]
    cites = []
    if b.meets:
        lines.append(b.meets.text)
        cites.append(area.cite(b.meets.source))
    if involving:
        lines.append("It does name: " + "; ".join(f"{m.title} ({m.when or _CADENCE.get(m.cadence, m.cadence)})"
                                                  for m in involving[:3]) + ".")
        cites.extend(area.cite(m.source) for m in involving[:3])
    return narrow(area, "meeting", lines, cites, focus=board_key, silent_=True, more="meetings")


# --------------------------------------------------------------------------- reports


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
    import re

    return re.sub(r"\([^)]*\)", "", text).strip()


def _recipients(area, d) -> list[str]:
    return [_short(area, k) for k in d.to_boards] + list(d.to_others)


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
    area = ctx.area
    assert area is not None
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
                f"the protocol doesn't say that the {duties[0].report} goes to the {_short(area, recipients[0])}.")
            return narrow(area, "report", [yes_no(bool(to_them), rest)], [area.cite(d.source) for d in (to_them or duties[:1])],
                          more="reports")
        if to_them:
            duties = to_them
    if u.yesno and duties and not recipients:
        return narrow(area, "report", [yes_no(True, _describe(area, duties)[0])], [area.cite(duties[0].source)], more="reports")
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

    area = ctx.area
    assert area is not None
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


# --------------------------------------------------------------------------- challenge


def _current_rung(area, u) -> int | None:
    ladder = area.ladder
    for e in u.entities:
        if e.type == "rung":
            for i, r in enumerate(ladder):
                if r.key == e.key or r.kind == e.key:
                    return i
    if u.has("wrote", "written", "letter", "heard nothing", "no reply", "no answer", "no response", "hasnt responded",
             "havent responded", "not responded", "ignores", "ignored"):
        return 0
    if u.has("their agenda", "on the agenda", "agenda"):
        return next((i for i, r in enumerate(ladder) if r.kind == "agenda_item"), None)
    return None


def _rung_line(i: int, rung) -> str:
    who = f" Attending: {join_names(rung.attendees)}." if rung.attendees else ""
    note = f" (Note: {rung.note})" if getattr(rung, "note", None) else ""
    return f"Step {i + 1}, {rung.title}: {rung.text}{note}{who}"


async def challenge_answer(ctx: Context, u) -> Reply:
    area = ctx.area
    assert area is not None
    ladder = area.ladder
    ch = area.protocol.challenge
    default = area.ladder_is_default
    label = " (boardbot's default ladder: the protocol names no steps)" if default else ""

    def cites_for(rungs):
        return [] if default else [area.cite(r.source) for r in rungs]

    if u.ours and own_boards(ctx) and ctx.services.store is not None \
            and u.facet in ("next", None):
        return await our_challenges_answer(ctx, u)
    if u.facet == "window":
        from bot.workflows.windows import window_days

        own = [getattr(r, "response_window", None) or getattr(r, "window_working_days", None) for r in ladder]
        if any(own):
            lines = [f"Step {i + 1} ({r.title}): {w} working days." for i, (r, w) in enumerate(zip(ladder, own, strict=True)) if w]
            return narrow(area, "challenge", lines, cites_for(ladder), more="challenge route")
        lines = [silent(area, "challenge", "how long the other board has to respond"),
                 "boardbot's default response windows (not part of the protocol; an administrator can change them): " + "; ".join(
                     f"{r.title} {window_days(r.key, r.kind)} working days" for r in ladder) + "."]
        return narrow(area, "challenge", lines, [], more="challenge route", silent_=True)
    if u.facet == "who_may" or u.has("who can raise", "who can make", "who can challenge"):
        lines = []
        who = ch.who_may_raise.text if ch.who_may_raise else ""
        if u.first("board") and u.has("challenge") and not who:
            who = ch.statement.text if ch.statement else ""
        if u.has("agenda", "item on") and not default:
            rung = next((r for r in ladder if r.kind == "agenda_item"), None)
            if rung:
                return narrow(area, "challenge", [yes_no(True if u.yesno else None, rung.text)], cites_for([rung]), more="challenge route")
        if who:
            yes = True if u.yesno and ("chair" in who.lower() or u.first("board")) else None
            if ch.statement and (u.first("board") or not ch.who_may_raise):
                lines.append(yes_no(yes, first_sentences(ch.statement.text, 2)))
                if ch.who_may_raise:
                    lines.append(ch.who_may_raise.text)
            else:
                lines.append(yes_no(yes, who))
            src = [x.source for x in (ch.who_may_raise, ch.statement) if x]
            return narrow(area, "challenge", lines, [area.cite(s) for s in src], more="challenge route")
    asks_item = "agenda" in u.tokens and any(w in u.tokens for w in ("ask", "request", "put", "item", "add", "raise", "onto",
                                                                        "include", "table", "get"))
    if asks_item and u.facet not in ("next", "final", "window", "attendees") and not default:
        # an agenda request: the protocol's own step for it, and how to make one
        rung = next((r for r in ladder if r.kind == "agenda_item"), None)
        if rung is not None:
            b = u.first("board")
            how = f"To ask (chairs): type \u201cagenda request {area.boards[b.key].short_name if b else '<board>'}\u201d."
            return narrow(area, "challenge", [yes_no(True if u.yesno else None, rung.text), how], cites_for([rung]),
                          more="challenge route")
    if u.has("set out", "escalation steps", "named steps", "name any steps", "have steps", "have a ladder") and u.yesno:
        rest = ("the protocol names its steps: " + "; ".join(r.title for r in ladder) + "." if not default
                else "the protocol commits the boards to mutual challenge but names no steps, so boardbot uses its default ladder: "
                + "; ".join(r.title for r in ladder) + ".")
        return narrow(area, "challenge", [yes_no(not default, rest)], cites_for(ladder), more="challenge route")
    if u.yesno and (u.first("board") or u.has("mutual challenge")) and ch.statement and not u.first("rung"):
        return narrow(area, "challenge", [yes_no(True, first_sentences(ch.statement.text, 2))] + (
            [f"The steps{label}: " + "; ".join(r.title for r in ladder) + "."]), [area.cite(ch.statement.source)], more="challenge route")
    if u.facet == "attendees" or u.has("chief executive") and u.yesno:
        rung = next((ladder[i] for i in [_current_rung(area, u)] if i is not None), None) if u.first("rung") else None
        rungs = [rung] if rung else [r for r in ladder if r.attendees and r.kind in ("resolution_meeting", "chairs_meeting")]
        if u.has("chief executive"):
            rungs = [r for r in ladder if "chief executive" in (r.text + " ".join(r.attendees)).lower()] or rungs
        if rungs:
            lines = [yes_no(True if u.yesno else None, _rung_line(ladder.index(rungs[-1]), rungs[-1]))]
            if len(rungs) > 1 and not u.first("rung"):
                lines.insert(0, _rung_line(ladder.index(rungs[0]), rungs[0]))
            return narrow(area, "challenge", [x + label if i == 0 else x for i, x in enumerate(lines)], cites_for(rungs),
                          more="challenge route")
    if u.facet == "final":
        return narrow(area, "challenge", [f"The last step{label}: " + _rung_line(len(ladder) - 1, ladder[-1])],
                      cites_for(ladder[-1:]), more="challenge route")
    if u.facet == "count":
        return narrow(area, "challenge", [f"{len(ladder)} steps{label}: " + "; ".join(f"{i + 1}. {r.title}" for i, r in enumerate(ladder)) + "."],
                      cites_for(ladder), more="challenge route")
    numbered = next((int(w) for w in u.tokens if w.isdigit() and 1 <= int(w) <= len(ladder)), None)
    if numbered and u.has("step", "stage", "rung"):
        i = numbered - 1
        return narrow(area, "challenge", [_rung_line(i, ladder[i]) + label], cites_for([ladder[i]]), more="challenge route")
    current = _current_rung(area, u)
    if u.facet == "next" or (current is not None and u.has("after", "then", "next")):
        i = current if current is not None else 0
        if i + 1 < len(ladder):
            lines = [f"After \u201c{ladder[i].title.lower()}\u201d, the next step{label} is: " + _rung_line(i + 1, ladder[i + 1])]
            return narrow(area, "challenge", lines, cites_for([ladder[i + 1]]), more="challenge route")
        return narrow(area, "challenge", [f"\u201c{ladder[i].title}\u201d is the last step{label}. " + ladder[i].text],
                      cites_for([ladder[i]]), more="challenge route")
    if current is not None and u.first("rung") is not None and u.tokens[:1] in (("what",), ("whats",), ("tell",), ("describe",),
                                                                                ("explain",)):
        # "what happens at the resolution panel": that step
        return narrow(area, "challenge", [_rung_line(current, ladder[current]) + label], cites_for([ladder[current]]),
                      more="challenge route")
    outside = area.facts.search(u.content(), limit=1, sections=frozenset({"boards", "roles"}))
    extra = []
    if outside and area.facts.coverage(outside[0], u.content()) >= 0.75:
        extra = [f"Also: {outside[0].passage.text} ({outside[0].passage.source.clause})"]
        if u.has("safeguarding partners", "partners"):
            return narrow(area, "challenge", extra[:1], [area.cite(outside[0].passage.source)])
    lines = [f"Mutual challenge in {area.name}{label}:"]
    lines += [f"{i + 1}. {r.title}" + (f" ({join_names(r.attendees)})" if r.attendees and r.kind == "resolution_meeting" else "")
              for i, r in enumerate(ladder)]
    lines.append(f"Step 1: {ladder[0].text}")
    lines += extra
    lines.append("To raise one (chairs): type \u201cchallenge <board>\u201d.")
    return narrow(area, "challenge", lines, cites_for(ladder[:1]), more="challenge route")


async def our_challenges_answer(ctx: Context, u) -> Reply:
    """A chair's own open challenges: where each stands and what comes next."""
    from bot.workflows.challenges import rung_of, visible_to

    area = ctx.area
    assert area is not None
    actor = ctx.request.actor
    mine = own_boards(ctx)
    rows = [c for c in await visible_to(ctx.services, actor, area) if c.from_board in mine or c.to_board in mine]
    ladder = area.ladder
    if not rows:
        text = (f"You have no open challenges in {area.name}. The first step of the route is: {ladder[0].title} \u2014 "
                f"{ladder[0].text} To raise one, type \u201cchallenge <board>\u201d.")
        return narrow(area, "challenge", [text], [], more="challenge route", data={"challenges": []})
    lines = []
    for c in rows[:3]:
        rung = rung_of(area, c)
        i = c.rung_index
        raised = c.from_board in mine
        step = f"C{c.number} ({_short(area, c.from_board)} \u2192 {_short(area, c.to_board)}: {c.subject}) is at step {i + 1}, {rung.title}"
        if c.status == "responded":
            step += "; the other board has responded: resolve it, or escalate if the response does not settle it"
        elif c.status == "awaiting_info":
            step += "; the clock is paused while the raising board provides the information asked for"
        if i + 1 < len(ladder):
            nxt = f" Next, if it is not resolved: step {i + 2}, {ladder[i + 1].title}" + (
                " (your decision: use Escalate on its card, or type \u201cchallenge " + str(c.number) + "\u201d)" if raised else "") + "."
        else:
            nxt = " This is the last step."
        lines.append(step + "." + nxt)
    return narrow(area, "challenge", lines, [], more="challenges",
                  data={"challenges": [{"number": c.number, "rung": c.rung_key, "status": c.status} for c in rows]})


# --------------------------------------------------------------------------- sharing

_ITEM_WORDS = {"minutes": "minutes", "agendas": "agendas", "annual_plans": "annual plans", "annual_reports": "annual reports",
               "strategies": "strategies", "inspection_reports": "inspection reports", "information": "information"}


def sharing_answer(ctx: Context, u) -> Reply:
    area = ctx.area
    assert area is not None
    rules = list(area.protocol.information_sharing)
    items = [e.key for e in u.all("item") if e.key != "information"]
    if u.has("inspection reports", "inspection report"):
        items = ["inspection_reports"]
    boards = {e.key for e in u.all("board")}
    if items:
        matching = [r for r in rules if set(items) & set(r.items)]
        if boards:
            narrowed = [r for r in matching if not r.from_boards or boards & set(r.from_boards) or
                        any(_short(area, b).lower() in " ".join(r.to).lower() for b in boards)]
            matching = narrowed or matching
        if matching:
            lines = [yes_no(True if u.yesno else None, matching[0].text)]
            lines += [r.text for r in matching[1:3]]
            return narrow(area, "sharing", lines, [area.cite(r.source) for r in matching[:3]], more="information sharing")
        what = join_names(_ITEM_WORDS.get(i, i) for i in items)
        lines = [yes_no(False if u.yesno else None, silent(area, "information_sharing", f"anything about sharing {what}"))]
        if rules:
            lines.append("What it does say about sharing: " + rules[0].text)
        return narrow(area, "sharing", lines, [area.cite(r.source) for r in rules[:1]], silent_=True, more="information sharing")
    found = search_reply(area, u, kind="sharing", sections=frozenset({"information_sharing", "reports", "boards", "roles", "themes",
                                                                      "meetings"}))
    if found is not None:
        return found
    unknown = unknown_words(area, u)
    if rules and unknown:
        return narrow(area, "sharing", [f"{area.name}'s protocol doesn't say anything about {' '.join(unknown)}. "
                                        "What it says about sharing information:"] + [f"\u2022 {r.text}" for r in rules[:2]],
                      [area.cite(r.source) for r in rules[:2]], silent_=True, more="information sharing")
    if rules:
        return narrow(area, "sharing", [f"Information sharing in {area.name}'s protocol:"] + [f"\u2022 {r.text}" for r in rules[:3]],
                      [area.cite(r.source) for r in rules[:3]], more="information sharing")
    return narrow(area, "sharing", [silent(area, "information_sharing", "how the boards share information")], [], silent_=True)


# --------------------------------------------------------------------------- the protocol itself


def protocol_answer(ctx: Context, u) -> Reply:
    area = ctx.area
    assert area is not None
    p = area.protocol.protocol
    review = p.review
    cite_p = area.cite(p.source)
    facet = u.facet
    asks_when = u.has("when", "what date", "date")
    if review is None and (facet in ("outdated", "review") or u.has("review")):
        return narrow(area, "protocol", [area.not_entered("review")], [cite_p], silent_=True, more="protocol")
    if u.has("read", "link", "copy of", "online", "website", "web address", "url", "download", "published"):
        docs = area.protocol.documents
        linked = [d for d in docs if d.url]
        if linked:
            return narrow(area, "protocol", [f"{d.title}: {d.url}" for d in linked], [cite_p], more="protocol")
        return narrow(area, "protocol", [f"boardbot holds no web address for {area.name}'s protocol; its documents: "
                                         + "; ".join(d.title for d in docs) + "."], [], silent_=True, more="protocol")
    board = u.first("board")
    if area.protocol.agreements and board is not None and u.has("party", "parties", "signed up", "part of"):
        b = area.boards[board.key]
        named = [a for a in area.protocol.agreements if set(tokens(a.title)) & set(u.content()) - {"protocol"}]
        asked = named or area.protocol.agreements
        ins = [a for a in asked if b.key in a.parties]
        outs = [a for a in asked if b.key not in a.parties]
        lines = [yes_no(bool(ins) and not outs if named else bool(ins),
                        (f"the {b.short_name} is a party to {join_names([a.title for a in ins])}" if ins else
                         f"the {b.short_name} is not a party to {join_names([a.title for a in outs])}")
                        + (f", not to {join_names([a.title for a in outs])}" if ins and outs else "") + ".")]
        return narrow(area, "protocol", lines, [area.cite(a.source) for a in asked], more=f"board {b.short_name}")
    cite_r = area.cite(review.source) if review is not None else cite_p
    if facet == "outdated" or (facet == "review" and u.has("due", "overdue")) and not u.has("how often"):
        return _outdated(ctx, u)
    if facet == "review" or (facet is None and u.has("review")):
        lines = [_review_rule(area)]
        if review.text and review.text not in lines[0]:
            lines.append(f"\u201c{review.text}\u201d")
        yearly = u.has("every year", "each year", "yearly", "annually", "annual", "once a year", "every 12 months")
        if u.yesno and yearly:
            lines[0] = yes_no(review.rule in ("annual", "annual_from_signing"), lines[0])
        elif u.yesno and review.also_when:
            wanted = set(u.content())
            hit = any(wanted & set(tokens(w)) for w in review.also_when)
            lines[0] = yes_no(hit, lines[0])
        return narrow(area, "protocol", lines, [cite_r], more="protocol", silent_=review.rule == "unspecified")
    if facet in ("history", "updated", "previous") and p.history:
        words = set(u.content()) - {"protocol", "version", "changed", "change", "changes", "history", "when", "added", "updated"}
        picked = [v for v in p.history if words and words & (set(tokens(v.version)) | set(tokens(v.change)))]
        if facet == "updated":
            picked = picked or [p.history[-1]]
            latest = picked[-1]
            lines = [f"The latest version it records is {latest.version}" + (f", {human_date(latest.date)}" if latest.date else "")
                     + f": {latest.change}"]
        else:
            shown = picked or p.history
            lines = [f"\u2022 {v.version}" + (f", {human_date(v.date)}" if v.date else "") + f": {v.change}" for v in shown[:6]]
        return narrow(area, "protocol", lines, [area.cite(v.source) for v in (picked or p.history)[:3]], more="protocol")
    if facet == "authors":
        if p.authors:
            return narrow(area, "protocol", [f"The protocol's authors: {p.authors}."], [cite_p], more="protocol")
        return narrow(area, "protocol", [silent(area, "history", "who wrote it")], [], silent_=True, more="protocol")
    if facet == "signed" or facet == "agreed" and not p.agreed and u.has("signed"):
        if asks_when:
            return narrow(area, "protocol", [silent(area, "signatories", "when it was signed") + (" Its signature dates are blank."
                          if p.signatories else "")], [cite_p], silent_=True, more="protocol")
        if p.signatories:
            return narrow(area, "protocol", ["Signed by: " + "; ".join(f"{s.name} ({s.title})" for s in p.signatories) + "."],
                          [area.cite(p.signatories[0].source)], more="protocol")
        return narrow(area, "protocol", [silent(area, "signatories", "who signed it")], [], silent_=True, more="protocol")
    if facet == "approved" or facet == "agreed" and not asks_when:
        if p.approved_by:
            return narrow(area, "protocol", ["Approved by: " + join_names(p.approved_by) + "."], [cite_p], more="protocol")
        return narrow(area, "protocol", [silent(area, "history", "who approved it")], [], silent_=True, more="protocol")
    if facet in ("created", "agreed"):
        value = p.created if facet == "created" else p.agreed
        if value:
            return narrow(area, "protocol", [f"{'First created' if facet == 'created' else 'Agreed'}: {human_date(value)}."], [cite_p],
                          more="protocol")
        return narrow(area, "protocol", [silent(area, "history", "when it was " + ("created" if facet == "created" else "agreed"))
                                         + _dates_note(area)], [cite_p], silent_=True, more="protocol")
    if facet == "previous":
        return narrow(area, "protocol", [silent(area, "history", "whether there was an earlier protocol")], [], silent_=True)
    if facet == "version" or u.has("version"):
        if p.version:
            line = f"{p.title.split('(')[0].strip()}: version {p.version}" + (f" ({human_date(p.version_date)})" if p.version_date else "") + "."
            return narrow(area, "protocol", [line], [cite_p], more="protocol")
        return narrow(area, "protocol", [silent(area, "history", "which version it is") + " It carries no version number."],
                      [cite_p], silent_=True, more="protocol")
    found = search_reply(area, u, kind="protocol")
    if found is not None and facet != "aim":
        return found
    lines = [p.title]
    purpose = next((h.passage.text for h in area.facts.search(["aim", "purpose", "protocol", "outlines", "relationship", "work", "together"],
                                                              limit=1, sections=frozenset({"protocol", "new_themes", "challenge"}))), "")
    if purpose:
        lines.append(first_sentences(purpose, 2))
    lines.append(_review_rule(area))
    return narrow(area, "protocol", lines, [cite_p, cite_r], more="protocol")


def _dates_note(area) -> str:
    p = area.protocol.protocol
    if p.notes:  # what the document itself says or leaves blank about its dates
        return " " + " ".join(n.text for n in p.notes)
    if p.signatories and not (p.agreed or p.version_date):
        return " Its date fields are blank."
    return ""


def _review_rule(area) -> str:
    p = area.protocol.protocol
    review = p.review
    if review is None:
        return area.not_entered("review")
    also = f", or sooner when {join_names(review.also_when, 'or')}" if review.also_when else ""
    if review.rule == "on_date" and review.next_due:
        return f"The protocol is due for review in {human_date(review.next_due)}{also}."
    if review.rule == "annual_from_signing":
        return f"The protocol is to be reviewed yearly from the date of signing{also}."
    if review.rule == "annual":
        due = f"; next due {human_date(review.next_due)}" if review.next_due else ""
        return f"The protocol is to be reviewed annually{also}{due}."
    if review.rule in ("every_years", "every_years_from_signing"):
        due = f"; next due {human_date(review.next_due)}" if review.next_due else ""
        start = " from the date of signing" if review.from_signing else ""
        return f"The protocol is to be reviewed every {review.years} years{start}{also}{due}."
    rule = getattr(review, "rule", "")
    if rule and rule != "unspecified":
        return f"Review: {review.text}"
    return silent(area, "review", "when it is to be reviewed") + " It states no review date or rule."


def _outdated(ctx: Context, u) -> Reply:
    area = ctx.area
    assert area is not None
    p = area.protocol.protocol
    review = p.review
    today = ctx.services.clock().date()
    cite = area.cite(review.source)
    if review.next_due:
        from storage.protocol.schema import parse_partial_date

        due = parse_partial_date(review.next_due)
        overdue = due < today
        rest = (f"it was due for review in {human_date(review.next_due)}, so its review is overdue "
                f"(the latest version boardbot holds is {p.version or 'undated'})." if overdue
                else f"it is next due for review in {human_date(review.next_due)}.")
        ask_current = u.has("still current", "up to date", "current", "valid")
        return narrow(area, "protocol", [yes_no((not overdue) if ask_current else overdue, rest) if u.yesno else rest[0].upper() + rest[1:]],
                      [cite], more="protocol")
    if review.rule in ("annual_from_signing", "annual", "every_years", "every_years_from_signing"):
        lines = [silent(area, "signatories", "when it was signed or last reviewed") + " so boardbot can't tell whether it is overdue.",
                 _review_rule(area)]
        lines[0] = lines[0].replace(". so", ", so")
        return narrow(area, "protocol", lines, [cite], more="protocol", silent_=True)
    return narrow(area, "protocol", [silent(area, "review", "when it is due for review") + " It states no review date or rule, "
                                     "so boardbot can't tell whether it is out of date."], [cite], silent_=True, more="protocol")

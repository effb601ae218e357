"""Questions in plain words: the understood question, answered narrowly.

The router hands every message that is not a command ("challenge HWB", "remind …",
"board BSCB") here with its :class:`~bot.language.understand.Understanding`. This module
picks the answer for the kind of question, adds what was understood to the answer's data
(``kind``, ``entities``, ``confidence``, beside ``theme``, ``leads``, ``supporting``,
``source`` and ``text``), offers the full entry as a "more" button (its typed command is
in the text too), turns a clarifying question's options into buttons, and remembers the
conversation's last question for follow-ups.

A place boardbot has no protocol for gets "boardbot has no protocol for Kent; it has: …",
never another area's answer. Where no kind of question fits with confidence, the area's
cited facts are searched and the best passages shown with their clauses.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable
from dataclasses import replace as dc_replace

from bot.commands.answers.challenge import challenge_answer
from bot.commands.answers.leads import lead_answer, lead_meaning
from bot.commands.answers.meetings import meeting_answer
from bot.commands.answers.membership import membership_answer
from bot.commands.answers.offices import chair_answer
from bot.commands.answers.other import other_answer
from bot.commands.answers.protocol import protocol_answer
from bot.commands.answers.reports import report_answer
from bot.commands.answers.sharing import sharing_answer
from bot.commands.registry import command
from bot.commands.replies import also_says, join_names, search_reply, yes_no
from bot.context import Context
from bot.knowledge import AreaKnowledge
from bot.language import lexicon
from bot.language.conversation import Turn
from bot.language.intents import FALLBACK
from bot.language.normalise import tokens
from bot.messages import Button, Reply

_CONFIDENT = 0.35

# the answer for each kind of question (a challenge's and the protocol's are awaited: they may read the
# asker's own challenges, the reviews recorded)
_ANSWERS: dict[str, Callable[[Context, object], Reply]] = {
    "lead": lead_answer, "chair": chair_answer, "membership": membership_answer, "meeting": meeting_answer,
    "report": report_answer, "sharing": sharing_answer,
}


# a yes-or-no asked of the document itself ("does the protocol give a date…", "is the signature page dated?")
_DOCUMENT = lexicon.DOCUMENT_WORDS | {"signature", "signatures"}
_SAYS_NOT = re.compile(r"doesn[\u2019']?t (?:say|name|give|set|mention|record|list)|does not (?:say|name|give|set|mention|record)"
                       r"|names no|gives no|sets no")


def no_protocol_reply(ctx: Context, u) -> Reply:
    place = u.place
    knowledge = ctx.knowledge
    names = [a.name for a in knowledge.areas.values()]
    text = (f"boardbot has no protocol for {place.name}"
            + (f" (served by {place.authority})" if place.authority != place.name else "")
            + f"; it has: {join_names(names)}. Name one in your question, e.g. \u201c\u2026 in {names[0]}?\u201d")
    notes = []
    for a in knowledge.areas.values():
        for b in a.protocol.boards:
            if place.name.lower() in b.name.lower() and place.name.lower() not in a.name.lower():
                notes.append(f"{a.name}'s {b.name} ({b.short_name}) covers {place.name} too.")
                break
    if notes:
        text += "\n" + " ".join(notes[:1])
    return Reply(text=text, title=f"No protocol for {place.name}",
                 data={"intent": "no_protocol", "area": None, "place": place.name, "theme": None, "leads": [],
                       "supporting": [], "source": None, "text": text, "silent": True})


async def _dispatch(ctx: Context, u) -> Reply:
    kind = u.kind
    if u.confidence < _CONFIDENT and not u.followup:
        guessed = _low_confidence(ctx, u)
        if guessed is not None:
            return guessed
    if kind == "challenge":
        return await challenge_answer(ctx, u)
    if kind == "protocol":
        return await protocol_answer(ctx, u)
    answer = _ANSWERS.get(kind)
    if answer is not None:
        return answer(ctx, u)
    found = other_answer(ctx, u)
    if found.ok:
        return found
    return search_reply(ctx.area, u, kind="other") or found


def _low_confidence(ctx: Context, u) -> Reply | None:
    """No kind fits well: a theme named outright is still a lead question; otherwise show what
    the protocol says, or ask which was meant."""
    if u.theme and u.kind in ("lead", "other"):
        return None
    top = sorted(u.scores.items(), key=lambda kv: -kv[1])[:2]
    if top and top[0][1] < 1.0 and not u.entities:
        return search_reply(ctx.area, u, kind="other")
    if len(top) == 2 and top[1][1] >= 2.0 and top[0][1] - top[1][1] < 0.5 and u.entities and "other" not in (top[0][0], top[1][0]):
        found = search_reply(ctx.area, u, kind=top[0][0])
        if found is not None and ctx.area.facts is not None:
            return found
        return _clarify_kind(ctx, u, top[0][0], top[1][0])
    return None


_ASK = {
    "lead": "who leads on {thing}?", "chair": "who chairs the {thing}?", "membership": "who sits on the {thing}?",
    "meeting": "how often does the {thing} meet?", "report": "which reports go to the {thing}?",
    "challenge": "how do I challenge the {thing}?", "sharing": "what does the {thing} share?",
    "protocol": "protocol", "other": "what does the {thing} do?",
}
_LABEL = {"lead": "Who leads", "chair": "Who chairs", "membership": "Who sits on it", "meeting": "When it meets",
          "report": "Reports", "challenge": "Challenging it", "sharing": "Information sharing", "protocol": "The protocol",
          "other": "What it does"}


def _clarify_kind(ctx: Context, u, first: str, second: str) -> Reply:
    e = u.first("board") or u.first("theme") or u.entities[0]
    thing = e.text if e.type != "board" else ctx.area.boards[e.key].short_name
    options = [(_LABEL[k], _ASK[k].format(thing=thing)) for k in (first, second)]
    text = ("Do you mean " + " or ".join(f"\u201c{q}\u201d" for _, q in options) + "? Type one, or press its button.")
    buttons = tuple(Button(label, "ask", {"q": q, "area": ctx.area.slug}) for label, q in options)
    return Reply(text=text, buttons=buttons, data={"intent": "clarify", "area": ctx.area.slug, "text": text, "clarify": True,
                                                   "options": [list(o) for o in options], "theme": None, "leads": [],
                                                   "supporting": [], "source": None})


def _theme_clarify(ctx: Context, u) -> Reply | None:
    """ "Who leads on safeguarding?": children or adults? Asked back, with a button for each."""
    area = ctx.area
    if u.kind != "lead" or u.theme or not u.theme_phrase:
        return None
    found = area.theme_matcher.lookup(u.theme_phrase)
    if found.match is not None or len(found.suggestions) < 2:
        return None
    words = set(tokens(u.theme_phrase))
    close = [k for k in found.suggestions if k in area.themes and words <= set(tokens(area.themes[k].name)) | {
        w for a in area.themes[k].aliases for w in tokens(a)}]
    if len(close) < 2:
        return None
    options = [(area.themes[k].name, f"who leads on {area.themes[k].name.lower()}?") for k in close[:4]]
    text = (f"\u201c{u.theme_phrase}\u201d could be several themes in {area.name}'s protocol. Did you mean: "
            + "; ".join(label for label, _ in options) + "? Type one (e.g. \u201c" + options[0][1] + "\u201d) or press its button.")
    buttons = tuple(Button(label, "ask", {"q": q, "area": area.slug}) for label, q in options)
    return Reply(text=text, buttons=buttons, ok=False, data={
        "intent": "lead", "area": area.slug, "text": text, "clarify": True, "options": [list(o) for o in options],
        "theme": None, "leads": [], "supporting": [], "source": None, "suggestions": [label for label, _ in options]})


def _finish(ctx: Context, u, reply: Reply) -> Reply:
    """The answer with what was understood, its buttons, and the conversation's new turn."""
    return _understood(ctx, u, _shaped(ctx, u, reply))


def _understood(ctx: Context, u, reply: Reply) -> Reply:
    """``reply`` with what was understood of these words (the names found, the confidence), and
    the conversation's new turn: the part of a finished answer that is this asking's own."""
    area = ctx.area
    data = {**reply.data, "entities": [e.as_json() for e in u.entities], "confidence": round(u.confidence, 2)}
    board_kinds = area.board_kinds if area is not None else {}
    focus = data.get("focus") or next((e.key for e in u.entities if e.type == "board"), None)
    ctx.turn = Turn(
        area=area.slug if area else u.area, kind=u.kind, facet=u.facet, yesno=u.yesno, entities=list(u.entities),
        theme=u.theme, theme_phrase=u.theme_phrase, focus=focus, board_kinds=board_kinds, place=u.place,
        more=data.get("more"), options=tuple(tuple(o) for o in data.get("options", ())),  # type: ignore[misc]
    )
    return reply.changed(data=data)


def _shaped(ctx: Context, u, reply: Reply) -> Reply:
    """The answer as it is shown: the kind of question, a place's note, the More button (the
    same for every asking of one meaning)."""
    area = ctx.area
    data = dict(reply.data)
    data.setdefault("intent", u.kind)
    data.setdefault("kind", u.kind)
    for key, default in (("theme", None), ("leads", []), ("supporting", []), ("source", None)):
        data.setdefault(key, default)
    if area is not None and u.kind == "protocol":
        p = area.protocol.protocol
        data.setdefault("title", p.title)
        data.setdefault("version", p.version)
        if p.review is not None:
            data.setdefault("review", {"rule": p.review.rule, "next_due": p.review.next_due, "also_when": p.review.also_when})
    if area is not None and u.kind == "challenge":
        data.setdefault("default_ladder", area.ladder_is_default)
        data.setdefault("rungs", [{"key": r.key, "title": r.title, "attendees": r.attendees} for r in area.ladder])
    data.setdefault("text", reply.text)
    text = reply.text
    if u.yesno and data.get("silent") and not _DOCUMENT.isdisjoint(u.tokens) and _SAYS_NOT.search(text.split("\n", 1)[0]) \
            and not text.startswith(("Yes \u2014", "No \u2014")):
        text = yes_no(False, text)  # "does the protocol give a date for…?": it does not
        data["text"] = text
    if u.place_note and area is not None:
        first, nl, rest = text.partition("\n")
        if first.startswith(("Yes \u2014", "No \u2014")):
            text = f"{first}\n({u.place_note}){nl}{rest}"  # a yes or no still opens the answer
        else:
            text = f"({u.place_note})\n{text}"
        data["text"] = text
    buttons = list(reply.buttons)
    more = data.get("more")
    if more and not buttons:
        buttons.append(Button("More", "ask", {"q": more, "area": area.slug if area else ""}))
    return reply.changed(text=text, buttons=tuple(buttons), data=data)


# Finished answers by meaning, per area index (a protocol imported again makes a new one): where an
# answer declares what it depends on (:func:`~bot.commands.answers.leads.lead_meaning`), every
# asking of that meaning in other words gets the answer worked out the first time, shown with the
# very same parts, so a platform that has rendered it once renders it again from memory.
_BY_MEANING: weakref.WeakKeyDictionary[AreaKnowledge, dict[tuple, Reply]] = weakref.WeakKeyDictionary()
_BY_MEANING_SIZE = 512  # per area; one per theme, and per yes-or-no of named boards


def _lead_by_meaning(ctx: Context, u) -> Reply | None:
    """A lead question's shaped answer, from memory where its meaning was answered before."""
    meaning = lead_meaning(ctx, u)
    if meaning is None:
        return None
    area = ctx.here
    kept = _BY_MEANING.get(area)
    if kept is None:
        kept = _BY_MEANING[area] = {}
    key = (meaning, u.place_note)
    reply = kept.get(key)
    if reply is None:
        if len(kept) >= _BY_MEANING_SIZE:
            kept.clear()
        reply = kept[key] = _shaped(ctx, u, lead_answer(ctx, u))
    return reply


@command(FALLBACK, section="Lookups")
async def question(ctx: Context) -> Reply:
    """Ask in plain words: who leads, who chairs, who sits on, meetings, reports, challenge, sharing, the protocol.

    Situations, yes/no questions, "what happens if…", abbreviations and follow-ups
    ("and in {other_area}?", "who chairs it?") are understood; the answer is short, with its
    clause and a More button (or type the command it shows). Where the protocol says
    nothing, the answer says so.

    Examples:
      who leads on {theme}?
      a 14 year old is being groomed online - which board should this go to?
      who chairs the adults board?
      is the DPH on the LSCB?
      how often does the practice and performance group meet?
      when does the {third_board} annual report go to the {other_board}?
      we wrote to the {other_board} and heard nothing - what now?
      do we share our minutes with the other boards?
      is the protocol out of date?
      and in {other_area}?
    """
    u = ctx.understanding
    if u.place is not None:
        reply = no_protocol_reply(ctx, u)
        data = {**reply.data, "kind": u.kind, "entities": [e.as_json() for e in u.entities], "confidence": round(u.confidence, 2)}
        ctx.turn = Turn(area=u.area, kind=u.kind, facet=u.facet, entities=list(u.entities), theme=u.theme,
                        theme_phrase=u.theme_phrase, place=u.place)
        return dc_replace(reply, data=data)
    known = _lead_by_meaning(ctx, u)
    if known is not None:
        return _understood(ctx, u, known)
    reply = _theme_clarify(ctx, u) or await _dispatch(ctx, u)
    if reply.data.get("silent") and u.kind not in ("lead", "chair", "membership") and reply.data.get("answered_by") != "search":
        extra = also_says(ctx.area, u, {c.clause for c in reply.citations})
        if extra:
            lines = reply.text.split("\n")
            at = next((i for i, x in enumerate(lines) if x.startswith(("Source:", "More:"))), len(lines))
            lines.insert(at, extra)
            text = "\n".join(lines)
            reply = dc_replace(reply, text=text, data={**reply.data, "text": text})
    return _finish(ctx, u, reply)

"""Who leads on a theme, answered narrowly; what a board leads on; a theme the protocol names no lead for."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import cache

from bot.commands.replies import (
    first_sentences,
    narrow,
    refs_of,
    search_reply,
    search_terms,
    yes_no,
)
from bot.commands.theme_replies import in_sentence, theme_name
from bot.context import Context
from bot.knowledge import AreaKnowledge
from bot.language import lexicon
from bot.language.normalise import tokens
from bot.messages import Citation, Field, Reply, Section


def _theme_full_command(area: AreaKnowledge, key: str) -> str:
    theme = area.themes.get(key)
    name = theme.aliases[0] if theme and theme.aliases and len(theme.aliases[0]) < len(theme.name) else (theme.name if theme else key)
    return f"theme {name}"


def _related_themes(area: AreaKnowledge, u, limit: int = 3) -> list[str]:
    """Theme names of this area the words may be about, for a 'did you mean' (never with a lead)."""
    names: list[str] = []
    if u.theme and u.theme in area.themes:
        names.append(area.themes[u.theme].name)
    for key in getattr(u, "suggestions", ()) or ():
        if key in area.themes:
            names.append(area.themes[key].name)
    words = set(tokens(u.theme_phrase or "")) - {"and", "of", "the", "on", "for"}
    if words:
        by_word, themes = area.themes_by_word, area.theme_words
        for i in sorted({i for w in words for i in by_word.get(w, ())}):  # in the protocol's order
            name = themes[i][0]
            if name not in names:
                names.append(name)
    return list(dict.fromkeys(names))[:limit]


@dataclass(frozen=True)
class _NoLead:
    """What every "no lead named" answer of one area says alike, worked out on the first."""

    transcribed: bool  # the protocol's themes have been entered in full
    guidance: str | None  # the first sentences of what the protocol says to do with a theme it does not name
    cites: tuple[Citation, ...]


# per area index, as long as it lives (a protocol imported again makes a new one, and a new entry)
_NO_LEAD: weakref.WeakKeyDictionary[AreaKnowledge, _NoLead] = weakref.WeakKeyDictionary()


def _no_lead(area: AreaKnowledge) -> _NoLead:
    parts = _NO_LEAD.get(area)
    if parts is None:
        guidance = area.protocol.new_themes
        parts = _NO_LEAD[area] = _NoLead(
            transcribed=area.transcribed("themes"),
            guidance=first_sentences(guidance.text, 2) if guidance is not None else None,
            cites=(area.cite(guidance.source),) if guidance is not None else ())
    return parts


def not_named_reply(ctx: Context, u, phrase: str) -> Reply:
    """A theme the protocol names no lead for (or does not mention): said plainly, never guessed."""
    area = ctx.here
    parts = _no_lead(area)
    cites = list(parts.cites)
    name = in_sentence(phrase)
    if not parts.transcribed:
        head = f"{area.not_entered('themes')} So boardbot can't say who leads on {name}."
    else:
        head = f"{area.name}'s protocol doesn't name a lead for {name}."
    lines = [yes_no(False, head) if u.yesno else head]
    related = [n for n in _related_themes(area, u) if n.lower() != phrase.lower()]
    if related:
        lines.append("Themes it does name that may be related: " + "; ".join(related) + ".")
    if not parts.transcribed:
        sections = (Section("\n".join(lines), heading="Not entered yet"),)
    elif parts.guidance is not None:
        lines.append(f"What it says about a theme like this: {parts.guidance}")
        sections = (Section("\n".join(lines[:-1]), heading="No lead named"),
                    Section(lines[-1].split(": ", 1)[-1], heading="What the protocol says to do", citation=cites[0]))
    else:
        lines.append(area.not_entered("new_themes"))
        sections = (Section("\n".join(lines), heading="No lead named"),)
    reply = narrow(area, "lead", lines, cites, title=f"{phrase[:1].upper()}{phrase[1:]} \u2014 {area.name}",
                   more="themes", silent_=True, sections=sections,
                   data={"theme": phrase, "theme_key": u.theme if u.theme_how == "related" else None, "leads": [],
                         "supporting": [], "no_lead": head, "joint": False})
    return reply


def _lead_label(area: AreaKnowledge, keys: list[str]) -> str:
    return " and ".join(area.board_label(k) for k in keys)


_NOT_A_TOPIC = frozenset("theme themes area areas topic topics issue issues thing things priority priorities subject".split())


_FRAME_WORDS = frozenset("taken take takes taking idea plate remit brief sorry daft silly stupid obvious question "
                         "wondering wondered asked asking".split())
_CLAUSE_BREAK = re.compile(r"\s[-\u2013\u2014]\s|[.?!;:,]\s|[.?!]$")


def _unmentioned_topic(area: AreaKnowledge, u) -> str | None:
    """The words a lead question asks about that the protocol never uses ("has any board got
    period poverty on its plate?": "period poverty"): the longest run of such words in the part
    of the message that asks (or, where that says only "that", the part before it); None when the
    question names nothing of its own (then it is asked which theme, not told of a word in the
    story around it)."""
    from bot.language.understand import as_typed, asks_for_a_board

    skip = _not_topic_words()
    own = area.name_words
    clauses = [tokens(c) for c in _CLAUSE_BREAK.split(u.text)]
    asking = [n for n, c in enumerate(clauses) if not _ASKING.isdisjoint(c)
              or asks_for_a_board(c, {i for i, w in enumerate(c) if w in own})]
    if not asking:
        return None
    k = asking[-1]

    def topic(words: tuple[str, ...]) -> tuple[str, ...] | None:
        runs: list[list[str]] = [[]]
        for w in words:
            if w in skip or w in own or len(w) < 2 or w.isdigit():
                runs.append([])
            else:
                runs[-1].append(w)
        unknown = [r for r in runs if any(len(w) >= 3 and not area.facts.known(w) for w in r)]
        return tuple(max(unknown, key=len)) if unknown else None

    found = topic(clauses[k])
    if found is None and k and not _BACK.isdisjoint(clauses[k]):
        found = topic(clauses[k - 1])  # "period poverty in schools - has any board got that on its plate?"
    return " ".join(as_typed(found, u.text)) if found else None


# a yes-or-no of whether a board leads alone ("is that just the SAB's job?")
_ALONE = frozenset("just only solely alone sole single".split())
# a yes-or-no of whether any board leads ("is there a board…", "does anyone lead on…")
_WHETHER_ANY = lexicon.BOARD_WORDS | frozenset("anyone anybody someone somebody lead leads led".split())
_ASKING = frozenset("which who whose what lead leads responsible".split())
_BACK = frozenset("that this it those these them".split())


@cache
def _not_topic_words() -> frozenset[str]:
    """Words that are never the topic a lead question asks about: the asking, the board words, chatter."""
    return lexicon.STOPWORDS | lexicon.cue_words() | _NOT_A_TOPIC | _FRAME_WORDS | lexicon.BOARD_WORDS


def lead_meaning(ctx: Context, u) -> tuple | None:
    """What :func:`lead_answer`'s reply depends on, where that is all it depends on: a lead
    question about a theme this area's protocol has. Its words, the slips corrected, the
    abbreviations spelled out, do not change the answer ("who leads on CSE?", "which board
    is responsible for child sexual exploitation", "cse lead?" are one answer); whether it
    asks yes or no of named boards, and which, and whether it named the theme by a concept
    ("grooming"), do; for a theme only other areas name, so do the words that named it (the
    themes here they are near are offered). None for every other path of :func:`lead_answer`
    (no theme named, a theme no protocol has, the asker's own board), whose replies quote the
    words or depend on who asks."""
    area = ctx.here
    key = u.theme
    if u.kind != "lead" or key is None or u.theme_how in ("unknown", "related"):
        return None
    theme = area.themes.get(key)
    if theme is None:  # a theme only other areas' protocols have: named, with this protocol's near ones
        return ("not named", key, theme_name(ctx, key), u.yesno, u.suggestions, u.theme_phrase)
    concept = bool(u.theme_how == "concept" and u.theme_phrase and u.theme_phrase.lower() not in theme.name.lower())
    return ("lead", key, concept, (tuple(_asked_boards(u)), not _WHETHER_ANY.isdisjoint(u.tokens),
                                   not _ALONE.isdisjoint(u.tokens)) if u.yesno else None)


def _asked_boards(u) -> list[str]:
    """The boards a lead question names, not one whose name is the theme's words ("safeguarding children")."""
    named = u.first("theme")
    return [e.key for e in u.all("board") if e.method != "context"
            and not (named is not None and named.start <= e.start and e.end <= named.end)]


def lead_answer(ctx: Context, u) -> Reply:
    """Who leads, narrowly: yes/no first if asked, the lead(s), one line of what they do, the clause."""
    area = ctx.here
    key = u.theme
    if key is None and not u.theme_phrase and not u.first("board") and u.ours:
        # "what do we lead on?": the asker's own board's themes
        actor = ctx.request.actor
        mine = (set(actor.boards_with(area.slug, "chair", "business_manager", "delegated_officer")) if hasattr(actor, "roles_in")
                else set(actor.boards_with("chair", "business_manager", "delegated_officer")))
        if len(mine) == 1:
            return board_themes_answer(ctx, u, next(iter(mine)))
    if key is None and not u.theme_phrase and not u.first("board"):
        # "which board commissions care in an integrated way": a theme named in other words
        terms = [w for w in search_terms(u) if w not in lexicon.cue_words() and w not in _NOT_A_TOPIC]
        hits = area.facts.search(terms, refs=refs_of(u), limit=1, sections=frozenset({"themes"}))
        if terms and hits and area.facts.coverage(hits[0], terms) >= 0.7:
            found = next((r.split(":", 1)[1] for r in hits[0].passage.refs if r.startswith("theme:")), None)
            if found in area.themes:
                key, u.theme, u.theme_how, u.theme_phrase = found, found, "search", area.themes[found].name
    if key is None and u.theme_how == "unknown" and u.has("responsible", "responsibility"):
        # "who has responsibility for improving outcomes…": a post's duty, not a theme
        found = search_reply(area, u, kind="other", sections=frozenset({"roles", "boards"}))
        if found is not None and found.data.get("silent") is not True:
            return Reply(**{**found.__dict__, "data": {**found.data, "kind": "other"}})
    if key is None or u.theme_how in ("unknown", "related"):
        if u.theme_how in ("unknown", "related") or u.theme_phrase:
            return not_named_reply(ctx, u, u.theme_phrase or "that")
        board = u.first("board")
        if board is not None:
            return board_themes_answer(ctx, u, board.key)
        found = search_reply(area, u, kind="lead")
        if found is not None:
            return found
        topic = _unmentioned_topic(area, u)
        if topic:
            return not_named_reply(ctx, u, topic)
        return Reply(text='Which theme? e.g. "who leads on CSE?"; "themes" lists the ones the protocol names.', ok=False,
                     data={"intent": "lead", "area": area.slug, "theme": None, "leads": [], "supporting": [], "source": None})
    theme = area.themes.get(key)
    name = theme_name(ctx, key)
    if theme is None:
        reply = not_named_reply(ctx, u, name)
        return Reply(**{**reply.__dict__, "data": {**reply.data, "theme_key": key}})
    cite = area.cite(theme.source)
    leads = [area.board_ref(k) for k in theme.leads]
    supporting = [{**area.board_ref(s.board), "role": s.role, "source": area.cite(s.source).as_json()} for s in theme.supporting]
    lines: list[str] = []
    if u.theme_how == "concept" and u.theme_phrase and u.theme_phrase.lower() not in name.lower():
        lines.append(f"That comes under {in_sentence(name)}.")
    asked = _asked_boards(u)
    yes = None
    alone = u.yesno and asked and not _ALONE.isdisjoint(u.tokens) and bool(set(theme.leads) - set(asked))
    if u.yesno and asked:
        # "is X the BSCB's?": whether that board leads; "is X just the SAB's job?": not where the lead is joint
        yes = any(b in theme.leads for b in asked) and not alone
    elif u.yesno and not _WHETHER_ANY.isdisjoint(u.tokens):
        yes = bool(theme.leads)  # "does any board lead on X?": whether one does
    if not leads:
        head = f"{area.name}'s protocol names no single lead board for {in_sentence(name)}."
        if yes is not None:
            head = yes_no(False, head)
        lines += [head, theme.no_lead or ""]
    else:
        label = _lead_label(area, theme.leads)
        joint = len(leads) > 1
        if yes is True:
            lines.append(f"Yes \u2014 {'joint lead' if joint else 'lead'}: {label}.")
        elif yes is False and alone:
            lines.append(f"No \u2014 {in_sentence(name)} is a joint lead: {label}.")
        elif yes is False:
            who = " or ".join(area.boards[b].short_name for b in asked if b in area.boards)
            lines.append(f"No \u2014 the lead on {in_sentence(name)} is the {label}, not the {who}.")
            for s in theme.supporting:
                if s.board in asked:
                    lines.append(f"The {area.boards[s.board].short_name} supports: {first_sentences(s.role)}")
        else:
            lines.append(f"{'Joint lead' if joint else 'Lead'}: {label}.")
        if theme.lead_role:
            lines.append(first_sentences(theme.lead_role, 2 if len(theme.lead_role) < 260 else 1))
        if theme.supporting and yes is not False:
            lines.append("Also involved: " + ", ".join(area.boards[s.board].short_name for s in theme.supporting) + ".")
    focus = theme.leads[0] if theme.leads else None
    opening = [x for x in lines if x][: 2 if lines and lines[0].startswith("That comes") else 1]
    rest = [x for x in lines if x and x not in opening and not x.startswith("Also involved")]
    sections = [Section("\n".join(opening + rest), heading=("Joint lead" if len(leads) > 1 else "Lead") if leads else "No single lead",
                        citation=cite, fields=tuple(Field(b["short_name"], b["name"]) for b in leads))]
    if theme.supporting and yes is not False:
        sections.append(Section(", ".join(f"*{area.boards[s.board].short_name}*" for s in theme.supporting), heading="Supporting"))
    return narrow(area, "lead", lines, [cite], title=f"{theme.name} \u2014 {area.name}", more=_theme_full_command(area, key),
                  focus=focus, silent_=not leads, sections=tuple(sections),
                  data={"theme": theme.name, "theme_key": theme.key, "leads": leads, "joint": len(leads) > 1,
                        "supporting": supporting, "no_lead": theme.no_lead})


def board_themes_answer(ctx: Context, u, board_key: str) -> Reply:
    """What a board leads on (and supports), from the protocol's themes."""
    area = ctx.here
    b = area.boards[board_key]
    led = [t for t in area.protocol.themes if board_key in t.leads]
    supports = [t for t in area.protocol.themes if any(s.board == board_key for s in t.supporting)]
    if led:
        lines = [f"The {b.name} ({b.short_name}) leads on: " + "; ".join(in_sentence(t.name) for t in led) + "."]
    else:
        lines = [f"{area.name}'s protocol names no theme the {b.short_name} leads on."]
    if supports:
        lines.append("It supports on: " + "; ".join(in_sentence(t.name) for t in supports[:8]) + ".")
    cites = [area.cite(t.source) for t in led[:4]]
    return narrow(area, "lead", lines, cites, title=f"{b.short_name} \u2014 themes", more=f"board {b.short_name}",
                  focus=board_key, silent_=not led, data={"leads": [], "supporting": [], "theme": None, "board": area.board_ref(board_key)})

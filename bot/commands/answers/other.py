"""Everything else about a board, a sub-group or a post (its basis, purpose, priorities,
accountability), and the reply when nothing in the protocol fits.
"""

from __future__ import annotations

import re

from bot.commands.board_profile import board_reply
from bot.commands.replies import (
    first_sentences,
    join_names,
    narrow,
    search_reply,
    silent,
    unknown_words,
    yes_no,
)
from bot.context import Context
from bot.language import lexicon
from bot.language.kinds import asks_standing
from bot.language.understand import as_typed
from bot.messages import Reply

_FACET_FIELDS = {"statutory": ("statutory_basis",), "independence": ("independence",), "accountability": ("accountability",),
                 "priorities": ("priorities",), "purpose": ("purpose", "functions")}


def other_answer(ctx: Context, u) -> Reply:
    """Other facts: a board's basis, purpose, priorities, accountability; a sub-group; a post's role."""
    area = ctx.here
    sub = u.first("subgroup")
    if sub is not None and not u.yesno:
        bkey, _, idx = sub.key.partition(":")
        g = area.boards[bkey].subgroups[int(idx)]
        lines = [f"The {g.name} (part of the {area.boards[bkey].short_name}): {g.text or 'the protocol gives no detail of its work.'}"]
        if g.meets:
            lines.append(f"It meets {g.meets}.")
        return narrow(area, "other", lines, [area.cite(g.source)], more=f"board {area.boards[bkey].short_name}", focus=bkey)
    board = u.first("board")
    if u.facet == "standing" or asks_standing(u.tokens, u.all("board")):
        return _standing(ctx, u)  # also "could the LSCB be folded in under the Children's Trust as a sub-group?"
    if u.facet == "spelled_out":
        spelled = _spelled_out(ctx, u)
        if spelled is not None:
            return spelled
    if board is not None and u.facet == "subgroups":
        b = area.boards[board.key]
        if b.subgroups:
            lines = [f"The {b.short_name}'s sub-groups in {area.name}'s protocol:"] + [
                f"\u2022 {g.name}" + (f" (meets {g.meets})" if g.meets else "") for g in b.subgroups[:12]]
            if len(b.subgroups) > 12:
                lines.append(f"\u2022 …and {len(b.subgroups) - 12} more")
            yes = yes_no(True, lines[0]) if u.yesno else lines[0]
            return narrow(area, "other", [yes, *lines[1:]], [area.cite(g.source) for g in b.subgroups[:3]],
                          more=f"board {b.short_name}", focus=b.key)
        none = (f"{area.name}'s protocol names no sub-groups of the {b.name} ({b.short_name})." if area.transcribed("subgroups")
                else silent(area, "subgroups", f"what sub-groups the {b.short_name} has"))
        return narrow(area, "other", [yes_no(False if u.yesno else None, none)],
                      [], silent_=True, more=f"board {b.short_name}", focus=b.key)
    if board is not None and u.facet == "profile" and not u.first("theme"):
        return board_reply(ctx, board.key)  # "tell me about the adults board": the board's profile
    fields = _FACET_FIELDS.get(u.facet or "")
    has_field = bool(fields) and any(getattr(area.boards[board.key], f, None) for f in fields) if board is not None else False
    specific = has_field and u.facet in ("statutory", "independence", "accountability", "priorities") and not u.first("theme")
    if board is not None and not specific and (u.tokens[:1] == ("who",) or _topic_words(u)):
        found = search_reply(area, u, kind="other")
        if found is not None:
            return found
        unknown = unknown_words(area, u)
        if unknown and not u.first("theme"):
            # "what's the HWB's view on fracking": the protocol never mentions it; say so, then what it says of the board
            b = area.boards[board.key]
            lines = [f"{area.name}'s protocol doesn't say anything about {' '.join(as_typed(tuple(unknown), u.text))}."]
            if b.purpose:
                lines.append(f"What it says the {b.short_name} is for: {first_sentences(b.purpose.text, 1)}")
            return narrow(area, "other", lines, [area.cite(b.purpose.source)] if b.purpose else [], silent_=True,
                          more=f"board {b.short_name}", focus=b.key)
    if board is not None and fields and not u.yesno:
        b = area.boards[board.key]
        facts = []
        for f in fields:
            value = getattr(b, f, None)
            if value:
                facts.extend(value if isinstance(value, list) else [value])
        if facts:
            shown = facts[:1] if u.facet in ("statutory", "independence") else facts[:4]
            if u.facet == "purpose" and len(facts) > 1:
                shown = facts[:3]
            lines = ([f"{b.name} ({b.short_name}):"] if len(shown) > 1 else []) + [
                ("\u2022 " if len(shown) > 1 else "") + f.text for f in shown]
            if len(shown) == 1 and not lines[0].lower().startswith(("the " + b.short_name.lower(), b.short_name.lower())):
                lines = [f"{b.short_name}: {shown[0].text}"]
            return narrow(area, "other", lines, [area.cite(f.source) for f in shown], more=f"board {b.short_name}", focus=b.key)
    role = u.first("role")
    if role is not None and role.key in area.roles and not board and not u.yesno:
        r = area.roles[role.key]
        if r.responsibilities:
            lines = [f"The {r.title}:"] + [f"\u2022 {x.text}" for x in r.responsibilities[:3]]
            return narrow(area, "other", lines, [area.cite(x.source) for x in r.responsibilities[:3]],
                          more=f"which boards does the {r.title} sit on")
    found = search_reply(area, u, kind="other")
    if found is not None:
        return found
    if board is not None:
        b = area.boards[board.key]
        text = first_sentences(b.purpose.text, 2) if b.purpose else f"{b.name} ({b.short_name})."
        return narrow(area, "other", [f"{b.short_name}: {text}"], [area.cite(b.purpose.source)] if b.purpose else [],
                      more=f"board {b.short_name}", focus=b.key)
    if u.says_about:  # "does the protocol mention air quality?", and nothing in it comes near: say so plainly
        line = f"{area.name}'s protocol doesn't say anything about {' '.join(u.says_about)}."
        return narrow(area, "other", [yes_no(False if u.yesno else None, line)], [], silent_=True, more="protocol")
    return nothing_found(ctx, u)


# what a protocol says when it puts no board above another, in its own words
_LEVEL = re.compile(r"hierarch|subordinate|subsumed|equal partners|on an equal|not accountable to (?:each other|one another)"
                    r"|mutually exclusive|duplicat", re.I)
_HIGHER = frozenset("above senior superior subordinate under hierarchical hierarchy say word outrank outranks higher charge "
                    "folded subsumed merged".split())
_OVERLAP = frozenset("overlap overlapping duplicate duplication".split())
_APART = re.compile(r"mutually exclusive|not duplicate|no duplication|does not duplicate|avoid duplicat", re.I)


def _standing(ctx: Context, u) -> Reply:
    """ "Is the LSCB above the HWB?", "are they equals?": what the protocol says of one board's standing
    to another (its words on hierarchy, or a board's independence), "No —" to one above another."""
    area = ctx.here
    named = {e.key for e in u.all("board")}
    about = {f"board:{k}" for k in named}
    found = [p for p in area.facts.passages if _LEVEL.search(p.text)] if area.facts is not None else []
    # the boards asked of first, then statements about the boards together
    overlap = not _OVERLAP.isdisjoint(u.tokens)
    found.sort(key=lambda p: (overlap and not _APART.search(p.text), about.isdisjoint(p.refs), len(p.text)))
    if not found:
        line = f"{area.name}'s protocol doesn't say whether one of its boards stands above another."
        return narrow(area, "other", [line], [], silent_=True, more="boards")
    best = found[0]
    general = not any(r.startswith("board:") for r in best.refs) or "section:challenge" in best.refs
    said = f"{best.subject}: {best.text}" if best.subject not in best.text[:80] else best.text
    if named and not general and about.isdisjoint(best.refs):
        # "are the HWB and the BSAB equals?" where only the BSCB's independence is written down
        which = join_names(f"the {area.boards[k].short_name}" for k in sorted(named) if k in area.boards)
        lines = [f"{area.name}'s protocol doesn't say how {which} stand to each other. What it says of a board's standing:",
                 f"\u2022 {said} ({best.source.clause})"]
        return narrow(area, "other", lines, [area.cite(best.source)], silent_=True, more="boards")
    higher = not _HIGHER.isdisjoint(u.tokens)
    if overlap:
        yes = not _APART.search(best.text) if u.yesno else None  # "do they overlap?": not where they are kept apart
    else:
        yes = (False if higher else True) if u.yesno else None
    lines = [yes_no(yes, said)]
    also = [p for p in found[1:] if not about.isdisjoint(p.refs)][:1]
    lines += [f"\u2022 {p.subject}: {p.text} ({p.source.clause})" for p in also]
    return narrow(area, "other", lines, [area.cite(p.source) for p in [best, *also]], more="boards")


def _spelled_out(ctx: Context, u) -> Reply | None:
    """ "What does CTJCG stand for?": the full name of the board, post or theme the letters name
    (a theme only another area's protocol names is spelled out from that one)."""
    area = ctx.here
    board, role, theme = u.first("board"), u.first("role"), u.first("theme")
    if board is not None and board.key in area.boards:
        b = area.boards[board.key]
        return narrow(area, "other", [f"{b.short_name} stands for {b.name}."], [area.cite(b.purpose.source)] if b.purpose else [],
                      more=f"board {b.short_name}", focus=b.key)
    if role is not None and role.key in area.roles:
        r = area.roles[role.key]
        return narrow(area, "other", [f"{role.text.upper()} is the {r.title}."], [], more=f"which boards does the {r.title} sit on")
    if theme is not None:
        here = theme.key in area.themes
        # another area's name for it, from the names every index holds (no other protocol is loaded)
        name = area.themes[theme.key].name if here else next(
            (t.name for a in ctx.services.knowledge.areas.values() for t in a.theme_names_only if t.key == theme.key), None)
        if name is not None:
            return narrow(area, "other", [f"{theme.text.upper()}: {name}."], [], more=f"theme {name}" if here else "themes")
    return None


def _topic_words(u) -> list[str]:
    """Words of the question beyond its names and the facet asked: a narrower topic to search for."""
    named = {i for e in u.entities if e.type in ("board", "role", "person") for i in range(e.start, e.end)}
    return [w for i, w in enumerate(u.tokens) if i not in named and w not in lexicon.STOPWORDS and w not in lexicon.cue_words()
            and not w.isdigit()] + [e.text for e in u.entities if e.type == "theme"]


def nothing_found(ctx: Context, u) -> Reply:
    area = ctx.here
    text = (f"Sorry, I didn't understand \u201c{ctx.request.text.strip()}\u201d, and found nothing like it in {area.name}'s "
            f"protocol. Try naming a board, a theme or a post, e.g. \u201cwho leads on CSE?\u201d, \u201cwho chairs the "
            f"{area.protocol.boards[0].short_name}?\u201d.\nType \"help\" for what I can answer, with examples.")
    return Reply(text=text, ok=False, data={"intent": "unknown", "area": area.slug, "text": text, "silent": True})

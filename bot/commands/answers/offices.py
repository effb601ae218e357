"""Who chairs or manages a board, and who a named person is, answered narrowly."""

from __future__ import annotations

import re

from bot.commands.answers.asked import (
    board_for,
    offices,
    says_nothing_more,
    which_board,
)
from bot.commands.replies import (
    first_sentences,
    narrow,
    search_reply,
    silent,
    yes_no,
)
from bot.context import Context
from bot.language.normalise import tokens
from bot.messages import Reply


def chair_answer(ctx: Context, u) -> Reply:
    area = ctx.here
    person = u.first("person")
    if person is not None and not u.first("board"):
        return _person_answer(ctx, u, person)
    key = board_for(ctx, u)
    if person is not None and u.yesno and key is not None and person.get("office") == "chair" and person.get("board"):
        # "is Jane Booth the HWB chair?": the person's own board against the one asked of
        return _is_chair_of(ctx, u, person, key)
    if key is None:
        found = search_reply(area, u, kind="chair")
        if found:
            return found
        return which_board(ctx, "chair", "who chairs the {board}?" if u.facet != "manager" else "who is the business manager of the {board}?")
    b = area.boards[key]
    which = "manager" if u.facet == "manager" else "chair"
    held = offices(b, which)
    label = "business manager / lead officer" if which == "manager" else "chair"
    cites = [area.cite(o.source) for o in held]
    more = f"board {b.short_name}"
    if u.facet in ("appoint", "account"):
        hits = [o for o in held if o.note and any(w in o.note.lower() for w in (("appoint",) if u.facet == "appoint" else ("account",)))]
        if hits:
            note = hits[0].note
            sentences = [s for s in re.split(r"(?<=[.;])\s+", note) if ("appoint" if u.facet == "appoint" else "account") in s.lower()]
            line = " ".join(sentences) or note
            # "is the BSCB's chair answerable to the DCS?": whether the post asked of is one the protocol names there
            asked = {e.key for e in u.all("role")}
            if u.yesno and asked:
                line = yes_no(not asked.isdisjoint(m.key for m in area.role_matcher.find_all(tokens(line))), line)
            return narrow(area, "chair", [line], cites, more=more, focus=key, title=f"{b.short_name} {label}")
        word = "appoint" if u.facet == "appoint" else "account"
        found = search_reply(area, u, kind="chair")
        if found and word in found.text.lower():
            return found
        # "who appointed Jane Booth?" where the protocol names the chair but not who appoints them
        what = (f"who appoints or removes the {b.short_name}'s {label}" if word == "appoint"
                else f"to whom the {b.short_name}'s {label} is accountable")
        posts = "; ".join(o.title + (f" \u2014 {o.name}" if o.name else "") for o in held)
        lines = [f"{area.name}'s protocol doesn't say {what}." + (f" It names the {label}: {posts}." if posts else "")]
        return narrow(area, "chair", lines, cites, more=more, focus=key, silent_=True, title=f"{b.short_name} {label}")
    if not held:
        line = (f"{area.name}'s protocol doesn't name the {label} of the {b.name} ({b.short_name})." if area.transcribed("offices")
                else silent(area, "offices", f"who the {label} of the {b.name} ({b.short_name}) is"))
        return narrow(area, "chair", [line], [], more=more, focus=key, silent_=True, title=f"{b.short_name} {label}",
                      data={"board": area.board_ref(key), "office": None})
    named = [o for o in held if o.name]
    if u.facet == "independent":
        independent = any("independent" in (o.title + " " + (o.note or "")).lower() for o in held)
        rest = (f"the {b.short_name}'s chair is independent: " if independent
                else f"the protocol doesn't describe the {b.short_name}'s chair as independent. ")
        rest += "; ".join(o.title + (f" \u2014 {o.name}" if o.name else "") for o in held) + "."
        note = next((first_sentences(o.note) for o in held if o.note and "independent" in o.note.lower()), "")
        return narrow(area, "chair", [yes_no(independent if u.yesno else None, rest), note], cites, more=more, focus=key,
                      title=f"{b.short_name} {label}")
    if u.facet == "councillor":
        # "is the HWB chair a councillor?": what the protocol calls the holder, and nothing more
        said = [o for o in held if any(w in f"{o.name} {o.title} {o.note or ''}".lower() for w in ("councillor", "cllr"))]
        posts = "; ".join(o.title + (f" \u2014 {o.name}" if o.name else "") for o in held) + "."
        line = (yes_no(True if u.yesno else None, f"the {b.short_name}'s chair is a councillor: {posts}") if said else
                f"{area.name}'s protocol doesn't say whether the {b.short_name}'s chair is a councillor: {posts}")
        return narrow(area, "chair", [line], cites, more=more, focus=key, title=f"{b.short_name} {label}", silent_=not said)
    lines = []
    if named:
        who = "; ".join(o.name + ("" if says_nothing_more(o.title, b) else f" ({o.title})") for o in named)
        several = len(named) > 1
        if u.facet == "cochair" and not several:
            lines.append(f"The protocol names one {label} of the {b.name} ({b.short_name}): {who}.")
        else:
            lines.append(f"The {label}{'s' if several else ''} of the {b.name} ({b.short_name}) {'are' if several else 'is'} {who}.")
        note = next((o.note for o in named if o.note), "")
        if note:
            lines.append(first_sentences(note))
    else:
        o = held[0]
        if u.facet == "cochair" and len(held) == 1:
            lines.append(f"{area.name}'s protocol names no co-chair or vice chair of the {b.short_name}, only its {label}.")
        generic = o.title.strip().lower() in ("chair", "business manager", "lead officer", "manager")
        lead = "" if generic else f"The {b.short_name}'s {label}: the {o.title}. "
        if not generic and "rotat" in o.title.lower() and o.note:
            lines.append(f"The {b.short_name} is {o.note[0].lower()}{o.note[1:]}")
        else:
            lines.append(lead + (f"{area.name}'s protocol doesn't name who holds the post." if lead else
                                 f"{area.name}'s protocol doesn't name who the {label} of the {b.short_name} is."))
            if o.note:
                lines.append(first_sentences(o.note, 2))
    return narrow(area, "chair", lines, cites, more=more, focus=key, silent_=not named, title=f"{b.short_name} {label}",
                  data={"board": area.board_ref(key),
                        "office": [{"title": o.title, "name": o.name, "note": o.note} for o in held]})


def _is_chair_of(ctx: Context, u, person, key: str) -> Reply:
    """Yes or no: whether a named chair chairs the board asked of, and who does where they do not."""
    area = ctx.here
    b, theirs = area.boards[key], area.boards.get(person.get("board"))
    name = person.get("name") or person.text
    if theirs is None:
        return _person_answer(ctx, u, person)
    if theirs.key == b.key:
        line = yes_no(True, f"{name} is the chair of the {b.name} ({b.short_name}).")
    else:
        held = [o.name for o in offices(b, "chair") if o.name]
        now = f" The {b.short_name}'s chair is {' and '.join(held)}." if held else ""
        line = yes_no(False, f"{name} chairs the {theirs.name} ({theirs.short_name}).{now}")
    cites = [area.cite(o.source) for o in (*offices(theirs, "chair"), *offices(b, "chair"))]
    return narrow(area, "chair", [line], list(dict.fromkeys(cites)), focus=key, more=f"board {b.short_name}")


def _person_answer(ctx: Context, u, person) -> Reply:
    area = ctx.here
    name = person.get("name") or person.text
    board = person.get("board")
    lines, cites = [], []
    if not person.get("name") and person.get("title") and board in area.boards:
        # an office named by its title, its holder not named
        b = area.boards[board]
        office = b.chair if person.get("office") == "chair" else b.business_manager
        what = "chair" if person.get("office") == "chair" else "business manager / lead officer"
        lines.append(f"The {person.get('title')} is the {what} of the {b.name} ({b.short_name}); "
                     f"{area.name}'s protocol doesn't name who holds the post.")
        if office is not None:
            if office.note:
                lines.append(first_sentences(office.note))
            cites.append(area.cite(office.source))
        return narrow(area, "chair", lines, cites, focus=board, more=f"board {b.short_name}", silent_=True,
                      data={"person": None, "office": person.get("title")})
    if board and board in area.boards:
        b = area.boards[board]
        office = next((o for o in offices(b, "chair") if o.name and o.name == name), None) or b.chair
        title = f" ({office.title})" if office and not says_nothing_more(office.title, b) else ""
        lines.append(f"{name} is the chair of the {b.name} ({b.short_name}){title}.")
        if office and office.note:
            lines.append(first_sentences(office.note))
        if office:
            cites.append(area.cite(office.source))
    role_key = person.get("role")
    if role_key and role_key in area.roles:
        r = area.roles[role_key]
        lines.append(f"{name} is the {r.title}.")
    for s in area.protocol.protocol.signatories:
        if s.name == name:
            lines.append(f"{name} signed the protocol as {s.title}.")
            cites.append(area.cite(s.source))
            break
    return narrow(area, "chair", lines, cites, focus=board or None, more=f"board {area.boards[board].short_name}" if board in area.boards else None,
                  data={"person": name})

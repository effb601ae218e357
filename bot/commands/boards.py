"""The boards of an area: what each is, who chairs and manages it, who sits on it."""

from __future__ import annotations

import re

from bot.commands import Context, cited, command, sources_line
from bot.knowledge import KIND_LABELS, AreaKnowledge
from bot.messages import Citation, Field, Reply, Section, error
from storage.protocol.schema import Board

_CAPACITY = {
    "chairs": "chairs",
    "member": "member",
    "attends": "attends",
    "participant_observer": "participant observer",
    "invited": "invited",
}


def _resolve_board(ctx: Context, phrase: str) -> tuple[Board | None, Reply | None]:
    area = ctx.area
    assert area is not None
    found = area.find_board(phrase)
    if found.match:
        return area.boards[found.match.key], None
    boards = ", ".join(b.short_name for b in area.protocol.boards if b.party)
    hint = f"{area.name}'s boards: {boards}. Type \"boards\" for the full list."
    if found.suggestions:
        names = "; ".join(area.board_label(k) for k in found.suggestions)
        return None, error(f"I don't know a board called \u201c{phrase}\u201d in {area.name}. Did you mean {names}?", hint=hint)
    return None, error(f"I don't know a board called \u201c{phrase}\u201d in {area.name}.", hint=hint)


def _office_line(area: AreaKnowledge, label: str, office) -> tuple[str, list[Citation]]:
    if office is None:
        return f"{label}: not named in the protocol", []
    who = office.title + (f" — {office.name}" if office.name else "")
    if office.note:
        who += f" ({office.note})"
    return f"{label}: {who}", [area.cite(office.source)]


def board_reply(ctx: Context, key: str) -> Reply:
    area = ctx.area
    assert area is not None
    b = area.boards[key]
    cites: list[Citation] = []
    fields: list[Field] = []
    lines = [f"{b.name} ({b.short_name}) — {KIND_LABELS[b.kind]}" + ("" if b.party else "; linked to the protocol, not a party to it")]
    if b.purpose:
        lines.append(f"Purpose: {b.purpose.text}")
        cites.append(area.cite(b.purpose.source))
    if b.statutory_basis:
        lines.append(f"Statutory basis: {b.statutory_basis.text}")
        cites.append(area.cite(b.statutory_basis.source))
    if area.protocol.agreements:  # one document, several relationships: say which this board is party to
        ins = [a for a in area.protocol.agreements if b.key in a.parties]
        outs = [a for a in area.protocol.agreements if b.key not in a.parties]
        if ins:
            lines.append("Party to: " + "; ".join(a.title for a in ins) + (
                " (not to: " + "; ".join(a.title for a in outs) + ")" if outs else ""))
        cites.extend(area.cite(a.source) for a in ins or outs)
    if b.councils:
        lines.append("Covers: " + ", ".join(b.councils.names))
        cites.append(area.cite(b.councils.source))
    chairs = [("Co-chair" if len(b.chairs) > 1 else "Chair", c) for c in b.chairs] or [("Chair", b.chair)]
    for label, office in (*chairs, ("Business manager / lead officer", b.business_manager)):
        line, c = _office_line(area, label, office)
        lines.append(line)
        cites.extend(c)
        fields.append(Field(label, line.split(": ", 1)[1]))
    meets = b.meets.text if b.meets else "not stated in the protocol"
    if b.meets:
        cites.append(area.cite(b.meets.source))
    lines.append(f"Meets: {meets}")
    fields.append(Field("Meets", meets))
    if b.meets_in_public is not None:
        public = "yes" if b.meets_in_public.value else "no"
        cites.append(area.cite(b.meets_in_public.source))
    else:
        public = "not stated in the protocol"
    lines.append(f"Meets in public: {public}")
    fields.append(Field("Meets in public", public))
    if b.priorities:
        lines.append("Priorities:")
        lines.extend(f"• {p.text}" for p in b.priorities)
        cites.extend(area.cite(p.source) for p in b.priorities[:1])
    if b.functions:
        lines.append("Functions:")
        lines.extend(f"• {f.text}" for f in b.functions[:8])
        if len(b.functions) > 8:
            lines.append(f"• …and {len(b.functions) - 8} more in the protocol")
        cites.extend(area.cite(f.source) for f in b.functions[:1])
    if b.subgroups:
        lines.append("Sub-groups: " + "; ".join(g.name + (f" ({g.meets})" if g.meets else "") for g in b.subgroups))
        cites.extend(area.cite(g.source) for g in b.subgroups)
    members = area.members.get(key, [])
    if members:
        lines.append("Posts on it: " + "; ".join(f"{m.role.title} ({_CAPACITY[m.capacity]})" for m in members))
    if cites:
        lines.append(sources_line(cites))
    text = "\n".join(lines)
    sections = [Section(b.purpose.text if b.purpose else "", heading="Purpose", fields=tuple(fields),
                        citation=area.cite(b.purpose.source) if b.purpose else None)]
    if b.priorities:
        sections.append(Section("\n".join(f"• {p.text}" for p in b.priorities), heading="Priorities"))
    data = {
        "intent": "board",
        "area": area.slug,
        "board": area.board_ref(key),
        "board_kind": b.kind,
        "party": b.party,
        "purpose": b.purpose.text if b.purpose else None,
        "statutory_basis": b.statutory_basis.text if b.statutory_basis else None,
        "chair": b.chair.model_dump(exclude={"source"}) if b.chair else None,
        "chairs": [c.model_dump(exclude={"source"}) for c in b.chairs],
        "councils": b.councils.names if b.councils else [],
        "agreements": [a.key for a in area.protocol.agreements if b.key in a.parties],
        "business_manager": b.business_manager.model_dump(exclude={"source"}) if b.business_manager else None,
        "meets": b.meets.text if b.meets else None,
        "meets_in_public": b.meets_in_public.value if b.meets_in_public else None,
        "priorities": [p.text for p in b.priorities],
        "text": text,
    }
    return Reply(text=text, title=f"{b.short_name} — {b.name}", sections=tuple(sections),
                 citations=tuple(cites), data=cited(data, cites))


@command("boards")
async def boards(ctx: Context) -> Reply:
    """The boards and partnerships of the area, and the groups its protocol links to.

    Examples:
      boards
      boards in Lancashire
    """
    area = ctx.area
    assert area is not None
    party = [b for b in area.protocol.boards if b.party]
    linked = [b for b in area.protocol.boards if not b.party]
    lines = [f"Boards party to {area.name}'s protocol:"]
    only = {b.key: [a.title for a in area.protocol.agreements if b.key in a.parties] for b in party}
    several = len(area.protocol.agreements) > 1
    lines += [f"• {b.short_name} — {b.name}" + (f" (party to: {'; '.join(only[b.key])} only)"
                                                   if several and 0 < len(only[b.key]) < len(area.protocol.agreements) else "")
              for b in party]
    if linked:
        lines.append("Linked groups:")
        lines += [f"• {b.short_name} — {b.name}" for b in linked]
    lines.append('Ask "board <name>" for any of them, e.g. "board ' + party[0].short_name + '".')
    text = "\n".join(lines)
    data = {
        "intent": "boards",
        "area": area.slug,
        "boards": [{**area.board_ref(b.key), "party": b.party, "kind": b.kind} for b in area.protocol.boards],
        "text": text,
    }
    return Reply(
        text=text,
        title=f"Boards — {area.name}",
        sections=tuple(
            s for s in (
                Section("\n".join(f"• *{b.short_name}* — {b.name}" for b in party), heading="Party to the protocol"),
                Section("\n".join(f"• *{b.short_name}* — {b.name}" for b in linked), heading="Linked groups") if linked else None,
            ) if s
        ),
        data=data,
    )


@command("board")
async def board(ctx: Context) -> Reply:
    """A board's purpose, statutory basis, chair, business manager, meetings and priorities.

    Examples:
      board {board}
      tell me about the {other_board}
      what does the {third_board} do?
    """
    phrase = ctx.args.get("board", "")
    b, err = _resolve_board(ctx, phrase)
    if b is None:
        # "what is CSE?" reads like a board question but names a theme
        from bot.commands.lookup import find_theme, lead_reply

        key, _ = find_theme(ctx, phrase)
        if key is not None:
            return lead_reply(ctx, key)
        assert err is not None
        return err
    return board_reply(ctx, b.key)


# --------------------------------------------------------------------------- understood questions

_GENERIC_TITLE = {"chair", "of", "the", "board", "independent"}


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


def _says_nothing_more(title: str, board: Board) -> bool:
    """ "Chair", "CTJCG Chair", "Chair of the CPB": a title that only repeats the office."""
    from bot.language.normalise import tokens

    own = set(tokens(board.short_name)) | set(tokens(board.name)) | {"of", "the", "chair", "board", "business", "manager"}
    return not (set(tokens(title)) - own)


def board_for(ctx: Context, u) -> str | None:
    """The board a question is about: named, a post's own board, the asker's, or the conversation's."""
    area = ctx.area
    assert area is not None
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


def own_boards(ctx: Context) -> set[str]:
    """The boards the asker chairs, manages or is a delegate for, in the area asked about."""
    actor = ctx.request.actor
    kinds = ("chair", "business_manager", "delegated_officer")
    if hasattr(actor, "roles_in"):  # roles held per area
        return set(actor.boards_with(ctx.area.slug, *kinds))
    return set(actor.boards_with(*kinds))


def which_board(ctx: Context, kind: str, question: str) -> Reply:
    """A short clarifying question, with a button per party board (each also typed)."""
    from bot.messages import Button

    area = ctx.area
    assert area is not None
    party = [b for b in area.protocol.boards if b.party]
    options = [(b.short_name, question.format(board=b.short_name)) for b in party]
    text = f"Which board? {area.name}'s are: " + ", ".join(b.short_name for b in party) + ". Type e.g. \u201c" + options[0][1] + "\u201d."
    buttons = tuple(Button(label, "ask", {"q": q, "area": area.slug}) for label, q in options)
    return Reply(text=text, buttons=buttons, data={"intent": kind, "area": area.slug, "text": text, "clarify": True,
                                                   "options": [list(o) for o in options]})


def chair_answer(ctx: Context, u) -> Reply:
    from bot.commands.replies import first_sentences, narrow, search_reply, silent, yes_no

    area = ctx.area
    assert area is not None
    person = u.first("person")
    if person is not None and not u.first("board"):
        return _person_answer(ctx, u, person)
    key = board_for(ctx, u)
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
            return narrow(area, "chair", [" ".join(sentences) or note], cites, more=more, focus=key,
                          title=f"{b.short_name} {label}")
        found = search_reply(area, u, kind="chair")
        if found:
            return found
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
    lines = []
    if named:
        who = "; ".join(o.name + ("" if _says_nothing_more(o.title, b) else f" ({o.title})") for o in named)
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


def _person_answer(ctx: Context, u, person) -> Reply:
    from bot.commands.replies import narrow

    area = ctx.area
    assert area is not None
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
                from bot.commands.replies import first_sentences

                lines.append(first_sentences(office.note))
            cites.append(area.cite(office.source))
        return narrow(area, "chair", lines, cites, focus=board, more=f"board {b.short_name}", silent_=True,
                      data={"person": None, "office": person.get("title")})
    if board and board in area.boards:
        b = area.boards[board]
        office = next((o for o in offices(b, "chair") if o.name and o.name == name), None) or b.chair
        title = f" ({office.title})" if office and not _says_nothing_more(office.title, b) else ""
        lines.append(f"{name} is the chair of the {b.name} ({b.short_name}){title}.")
        if office and office.note:
            from bot.commands.replies import first_sentences

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


def membership_answer(ctx: Context, u) -> Reply:
    from bot.commands.replies import join_names, narrow, search_reply, silent, yes_no

    area = ctx.area
    assert area is not None
    boards = [e.key for e in u.all("board")]
    roles = [e.key for e in u.all("role") if e.key in area.roles]
    orgs = u.all("org")
    if not boards and not roles and not orgs and u.ours:
        mine = sorted(own_boards(ctx))
        if len(mine) == 1:
            boards = mine  # "who sits on our board?"
    if roles and area.vocabulary.role_office.get(roles[0]) and len(boards) == 1 and u.first("role").start < u.first("board").start:
        pass  # "is the LSCB chair on the Children's Trust?": the post, then the board
    if roles and boards:
        r = area.roles[roles[0]]
        target = [b for b in boards if not any(s.board == b and s.capacity == "chairs" for s in r.seats)] or boards
        bkey = target[-1]
        b = area.boards[bkey]
        seat = next((s for s in r.seats if s.board == bkey), None)
        if seat is None:
            on = join_names(area.boards[s.board].short_name for s in r.seats)
            rest = f"the protocol doesn't give the {r.title} a seat on the {b.short_name}" + (f"; it sits on the {on}." if on else ".")
            return narrow(area, "membership", [yes_no(False if u.yesno else None, rest)], [area.cite(s.source) for s in r.seats],
                          more=f"board {b.short_name}", focus=bkey, data={"role": r.title, "board": area.board_ref(bkey)})
        capacity = _CAPACITY[seat.capacity]
        full = u.has("full member", "voting member", "voting", "full")
        if full:
            yes = seat.capacity in ("member", "chairs")
        else:
            yes = True
        how = {"member": "is a member of", "chairs": "chairs", "attends": "attends", "participant_observer": "is a participant observer of",
               "invited": "is invited to"}[seat.capacity]
        rest = f"the {r.title} {how} the {b.name} ({b.short_name})."
        if full and not yes:
            rest = f"the {r.title} is a {capacity} of the {b.short_name}, not a full member."
        return narrow(area, "membership", [yes_no(yes if u.yesno or full else None, rest)], [area.cite(seat.source)],
                      more=f"board {b.short_name}", focus=bkey, data={"role": r.title, "board": area.board_ref(bkey), "capacity": seat.capacity})
    if orgs and boards:
        b = area.boards[boards[0]]
        members = b.membership.members if b.membership else []
        from bot.language.normalise import tokens

        wanted = set(tokens(orgs[0].text))
        hit = next((m for m in members if wanted <= set(tokens(m))), None)
        if hit:
            rest = f"{hit} is on the {b.name} ({b.short_name})."
            return narrow(area, "membership", [yes_no(True if u.yesno else None, rest)], [area.cite(b.membership.source)],
                          more=f"who sits on the {b.short_name}", focus=b.key)
    if orgs and not boards:
        from bot.language.normalise import tokens

        wanted = set(tokens(orgs[0].text))
        on = [(b, m) for b in area.protocol.boards if b.membership for m in b.membership.members if wanted <= set(tokens(m))]
        if on:
            lines = [f"{orgs[0].text.title()} is represented on: " + join_names(b.short_name for b, _ in on) + "."]
            return narrow(area, "membership", lines, [area.cite(b.membership.source) for b, _ in on])
    if roles and not boards:
        r = area.roles[roles[0]]
        if r.seats:
            parts = [f"the {area.boards[s.board].short_name} ({_CAPACITY[s.capacity]})" for s in r.seats]
            lines = [f"The {r.title} sits on " + join_names(parts) + "."]
        else:
            lines = [f"{area.name}'s protocol gives the {r.title} no seat on the boards."]
            if r.responsibilities:
                lines.append(r.responsibilities[0].text)
        return narrow(area, "membership", lines, [area.cite(s.source) for s in r.seats] or [area.cite(x.source) for x in r.responsibilities[:1]],
                      more=f"which boards does the {r.title} sit on", data={"role": r.title,
                      "boards": [{**area.board_ref(s.board), "capacity": s.capacity} for s in r.seats]})
    if len(boards) >= 2 or (u.facet == "both" and len(boards) <= 1):
        pair = boards[:2]
        if len(pair) < 2:
            party = [b.key for b in area.protocol.boards if b.party]
            pair = party if len(party) == 2 else pair
        if len(pair) == 2:
            return _both_answer(ctx, pair[0], pair[1])
    if u.facet in ("organisations", "reference") or not boards:
        found = search_reply(area, u, kind="membership", sections=frozenset({"boards", "roles"}))
        if found and (not boards or u.facet in ("organisations", "reference")):
            if not (boards and u.facet == "organisations" and area.boards[boards[0]].membership):
                return found
    key = board_for(ctx, u)
    if key is None:
        found = search_reply(area, u, kind="membership")
        if found:
            return found
        return which_board(ctx, "membership", "who sits on the {board}?")
    b = area.boards[key]
    seated = [m for m in area.members.get(key, []) if m.capacity != "chairs"]
    cites = [area.cite(m.source) for m in seated]
    lines = []
    if seated:
        lines.append(f"Posts on the {b.name} ({b.short_name}): " + "; ".join(
            f"{m.role.title} ({_CAPACITY[m.capacity]})" for m in seated) + ".")
    if b.membership:
        members = b.membership.members
        shown = members if len(members) <= 10 or u.facet == "organisations" else members[:10]
        lines.append("Organisations represented: " + "; ".join(shown) + ("; …" if len(shown) < len(members) else "") + ".")
        cites.append(area.cite(b.membership.source))
    if not lines:
        ref = next((f.text for f in b.accountability if "membership" in f.text.lower()), "")
        lines.append(silent(area, "membership", f"who sits on the {b.name} ({b.short_name})"))
        if ref:
            lines.append(ref)
        return narrow(area, "membership", lines, cites, more=f"board {b.short_name}", focus=key, silent_=True,
                      data={"board": area.board_ref(key), "posts": [], "organisations": []})
    return narrow(area, "membership", lines, cites, more=f"who sits on the {b.short_name} in full" if False else f"board {b.short_name}",
                  focus=key, data={"board": area.board_ref(key), "posts": [{"title": m.role.title, "capacity": m.capacity} for m in seated],
                                   "organisations": list(b.membership.members) if b.membership else []})


def _both_answer(ctx: Context, a_key: str, b_key: str) -> Reply:
    from bot.commands.replies import narrow

    area = ctx.area
    assert area is not None
    a, b = area.boards[a_key], area.boards[b_key]
    on_a = {m.role.key: m for m in area.members.get(a_key, [])}
    common = [(m, on_a[m.role.key]) for m in area.members.get(b_key, []) if m.role.key in on_a]
    cites = [area.cite(x.source) for pair in common for x in pair]
    if common:
        lines = [f"Posts on both the {a.short_name} and the {b.short_name}: " + "; ".join(
            f"{mb.role.title} ({a.short_name}: {_CAPACITY[ma.capacity]}; {b.short_name}: {_CAPACITY[mb.capacity]})" for mb, ma in common) + "."]
    else:
        lines = [f"{area.name}'s protocol names no post that sits on both the {a.short_name} and the {b.short_name}."]
    return narrow(area, "membership", lines, cites, data={"boards": [area.board_ref(a_key), area.board_ref(b_key)],
                                                          "posts": [mb.role.title for mb, _ in common]})


_FACET_FIELDS = {"statutory": ("statutory_basis",), "independence": ("independence",), "accountability": ("accountability",),
                 "priorities": ("priorities",), "purpose": ("purpose", "functions")}


def other_answer(ctx: Context, u) -> Reply:
    """Other facts: a board's basis, purpose, priorities, accountability; a sub-group; a post's role."""
    from bot.commands.replies import (
        first_sentences,
        narrow,
        search_reply,
        silent,
        unknown_words,
        yes_no,
    )

    area = ctx.area
    assert area is not None
    sub = u.first("subgroup")
    if sub is not None and not u.yesno:
        bkey, _, idx = sub.key.partition(":")
        g = area.boards[bkey].subgroups[int(idx)]
        lines = [f"The {g.name} (part of the {area.boards[bkey].short_name}): {g.text or 'the protocol gives no detail of its work.'}"]
        if g.meets:
            lines.append(f"It meets {g.meets}.")
        return narrow(area, "other", lines, [area.cite(g.source)], more=f"board {area.boards[bkey].short_name}", focus=bkey)
    board = u.first("board")
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
            lines = [f"{area.name}'s protocol doesn't say anything about {' '.join(unknown)}."]
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
    return nothing_found(ctx, u)


def _topic_words(u) -> list[str]:
    """Words of the question beyond its names and the facet asked: a narrower topic to search for."""
    from bot.language import lexicon

    named = {i for e in u.entities if e.type in ("board", "role", "person") for i in range(e.start, e.end)}
    return [w for i, w in enumerate(u.tokens) if i not in named and w not in lexicon.STOPWORDS and w not in lexicon.cue_words()
            and not w.isdigit()] + [e.text for e in u.entities if e.type == "theme"]


def nothing_found(ctx: Context, u) -> Reply:
    area = ctx.area
    assert area is not None
    text = (f"Sorry, I didn't understand \u201c{ctx.request.text.strip()}\u201d, and found nothing like it in {area.name}'s "
            f"protocol. Try naming a board, a theme or a post, e.g. \u201cwho leads on CSE?\u201d, \u201cwho chairs the "
            f"{area.protocol.boards[0].short_name}?\u201d.\nType \"help\" for what I can answer, with examples.")
    return Reply(text=text, ok=False, data={"intent": "unknown", "area": area.slug, "text": text, "silent": True})

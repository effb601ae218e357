"""The boards of an area: what each is, who chairs and manages it, who sits on it."""

from __future__ import annotations

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
    for label, office in (("Chair", b.chair), ("Business manager / lead officer", b.business_manager)):
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
        "kind": b.kind,
        "party": b.party,
        "purpose": b.purpose.text if b.purpose else None,
        "statutory_basis": b.statutory_basis.text if b.statutory_basis else None,
        "chair": b.chair.model_dump(exclude={"source"}) if b.chair else None,
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
    lines += [f"• {b.short_name} — {b.name}" for b in party]
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
      board BSCB
      tell me about the safeguarding adults board
      what does the HWB do?
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


def _office_reply(ctx: Context, board: Board, which: str) -> Reply:
    area = ctx.area
    assert area is not None
    office = board.chair if which == "chair" else board.business_manager
    label = "chair" if which == "chair" else "business manager / lead officer"
    if office is None:
        text = f"{area.name}'s protocol does not name the {label} of the {board.name} ({board.short_name})."
        return Reply(text=text, data={"intent": which, "area": area.slug, "board": area.board_ref(board.key),
                                      "office": None, "source": None, "text": text})
    cite = area.cite(office.source)
    who = office.title + (f": {office.name}" if office.name else "")
    text = f"The {label} of the {board.name} ({board.short_name}) is the {who}."
    if office.note:
        text += f"\n{office.note}"
    text += f"\nSource: {cite.label()}."
    data = {"intent": which, "area": area.slug, "board": area.board_ref(board.key),
            "office": {"title": office.title, "name": office.name, "note": office.note}, "text": text}
    return Reply(text=text, title=f"{board.short_name} {label}", citations=(cite,), data=cited(data, [cite]))


@command("chair")
async def chair(ctx: Context) -> Reply:
    """Who chairs a board, as the protocol names them.

    Examples:
      who chairs the adults board?
      HWB chair
    """
    b, err = _resolve_board(ctx, ctx.args.get("board", ""))
    return err if b is None else _office_reply(ctx, b, "chair")  # type: ignore[return-value]


@command("manager")
async def manager(ctx: Context) -> Reply:
    """A board's business manager or lead officer.

    Examples:
      who is the business manager for the BSAB?
      SSBPB lead officer
    """
    b, err = _resolve_board(ctx, ctx.args.get("board", ""))
    return err if b is None else _office_reply(ctx, b, "manager")  # type: ignore[return-value]


@command("members")
async def members(ctx: Context) -> Reply:
    """Who sits on a board: the posts the protocol names and the organisations represented.

    Examples:
      who sits on the HWB?
      membership of the LSCB
    """
    area = ctx.area
    assert area is not None
    b, err = _resolve_board(ctx, ctx.args.get("board", ""))
    if b is None:
        return err  # type: ignore[return-value]
    seated = area.members.get(b.key, [])
    cites = [area.cite(m.source) for m in seated]
    lines = [f"Who sits on the {b.name} ({b.short_name}):"]
    if b.chair:
        lines.append(f"• Chair: {b.chair.title}" + (f" — {b.chair.name}" if b.chair.name else ""))
    lines += [f"• {m.role.title} — {_CAPACITY[m.capacity]}" for m in seated if m.capacity != "chairs"]
    lines += [f"• {m.role.title} — chairs" for m in seated if m.capacity == "chairs" and not b.chair]
    if b.membership:
        lines.append("Organisations represented: " + "; ".join(b.membership.members))
        cites.append(area.cite(b.membership.source))
    if len(lines) == 1:
        lines.append("The protocol names no members for this board.")
    if cites:
        lines.append(sources_line(cites))
    text = "\n".join(lines)
    data = {
        "intent": "members",
        "area": area.slug,
        "board": area.board_ref(b.key),
        "posts": [{"title": m.role.title, "capacity": m.capacity} for m in seated],
        "organisations": list(b.membership.members) if b.membership else [],
        "text": text,
    }
    return Reply(text=text, title=f"Members — {b.short_name}", citations=tuple(cites), data=cited(data, cites))


@command("both")
async def both(ctx: Context) -> Reply:
    """Common membership: the posts that sit on two boards.

    Examples:
      who sits on both the HWB and the LSCB?
    """
    area = ctx.area
    assert area is not None
    a, err = _resolve_board(ctx, ctx.args.get("a", ""))
    if a is None:
        return err  # type: ignore[return-value]
    b, err = _resolve_board(ctx, ctx.args.get("b", ""))
    if b is None:
        return err  # type: ignore[return-value]
    on_a = {m.role.key: m for m in area.members.get(a.key, [])}
    common = [(m, on_a[m.role.key]) for m in area.members.get(b.key, []) if m.role.key in on_a]
    cites = [area.cite(x.source) for pair in common for x in pair]
    if common:
        lines = [f"Posts on both the {a.short_name} and the {b.short_name}:"]
        lines += [f"• {mb.role.title} ({a.short_name}: {_CAPACITY[ma.capacity]}; {b.short_name}: {_CAPACITY[mb.capacity]})"
                  for mb, ma in common]
        lines.append("Common members carry information between the boards; declare it when one board challenges the other.")
        lines.append(sources_line(cites))
    else:
        lines = [f"{area.name}'s protocol names no post that sits on both the {a.short_name} and the {b.short_name}."]
    text = "\n".join(lines)
    data = {"intent": "both", "area": area.slug, "boards": [area.board_ref(a.key), area.board_ref(b.key)],
            "posts": [mb.role.title for mb, _ in common], "text": text}
    return Reply(text=text, title=f"Common membership — {a.short_name} and {b.short_name}",
                 citations=tuple(cites), data=cited(data, cites))


def seats_reply(ctx: Context, role_key: str) -> Reply:
    area = ctx.area
    assert area is not None
    role = area.roles[role_key]
    cites = [area.cite(s.source) for s in role.seats]
    if role.seats:
        lines = [f"The {role.title} sits on:"]
        lines += [f"• {area.board_label(s.board)} — {_CAPACITY[s.capacity]}" for s in role.seats]
    else:
        lines = [f"{area.name}'s protocol gives the {role.title} no seat on the boards."]
    for r in role.responsibilities:
        lines.append(f"Role: {r.text}")
        cites.append(area.cite(r.source))
    if cites:
        lines.append(sources_line(cites))
    text = "\n".join(lines)
    data = {"intent": "seats", "area": area.slug, "role": role.title,
            "boards": [{**area.board_ref(s.board), "capacity": s.capacity} for s in role.seats], "text": text}
    return Reply(text=text, title=role.title, citations=tuple(cites), data=cited(data, cites))


@command("seats")
async def seats(ctx: Context) -> Reply:
    """Which boards a post (or named person) sits on, from the protocol's common membership.

    Examples:
      which boards does the Director of Children's Services sit on?
      where does the DPH sit?
    """
    area = ctx.area
    assert area is not None
    phrase = ctx.args.get("role", "")
    found = area.find_role(phrase)
    if found.match:
        return seats_reply(ctx, found.match.key)
    posts = "; ".join(r.title for r in area.protocol.roles) or "none"
    hint = f"Posts the protocol names: {posts}."
    if found.suggestions:
        return error(f"I don't know the post \u201c{phrase}\u201d in {area.name}. Did you mean "
                     + " or ".join(area.roles[k].title for k in found.suggestions) + "?", hint=hint)
    return error(f"I don't know the post \u201c{phrase}\u201d in {area.name}.", hint=hint)

"""A board's profile: what it is, who chairs and manages it, when it meets, what it does."""

from __future__ import annotations

from bot.commands import Context, cited, sources_line
from bot.commands.replies import CAPACITY
from bot.knowledge import KIND_LABELS, AreaKnowledge
from bot.messages import Citation, Field, Reply, Section


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
        lines.append("Posts on it: " + "; ".join(f"{m.role.title} ({CAPACITY[m.capacity]})" for m in members))
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

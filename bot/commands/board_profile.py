"""A board's profile: what it is, who chairs and manages it, when it meets, what it does.

``board <name>`` and "tell me about the adults board" both answer with it. The profile is
written part by part (each adds its lines, the clauses it cites and the fields a card shows)
in the order a reader wants them: what the board is, its posts, its meetings, its work.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.board_kinds import KIND_LABELS
from bot.commands.replies import CAPACITY, cited, sources_line
from bot.context import Context
from bot.knowledge import AreaKnowledge
from bot.messages import Citation, Field, Reply, Section
from storage.protocol.schema import Board, Office

# the most functions a profile lists; the rest are counted
_FUNCTIONS_SHOWN = 8


@dataclass
class _Profile:
    """What the profile has said so far: its lines, the clauses behind them, the card's fields."""

    lines: list[str] = field(default_factory=list)
    cites: list[Citation] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)


def _office_line(area: AreaKnowledge, label: str, office: Office | None) -> tuple[str, list[Citation]]:
    if office is None:
        return f"{label}: not named in the protocol", []
    who = office.title + (f" — {office.name}" if office.name else "")
    if office.note:
        who += f" ({office.note})"
    return f"{label}: {who}", [area.cite(office.source)]


def _what_it_is(area: AreaKnowledge, b: Board, p: _Profile) -> None:
    """Its name and kind, purpose, statutory basis, the agreements it is party to, the councils it covers."""
    p.lines.append(f"{b.name} ({b.short_name}) — {KIND_LABELS[b.kind]}" + ("" if b.party else "; linked to the protocol, not a party to it"))
    if b.purpose:
        p.lines.append(f"Purpose: {b.purpose.text}")
        p.cites.append(area.cite(b.purpose.source))
    if b.statutory_basis:
        p.lines.append(f"Statutory basis: {b.statutory_basis.text}")
        p.cites.append(area.cite(b.statutory_basis.source))
    if area.protocol.agreements:  # one document, several relationships: say which this board is party to
        ins = [a for a in area.protocol.agreements if b.key in a.parties]
        outs = [a for a in area.protocol.agreements if b.key not in a.parties]
        if ins:
            p.lines.append("Party to: " + "; ".join(a.title for a in ins) + (
                " (not to: " + "; ".join(a.title for a in outs) + ")" if outs else ""))
        p.cites.extend(area.cite(a.source) for a in ins or outs)
    if b.councils:
        p.lines.append("Covers: " + ", ".join(b.councils.names))
        p.cites.append(area.cite(b.councils.source))


def _posts(area: AreaKnowledge, b: Board, p: _Profile) -> None:
    """Its chair (or co-chairs) and business manager, named or "not named in the protocol"."""
    chairs = [("Co-chair" if len(b.chairs) > 1 else "Chair", c) for c in b.chairs] or [("Chair", b.chair)]
    for label, office in (*chairs, ("Business manager / lead officer", b.business_manager)):
        line, c = _office_line(area, label, office)
        p.lines.append(line)
        p.cites.extend(c)
        p.fields.append(Field(label, line.split(": ", 1)[1]))


def _meetings(area: AreaKnowledge, b: Board, p: _Profile) -> None:
    """How often it meets and whether in public, each said even where the protocol does not say."""
    meets = b.meets.text if b.meets else "not stated in the protocol"
    if b.meets:
        p.cites.append(area.cite(b.meets.source))
    p.lines.append(f"Meets: {meets}")
    p.fields.append(Field("Meets", meets))
    if b.meets_in_public is not None:
        public = "yes" if b.meets_in_public.value else "no"
        p.cites.append(area.cite(b.meets_in_public.source))
    else:
        public = "not stated in the protocol"
    p.lines.append(f"Meets in public: {public}")
    p.fields.append(Field("Meets in public", public))


def _work(area: AreaKnowledge, b: Board, p: _Profile) -> None:
    """Its priorities, functions, sub-groups and the posts that sit on it."""
    if b.priorities:
        p.lines.append("Priorities:")
        p.lines.extend(f"• {x.text}" for x in b.priorities)
        p.cites.extend(area.cite(x.source) for x in b.priorities[:1])
    if b.functions:
        p.lines.append("Functions:")
        p.lines.extend(f"• {f.text}" for f in b.functions[:_FUNCTIONS_SHOWN])
        if len(b.functions) > _FUNCTIONS_SHOWN:
            p.lines.append(f"• …and {len(b.functions) - _FUNCTIONS_SHOWN} more in the protocol")
        p.cites.extend(area.cite(f.source) for f in b.functions[:1])
    if b.subgroups:
        p.lines.append("Sub-groups: " + "; ".join(g.name + (f" ({g.meets})" if g.meets else "") for g in b.subgroups))
        p.cites.extend(area.cite(g.source) for g in b.subgroups)
    members = area.members.get(b.key, [])
    if members:
        p.lines.append("Posts on it: " + "; ".join(f"{m.role.title} ({CAPACITY[m.capacity]})" for m in members))


def _sections(area: AreaKnowledge, b: Board, p: _Profile) -> tuple[Section, ...]:
    """The card: the purpose with the posts and meetings as fields, then the priorities."""
    sections = [Section(b.purpose.text if b.purpose else "", heading="Purpose", fields=tuple(p.fields),
                        citation=area.cite(b.purpose.source) if b.purpose else None)]
    if b.priorities:
        sections.append(Section("\n".join(f"• {x.text}" for x in b.priorities), heading="Priorities"))
    return tuple(sections)


def _data(area: AreaKnowledge, b: Board, text: str) -> dict:
    """The profile as JSON (``boardbot ask --json``, the tests)."""
    return {
        "intent": "board",
        "area": area.slug,
        "board": area.board_ref(b.key),
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
        "priorities": [x.text for x in b.priorities],
        "text": text,
    }


def board_reply(ctx: Context, key: str) -> Reply:
    """The profile of board ``key`` of the asked area, every line cited."""
    area = ctx.here
    b = area.boards[key]
    p = _Profile()
    for part in (_what_it_is, _posts, _meetings, _work):
        part(area, b, p)
    if p.cites:
        p.lines.append(sources_line(p.cites))
    text = "\n".join(p.lines)
    return Reply(text=text, title=f"{b.short_name} — {b.name}", sections=_sections(area, b, p),
                 citations=tuple(p.cites), data=cited(_data(area, b, text), p.cites))

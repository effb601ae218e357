"""Which theme a phrase names, and a theme's full entry: its lead, supporting boards, notes and clause.

Shared by the ``theme`` and ``board`` commands ("board CSE" names a theme) and by the
answers to understood questions, which say a theme's name the same way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.commands.replies import cited, unique
from bot.context import Context
from bot.knowledge import AreaKnowledge
from bot.language.match import Lookup
from bot.language.normalise import tokens
from bot.messages import Citation, Field, Reply, Section

_STRICT = ("exact", "contained", "corrected")
GLOBAL_FUZZY_LIMIT = 5000


def _span(lookup: Lookup) -> int:
    m = lookup.match
    return (m.end - m.start) if m and m.method in _STRICT else 0


def find_theme(ctx: Context, phrase: str) -> tuple[str | None, Lookup]:
    """The theme key ``phrase`` names: the area's own themes first, then any area's.

    A longer phrase known from another area's protocol beats a shorter one of this area
    ("hate and mate crime" is the hate crime theme, not this area's "crime"), and a strict
    match anywhere beats a fuzzy one here.
    """
    t = tokens(phrase)
    local = ctx.here.theme_matcher.lookup(t)
    vocabulary = ctx.knowledge.theme_vocabulary
    # whole-phrase similarity over every area's vocabulary is cheap at real sizes; past
    # a few thousand phrases (a synthetic 1,000-area load) it is left to spelling correction
    known = vocabulary.lookup(t, fuzzy=len(vocabulary) <= GLOBAL_FUZZY_LIMIT)
    if local.match and known.match and known.match.key != local.match.key:
        if _span(known) > _span(local):
            return known.match.key, known
    if local.match:
        return local.match.key, local
    if known.match:
        return known.match.key, known
    suggestions = list(local.suggestions)
    for key in known.suggestions:
        if key not in suggestions:
            suggestions.append(key)
    return None, Lookup(None, tuple(suggestions[:4]))


_BRACKETED = re.compile(r"\([^)]*\)")


@lru_cache(maxsize=4096)
def in_sentence(name: str) -> str:
    """'Domestic abuse' -> 'domestic abuse' mid-sentence; proper names and acronyms are kept.
    (Remembered: the same names of themes come back answer after answer.)"""
    outside = _BRACKETED.sub("", name)
    if len(outside) > 1 and outside[0].isupper() and not any(c.isupper() for c in outside[1:]):
        return name[0].lower() + name[1:]
    return name


def theme_name(ctx: Context, key: str) -> str:
    """The theme's name in this area's protocol, else in any area's, else its key in words."""
    theme = ctx.here.themes.get(key)
    return theme.name if theme else ctx.knowledge.theme_names.get(key, key.replace("_", " "))


def lead_reply(ctx: Context, key: str) -> Reply:
    area = ctx.here
    theme = area.themes.get(key)
    name = theme_name(ctx, key)
    if theme is None:
        return _no_lead_named(area, key, name)

    cites: list[Citation] = [area.cite(theme.source)]
    leads = [area.board_ref(k) for k in theme.leads]
    lines: list[str] = []
    sections: list[Section] = []
    if not leads:
        lines.append(f"{area.name}'s protocol names no single lead board for {in_sentence(name)}.")
        lines.append(theme.no_lead or "")
        sections.append(Section(theme.no_lead or "", heading="No single lead", citation=cites[0]))
    else:
        label = " and ".join(area.board_label(k) for k in theme.leads)
        head = f"Joint lead: {label}." if len(leads) > 1 else f"Lead: {label}."
        lines.append(head)
        if theme.lead_role:
            lines.append(theme.lead_role)
        sections.append(
            Section(theme.lead_role or "", heading="Joint lead" if len(leads) > 1 else "Lead", citation=cites[0],
                    fields=tuple(Field(b["short_name"], b["name"]) for b in leads))
        )
    supporting = []
    if theme.supporting:
        lines.append("Supporting:")
        for s in theme.supporting:
            ref = area.board_ref(s.board)
            supporting.append({**ref, "role": s.role, "source": area.cite(s.source).as_json()})
            lines.append(f"• {ref['short_name']} ({ref['name']}): {s.role}")
            cites.append(area.cite(s.source))
        sections.append(
            Section(
                "\n".join(f"• *{area.boards[s.board].short_name}*: {s.role}" for s in theme.supporting),
                heading="Supporting",
            )
        )
    for note in theme.notes:
        lines.append(f"Note: {note.text}")
        cites.append(area.cite(note.source))
    lines.append(f"Source: {cites[0].label()}.")
    text = "\n".join(x for x in lines if x)
    data = {
        "intent": "lead",
        "area": area.slug,
        "theme": theme.name,
        "theme_key": theme.key,
        "leads": leads,
        "joint": len(leads) > 1,
        "supporting": supporting,
        "no_lead": theme.no_lead,
        "text": text,
    }
    return Reply(
        text=text,
        title=f"{theme.name} — {area.name}",
        sections=tuple(sections),
        citations=tuple(unique(cites)),
        data=cited(data, unique(cites)),
    )


def _not_entered_reply(area: AreaKnowledge, key: str | None, name: str | None, section: str) -> Reply:
    """A theme this area's file does not have, where the themes are not transcribed yet:
    say so, never "the protocol names no lead"."""
    text = area.not_entered(section)
    data = {"intent": "lead", "area": area.slug, "theme": name, "theme_key": key, "leads": [], "joint": False,
            "supporting": [], "no_lead": None, "not_transcribed": section, "source": None, "sources": [], "text": text}
    return Reply(text=text, title=f"{name or 'Themes'} — {area.name}", sections=(Section(text, heading="Not entered yet"),),
                 data=data)


def _no_lead_named(area: AreaKnowledge, key: str, name: str) -> Reply:
    if not area.transcribed("themes"):
        return _not_entered_reply(area, key, name, "themes")
    guidance = area.protocol.new_themes
    if guidance is None:  # new_themes not transcribed
        text = f"{area.name}'s protocol names no lead board for {in_sentence(name)}.\n{area.not_entered('new_themes')}"
        return Reply(text=text, title=f"{name} — {area.name}",
                     data={"intent": "lead", "area": area.slug, "theme": name, "theme_key": key, "leads": [],
                           "joint": False, "supporting": [], "no_lead": text.splitlines()[0],
                           "not_transcribed": "new_themes", "source": None, "sources": [], "text": text})
    cite = area.cite(guidance.source)
    text = (
        f"{area.name}'s protocol names no lead board for {in_sentence(name)}.\n"
        f"What it says about a theme like this: {guidance.text}\n"
        f"Source: {cite.label()}."
    )
    data = {
        "intent": "lead",
        "area": area.slug,
        "theme": name,
        "theme_key": key,
        "leads": [],
        "joint": False,
        "supporting": [],
        "no_lead": f"{area.name}'s protocol names no lead board for {in_sentence(name)}.",
        "text": text,
    }
    return Reply(
        text=text,
        title=f"{name} — {area.name}",
        sections=(
            Section(f"{area.name}'s protocol names no lead board for {in_sentence(name)}.", heading="No lead named"),
            Section(guidance.text, heading="What the protocol says to do", citation=cite),
        ),
        citations=(cite,),
        data=cited(data, [cite]),
    )


def unknown_theme_reply(ctx: Context, phrase: str, suggestions: tuple[str, ...]) -> Reply:
    area = ctx.here
    guidance = area.protocol.new_themes
    cites = [area.cite(guidance.source)] if guidance else []
    names = [theme_name(ctx, k) for k in suggestions]
    lines = [f"I couldn't find \u201c{phrase}\u201d among the themes of {area.name}'s protocol."]
    if names:
        lines.append("Did you mean: " + "; ".join(names) + "?")
    if not area.transcribed("themes"):
        lines.append(area.not_entered("themes"))
    if guidance:
        lines.append(f"If it is a new cross-cutting theme, the protocol says: {guidance.text}")
        lines.append(f"Source: {cites[0].label()}.")
    else:
        lines.append(area.not_entered("new_themes"))
    lines.append('Type "themes" to list the themes it names.')
    text = "\n".join(lines)
    data = {
        "intent": "lead",
        "area": area.slug,
        "theme": None,
        "theme_key": None,
        "leads": [],
        "joint": False,
        "supporting": [],
        "suggestions": names,
        "text": text,
    }
    return Reply(text=text, title=f"Not found — {area.name}", citations=tuple(cites), data=cited(data, cites), ok=False)

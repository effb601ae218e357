"""Examples in help and hints, from the asking area's own protocol.

A command's docstring is its help text, written once for every area. Where it needs a
board, an area or a theme it says ``{board}``, ``{other_board}``, ``{third_board}``,
``{area}`` or ``{theme}``, and :func:`localise` fills these in from the area the request
is about: Suffolk's help shows Suffolk's boards, an area boardbot was not built from shows
its own. With no area known the placeholders read as what to type (``<board>``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.knowledge import AreaKnowledge, Knowledge

_PLACEHOLDER = re.compile(r"\{(board|other_board|third_board|area|other_area|theme)\}")
_GENERIC = {"board": "<board>", "other_board": "<another board>", "third_board": "<another board>",
            "area": "<area>", "other_area": "<area>", "theme": "CSE"}
# the board a help example is most often about first: the children's board, then health and wellbeing
_FIRST_KINDS = ("safeguarding_children", "health_and_wellbeing", "safeguarding_adults", "community_safety")


def example_words(area: AreaKnowledge | None, knowledge: Knowledge | None = None) -> dict[str, str]:
    """What each placeholder means for ``area``: its boards' short names, its name, a theme it names."""
    words = dict(_GENERIC)
    if knowledge is not None and knowledge.areas:
        words["area"] = words["other_area"] = next(iter(knowledge.areas.values())).name
    if area is None:
        return words
    parties = [b for b in area.protocol.boards if b.party] or list(area.protocol.boards)
    ranked = sorted(parties, key=lambda b: _FIRST_KINDS.index(b.kind) if b.kind in _FIRST_KINDS else len(_FIRST_KINDS))
    for slot, board in zip(("board", "other_board", "third_board"), ranked, strict=False):
        words[slot] = board.short_name
    if len(ranked) == 1:
        words["other_board"] = words["third_board"] = ranked[0].short_name
    elif len(ranked) == 2:
        words["third_board"] = ranked[0].short_name
    words["area"] = area.name
    if knowledge is not None:
        others = [a.name for a in knowledge.areas.values() if a.slug != area.slug]
        words["other_area"] = others[0] if others else area.name
    else:
        words["other_area"] = area.name
    # the theme members ask about most, where this area names a lead for it; else its first led theme
    led = sorted((t for t in area.protocol.themes if t.leads), key=lambda t: t.key != "cse")
    if led:
        names = [a for a in (led[0].name, *led[0].aliases) if len(a) >= 2]
        short = min(names, key=lambda a: (not a.isupper(), len(a)))
        words["theme"] = short if short.isupper() else short.lower()
    return words


def localise(text: str, area: AreaKnowledge | None, knowledge: Knowledge | None = None) -> str:
    """``text`` with its example placeholders filled in from ``area``."""
    if "{" not in text:
        return text
    words = example_words(area, knowledge)
    return _PLACEHOLDER.sub(lambda m: words[m.group(1)], text)

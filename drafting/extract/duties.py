"""Themes a board's own functions make it the lead for, and themes listed as shared.

Protocols often state who leads only through each board's functions ("The LSCB …
undertakes reviews of serious cases", "The HWB prepares the Joint Strategic Needs
Assessment"). Within the section headed by a party board, an item or sentence naming one
of the standard topics of English partnership boards (the statutory functions of
safeguarding children and adults boards, health and wellbeing boards, community safety
partnerships and corporate parenting boards) is drafted as a theme that board leads on,
citing that item. Themes listed under "shared priorities" or "themes of common interest"
with no lead named anywhere are drafted with ``no_lead`` quoting the list.
"""

from __future__ import annotations

import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import cite, sentences
from drafting.extract.theme_names import split_themes
from drafting.model import Block, Document, clean

# (theme name, what names it, the kinds of board it belongs to; empty = any)
TOPICS: list[tuple[str, str, tuple[str, ...]]] = [
    ("Safeguarding children", r"safeguard(?:ing)? and promot(?:e|ing) the welfare of children|\bsafeguarding children\b|children'?s safeguarding|keeping children (?:and young people )?safe", ("safeguarding_children",)),
    ("Safeguarding adults", r"adults? at risk|adult safeguarding|safeguarding adults|safeguarding of (?:vulnerable )?adults|protect(?:ion of)? adults", ("safeguarding_adults",)),
    ("Joint Strategic Needs Assessment (JSNA)", r"joint strategic needs assessment|\bjsna\b", ("health_and_wellbeing",)),
    ("Joint Health and Wellbeing Strategy", r"health and well-?being strateg", ("health_and_wellbeing",)),
    ("Health and wellbeing outcomes", r"health inequalities|improv\w+ (?:the )?health and well-?being|health and well-?being (?:outcomes|of (?:the|their) (?:local )?population)", ("health_and_wellbeing",)),
    ("Integrated commissioning", r"integrated (?:commissioning|approaches|working)|section 75|joint commissioning|commissioning decisions", ("health_and_wellbeing", "commissioning", "childrens_trust")),
    ("Better Care Fund (BCF)", r"better care fund", ()),
    ("Pharmaceutical needs assessment (PNA)", r"pharmaceutical needs", ()),
    ("Serious case reviews", r"serious case reviews?|reviews? of serious cases|child safeguarding practice reviews?", ("safeguarding_children",)),
    ("Safeguarding Adult Reviews", r"safeguarding adults? reviews?", ("safeguarding_adults",)),
    ("Child deaths", r"child deaths?|deaths of (?:all )?children|child death overview", ("safeguarding_children",)),
    ("Private fostering", r"privately fostered|private fostering", ("safeguarding_children",)),
    ("Thresholds for intervention", r"thresholds?(?: for intervention)?", ("safeguarding_children",)),
    ("Multi-agency safeguarding training", r"training of (?:persons|people)|multi-agency training|safeguarding training|provide multi-agency training", ("safeguarding_children", "safeguarding_adults")),
    ("Allegations against people who work with children", r"allegations", ("safeguarding_children",)),
    ("Safer recruitment and supervision", r"recruitment and supervision", ("safeguarding_children",)),
    ("Cross-border co-operation", r"cross-border|neighbouring (?:children'?s services )?authorities|across borders", ("safeguarding_children",)),
    ("Early help", r"\bearly help\b|early intervention", ("safeguarding_children", "early_help", "childrens_trust")),
    ("Looked after children and care leavers", r"looked after children|children in care|care leavers|corporate parent", ("corporate_parenting",)),
    ("Community safety and crime and disorder", r"crime and disorder|community safety (?:priorities|agreement|plan)|reduc\w+ crime", ("community_safety",)),
    ("Children and Young People's Plan (CYPP)", r"children and young people'?s plan|\bcypp\b", ("childrens_trust",)),
]
_SHARED = re.compile(r"shared priorities|themes? of (?:common|shared|mutual) interest|cross[- ]cutting (?:themes|issues|priorities)|common (?:themes|priorities)|priorities (?:which|that) (?:are )?shared|areas of (?:shared|common|joint) (?:interest|concern|working)", re.I)


def _sections(doc: Document, index: BoardIndex) -> dict[str, list[Block]]:
    """Each party board's own section: the blocks under a heading naming that board alone."""
    out: dict[str, list[Block]] = {}
    current: tuple[str, int] | None = None
    for b in doc.blocks:
        if b.kind == "heading":
            ks = index.keys_in(b.text)
            rest = b.text
            for _k, s0, e0 in sorted(index.find(b.text), key=lambda t: -t[1]):
                rest = rest[:s0] + rest[e0:]
            named_alone = len(ks) == 1 and len(b.text) < 90 and not re.search(r"\b(?:and|between|relationship|with|links?)\b|&", rest, re.I)
            if named_alone:
                current = (ks[0], b.level)
                continue
            if current and b.level <= current[1]:
                current = None
            continue
        if current:
            out.setdefault(current[0], []).append(b)
    return out


def duty_themes(doc: Document, index: BoardIndex, key: str = "protocol") -> list[dict]:
    out: list[dict] = []
    found: dict[str, tuple[str, Block, str]] = {}
    for board, blocks in _sections(doc, index).items():
        kind = index.by_key(board).kind
        for b in blocks:
            if b.kind not in ("item", "paragraph"):
                continue
            for s in sentences(b.text):
                for name, rx, kinds in TOPICS:
                    if name in found or (kinds and kind not in kinds):
                        continue
                    if re.search(rx, s, re.I):
                        found[name] = (board, b, s)
    for name, (board, b, s) in found.items():
        out.append({"key": "", "name": name, "leads": [board], "lead_role": clean(s)[:600],
                    "source": cite(doc, b, s, key=key).source()})
    return out


def shared_themes(doc: Document, key: str = "protocol") -> list[dict]:
    """Themes a protocol lists as shared priorities; the lead is filled in later, or none."""
    out = []
    for i, b in enumerate(doc.blocks):
        if b.kind not in ("paragraph", "heading") or not _SHARED.search(b.text):
            continue
        j = i + 1
        while j < len(doc.blocks) and doc.blocks[j].kind == "paragraph" and len(doc.blocks[j].text) > 120 and j < i + 2:
            j += 1
        while j < len(doc.blocks) and doc.blocks[j].kind == "item":
            item = doc.blocks[j]
            text = re.sub(r"^(?:other )?[\w\s]*?(?:issues|matters|themes) such as\s+", "", item.text, flags=re.I)
            text = re.sub(r",?\s+and\s*$", "", text)
            for name in split_themes(text):
                out.append({"key": "", "name": name, "source": cite(doc, item, key=key).source(), "_list": clean(b.text)})
            j += 1
    return out

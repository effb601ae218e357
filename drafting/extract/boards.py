"""The boards party to the protocol: who they are, their short names and kinds.

Only bodies the document makes parties count: those named in its title or opening
"between … and …", in a list introduced as the protocol's parties, or in its signatures.
A body that is only mentioned (a sub-group, a linked board, "other local partnerships such
as …") is never drafted as a board. Where a document states none of these, boards with a
numbered section of their own are taken instead, and the draft's header says so.
"""

from __future__ import annotations

import re
from collections import Counter

from drafting.extract.board_index import PLACE_STOP, BoardEntity, compatible
from drafting.extract.common import Cite, cite, slug_key
from drafting.extract.names import find_names, initials, kind_of, normal_words
from drafting.extract.parties import (
    heading_fallback,
    is_excluded,
    not_parties,
    opening_fallback,
    party_candidates,
)
from drafting.model import Document, clean


def area_name(names: list[str]) -> str | None:
    """The place most party boards' names begin with ('Central Bedfordshire')."""
    prefixes = Counter()
    for n in names:
        words = n.split()
        place = []
        for w in words:
            if w.lower().strip(",") in PLACE_STOP or w.lower() in ("board", "partnership"):
                break
            place.append(w)
        if place and len(place) < len(words):
            p = " ".join(place).strip(",")
            prefixes[p] += 1
    if not prefixes:
        return None
    best = prefixes.most_common()
    # prefer the shortest prefix shared by most names ("Central Bedfordshire" over "Bedford Borough and …")
    top = best[0][1]
    return min((p for p, c in best if c == top), key=len)


def build_boards(doc: Document, key: str = "protocol") -> tuple[list[BoardEntity], str]:
    """The party boards of ``doc``, and which evidence decided them."""
    cands = party_candidates(doc)
    evidence = "title, opening, parties list or signatures"
    excluded = not_parties(doc)
    named = [c for c in cands if c.mention.name and not is_excluded(c.mention.name, excluded)]
    if not named:
        named = opening_fallback(doc, excluded)
        evidence = "the opening section (the document names no parties in its title or signatures, nor says who is party)"
    if not named:
        named = heading_fallback(doc)
        evidence = "sections of their own (the document names no parties in its title, opening or signatures)"
    entities: list[BoardEntity] = []
    for c in named:
        w = normal_words(c.mention.name)
        kind = kind_of(c.mention.name)
        hit = None
        for e in entities:
            if (c.mention.abbr and c.mention.abbr in e.abbrs) or compatible(w, e.words, kind, e.kind):
                hit = e
                break
        if hit is None:
            hit = BoardEntity(key="", name=c.mention.name, short_name="", kind=kind, words=w,
                              cite=cite(doc, c.block, c.quote, key=key), evidence=c.evidence)
            if c.evidence == "title":
                hit.cite = Cite("Title", clean(c.quote)[:400], key)
            entities.append(hit)
        hit.names.add(c.mention.name)
        if hit.kind == "other" and kind != "other":
            hit.kind = kind
            hit.name = c.mention.name
        if len(w) > len(hit.words):
            hit.words = w
            if c.evidence in ("title", "list", "between") or not hit.name:
                hit.name = c.mention.name
        if c.mention.abbr:
            hit.abbrs.add(c.mention.abbr)
    # bracketed abbreviations anywhere in the document ("… Safeguarding Adults Board (SAB)")
    all_mentions = list(_all_mentions(doc))
    for m, _b in all_mentions:
        if m.abbr:
            w, k = normal_words(m.name), kind_of(m.name)
            for e in entities:
                if compatible(w, e.words, k, e.kind):
                    e.abbrs.add(m.abbr)
                    e.names.add(m.name)
                    break
    # abbreviations used for a party without brackets: "between-abbr" candidates and initials
    for c in cands:
        if not c.mention.name and c.mention.abbr:
            for e in entities:
                if c.mention.abbr in e.abbrs:
                    break
            else:
                for e in entities:
                    if initials(e.name).endswith(c.mention.abbr) or c.mention.abbr in _initial_forms(e):
                        e.abbrs.add(c.mention.abbr)
                        break
    _generic_terms(entities)
    area = area_name([e.name for e in entities])
    for e in entities:
        if not e.abbrs:
            for form in _initial_forms(e, area):
                if len(form) >= 3 and re.search(rf"\bthe {form}\b", doc.text):
                    e.abbrs.add(form)
                    break
    taken: set[str] = set()
    for e in entities:
        e.short_name = _short_name(e, doc, area)
    shorts = Counter(e.short_name.lower() for e in entities)
    for e in entities:
        if shorts[e.short_name.lower()] > 1:  # two councils' boards of one kind: keep the place
            e.short_name = e.name
        base = e.short_name if len(e.short_name) <= 12 else (initials(e.short_name) if len(initials(e.short_name)) >= 2 else e.short_name)
        e.key = slug_key(base, taken, 24)
    return entities, evidence


def _generic_terms(entities: list[BoardEntity]) -> None:
    """Move defined terms that are a generic word ("the Board", "the Partnership") out of the
    short forms: the board is then named as a board with no short form is, while the term
    still names it inside the document. A head word another party's name also uses ("the
    Board" beside a Health and Wellbeing Board) is generic too."""
    for e in entities:
        for a in list(e.abbrs):
            words = a.lower().split()
            if len(words) != 1 or not a[1:].islower():
                continue
            shared = any(words[0] in o.name.lower().split() for o in entities if o is not e)
            if words[0] in ("board", "partnership") or shared:
                e.abbrs.discard(a)
                e.terms.add(a)


def _initial_forms(e: BoardEntity, area: str | None = None) -> list[str]:
    forms = []
    for n in sorted(e.names, key=len, reverse=True):
        forms.append(initials(n))
        if area and n.startswith(area + " "):
            forms.append(initials(n[len(area) + 1:]))
        words = n.split()
        for k in range(1, min(4, len(words) - 1)):
            forms.append(initials(" ".join(words[k:])))
    return [f for f in dict.fromkeys(forms) if len(f) >= 2]


def _short_name(e: BoardEntity, doc: Document, area: str | None) -> str:
    if e.abbrs:
        counts = {a: len(re.findall(rf"\b{re.escape(a)}\b", doc.text)) for a in e.abbrs}
        return max(counts, key=lambda a: (counts[a], -len(a)))
    name = e.name
    words = name.split()
    for i, w in enumerate(words):
        if w.lower().strip(",") in PLACE_STOP and i > 0:
            if len(words) - i >= 2:
                return " ".join(words[i:])
            break
    if area and name.startswith(area + " "):
        name = name[len(area) + 1:]
    return name


def _all_mentions(doc: Document):
    for b in doc.blocks:
        if b.kind == "table":
            for row in b.rows:
                for c in row:
                    for m in find_names(c.text):
                        yield m, b
        else:
            for m in find_names(b.text):
                yield m, b

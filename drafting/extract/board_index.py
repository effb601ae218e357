"""The party boards as drafted, and the index that recognises them in any passage of the
document: full names, variants written in lower case, abbreviations, "the adults board".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafting.extract.common import Cite
from drafting.extract.names import find_names, kind_of, normal_words

PLACE_STOP = {"local", "safeguarding", "children", "children's", "childrens", "adults", "adult", "adults'", "health", "community",
              "safer", "corporate", "multi-agency", "joint", "strategic", "integrated", "early", "youth", "domestic",
              "police", "crime", "partnership", "board", "trust", "families", "family", "young", "safeguarding,",
              "executive", "commissioning", "select", "scrutiny", "and", "stronger", "safer,", "the"}


@dataclass
class BoardEntity:
    key: str
    name: str
    short_name: str
    kind: str
    names: set[str] = field(default_factory=set)
    abbrs: set[str] = field(default_factory=set)
    terms: set[str] = field(default_factory=set)
    """Generic words the document defines the board as ("the Board"): they name it in this
    document only, never as a short name or alias (every board of an area is a "Board")."""
    words: frozenset[str] = frozenset()
    cite: Cite | None = None
    evidence: str = ""

    def aliases(self) -> list[str]:
        out = []
        for n in sorted(self.names | self.abbrs, key=lambda s: (-len(s), s)):
            if n not in (self.name, self.short_name) and n.lower() not in {a.lower() for a in out}:
                out.append(n)
        return out[:8]


def compatible(a: frozenset[str], b: frozenset[str], ka: str, kb: str) -> bool:
    if ka != kb and "other" not in (ka, kb):
        return False
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    core = small - {"board", "partnership", "trust", "group", "panel", "committee"}
    return bool(core) and small <= big


class BoardIndex:
    """Recognises the party boards in any passage: full names, variants, abbreviations."""

    def __init__(self, boards: list[BoardEntity]) -> None:
        self.boards = boards
        abbrs = {}
        for e in boards:
            for a in e.abbrs | ({e.short_name} if e.short_name.isupper() else set()):
                abbrs[a] = e.key
        self._abbr = abbrs
        self._abbr_rx = re.compile(r"\b(" + "|".join(sorted(map(re.escape, abbrs), key=len, reverse=True)) + r")(?:['’]?s)?\b") if abbrs else None
        # defined terms ("the Board"), where one board alone is defined by the word
        owners: dict[str, list[str]] = {}
        for e in boards:
            for t in e.terms:
                owners.setdefault(t, []).append(e.key)
        self._term = {t: ks[0] for t, ks in owners.items() if len(ks) == 1}
        self._term_rx = re.compile(r"\b[Tt]he\s+(" + "|".join(sorted(map(re.escape, self._term), key=len, reverse=True)) + r")(?:['’]s)?\b(?![-’'])") if self._term else None
        # words every board's name shares (the place): "Kelby Partnership" names no board in particular
        self._common = frozenset.intersection(*[e.words for e in boards]) if len(boards) >= 2 else frozenset()
        # full names written in lower case ("the youth justice partnership board"), with or without the place
        forms: list[tuple[str, str]] = []
        for e in boards:
            for n in {e.name, *e.names}:
                words = n.split()
                forms.append((n, e.key))
                for k in range(1, len(words) - 1):
                    if not ({w.lower() for w in words[:k]} & PLACE_STOP):
                        rest = " ".join(words[k:])
                        if len(rest.split()) >= 3:
                            forms.append((rest, e.key))
        self._lower_key = {}
        for f, k in forms:
            self._lower_key.setdefault(re.sub(r"\s+", " ", f.lower()), k)
        alts = sorted(self._lower_key, key=len, reverse=True)
        self._lower_rx = re.compile(r"\b(" + "|".join(re.escape(a).replace(r"\ ", r"\s+") for a in alts) + r")\b", re.I) if alts else None

    def by_key(self, key: str) -> BoardEntity:
        return next(e for e in self.boards if e.key == key)

    def resolve_name(self, name: str) -> str | None:
        w, k = normal_words(name), kind_of(name)
        if k == "other" and not (w - self._common - {"board", "partnership", "trust", "group", "panel", "committee", "agreement", "protocol"}):
            return None
        hits = [e for e in self.boards if compatible(w, e.words, k, e.kind)]
        if len(hits) == 1:
            return hits[0].key
        if hits:
            best = max(hits, key=lambda e: len(w & e.words) - 0.1 * len(e.words - w))
            return best.key
        # a kind word alone ("the adults board", "the children's board")
        kinds = [e for e in self.boards if e.kind == k and k != "other"]
        return kinds[0].key if len(kinds) == 1 else None

    def find(self, text: str) -> list[tuple[str, int, int]]:
        """(board key, start, end) for every party board named in ``text``, in order."""
        out = []
        spans = []
        for m in find_names(text):
            key = self.resolve_name(m.name)
            if key:
                out.append((key, m.start, m.end))
                spans.append((m.start, m.end))
        if self._abbr_rx:
            for m in self._abbr_rx.finditer(text):
                if any(s <= m.start() < e for s, e in spans):
                    continue
                out.append((self._abbr[m.group(1)], m.start(), m.end()))
        if self._term_rx is not None:
            for m in self._term_rx.finditer(text):
                if any(s <= m.start(1) < e for s, e in spans):
                    continue
                out.append((self._term[m.group(1)], m.start(1), m.end()))
                spans.append((m.start(1), m.end()))
        if self._lower_rx is not None:
            for m in self._lower_rx.finditer(text):
                if any(s <= m.start() < e or m.start() <= s < m.end() for s, e in spans):
                    continue
                k = self._lower_key.get(re.sub(r"\s+", " ", m.group(1).lower()))
                if k:
                    out.append((k, m.start(), m.end()))
                    spans.append((m.start(), m.end()))
        for kind_rx, kind in ((r"\b(?:adults'?|adult) (?:safeguarding )?board\b", "safeguarding_adults"),
                              (r"\bchildren'?s (?:safeguarding )?board\b", "safeguarding_children")):
            for m in re.finditer(kind_rx, text, re.I):
                if any(s <= m.start() < e for s, e in spans):
                    continue
                ks = [e for e in self.boards if e.kind == kind]
                if len(ks) == 1:
                    out.append((ks[0].key, m.start(), m.end()))
        out.sort(key=lambda t: t[1])
        return out

    def keys_in(self, text: str) -> list[str]:
        return list(dict.fromkeys(k for k, _, _ in self.find(text)))

    def others_in(self, text: str) -> list[str]:
        """Bodies named in ``text`` that are not parties (for recipients written as text)."""
        return [m.name for m in find_names(text) if not self.resolve_name(m.name)]

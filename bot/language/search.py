"""Search over an area's cited facts, for questions no narrower answer fits.

Every statement of a protocol that carries a ``source`` becomes one passage: its own
words, the name of what it is about (a board, a theme, a post, the challenge route…),
the keys it refers to, and the part of the protocol it sits in. The passages are indexed
in an in-memory SQLite FTS5 table (porter stemming, BM25 ranking), built the first time
a question about the area needs it, so start-up and imports pay nothing.

The walk over the protocol is generic: any model with a ``source`` is a fact, so fields
the schema gains later are searched too without a change here.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from storage.protocol.schema import Protocol, Source

_SKIP_FIELDS = frozenset({"key", "doc", "clause", "source", "kind", "party", "per_year", "every_years", "notify_directors",
                          "value", "months", "named", "rule", "schema_version", "review", "quote"})
_TERM = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Passage:
    text: str  # what is shown: the statement in the protocol's words
    subject: str  # what it is about: a board's or theme's name, "Mutual challenge", "The protocol"
    source: Source
    refs: tuple[str, ...]  # "board:hwb", "theme:cse", "role:dcs", "section:challenge"
    section: str  # the protocol's top-level part it sits in (for coverage)
    body: str = ""  # what is searched: every word of the statement and its names


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # higher is better
    rowid: int = -1


def _strings(model: BaseModel, boards: dict[str, str]) -> list[str]:
    out = []
    for name in type(model).model_fields:
        if name in _SKIP_FIELDS:
            continue
        value = getattr(model, name)
        if isinstance(value, str) and value:
            out.append(boards.get(value, value) if name in ("board", "from_board") else value)
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            shown = [boards.get(v, v) for v in value] if name in ("leads", "to_boards", "from_boards", "boards") else value
            out.append(", ".join(shown))
    return out


def _shown(model: BaseModel, boards: dict[str, str]) -> str:
    """The statement as a sentence a member can read."""
    cls = type(model).__name__
    g = lambda name: getattr(model, name, None)  # noqa: E731
    if cls == "Theme":
        return g("lead_role") or g("no_lead") or g("name")
    if cls == "Support":
        return f"{boards.get(g('board'), g('board'))}: {g('role')}"
    if cls == "Office":
        who = g("title") + (f" \u2014 {g('name')}" if g("name") else "")
        return who + (f". {g('note')}" if g("note") else "")
    if cls == "SubGroup":
        return g("name") + (f": {g('text')}" if g("text") else "") + (f" Meets {g('meets')}." if g("meets") else "")
    if cls == "Rung":
        return f"{g('title')}: {g('text')}"
    if cls == "RecurringMeeting":
        when = g("when") or g("cadence").replace("_", " ")
        return f"{g('title')} ({when}). Attending: {', '.join(g('attendees'))}." + (f" {g('purpose')}" if g("purpose") else "")
    if cls == "ReportingDuty":
        frm = boards.get(g("from_board"), g("from_board")) if g("from_board") else g("by")
        to = ", ".join([boards.get(k, k) for k in g("to_boards")] + list(g("to_others")))
        when = f" ({g('season')})" if g("season") else ""
        target = f"{g('action')} to {to}" if to else f"{g('action')}; the protocol names no recipient"
        return f"{g('report')} ({frm}): {target}{when}." + (f" {g('text')}" if g("text") else "")
    if cls == "Membership":
        return "Members: " + "; ".join(g("members"))
    if cls == "Version":
        return f"{g('version')}" + (f" ({g('date')})" if g("date") else "") + f": {g('change')}"
    if cls == "Signatory":
        return f"{g('name')}, {g('title')}"
    if cls == "Seat":
        return f"{boards.get(g('board'), g('board'))} ({g('capacity').replace('_', ' ')})"
    if cls == "Deadline":
        days = f"{g('working_days')} working days" if g("working_days") is not None else f"{g('days')} days"
        return f"{g('title')}: within {days} of {g('after')}."
    text = g("text")
    if isinstance(text, str) and text:
        return text
    return " ".join(_strings(model, boards))


def passages(protocol: Protocol) -> list[Passage]:
    """Every cited statement of ``protocol``, with what it is about."""
    boards = {b.key: b.short_name for b in protocol.boards}
    out: list[Passage] = []

    def subject_of(model: BaseModel, subject: str, refs: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
        cls = type(model).__name__
        key = getattr(model, "key", None)
        if cls == "Board":
            return f"{model.name} ({model.short_name})", (*refs, f"board:{key}")  # type: ignore[attr-defined]
        if cls == "Theme":
            return model.name, (*refs, f"theme:{key}", *(f"board:{k}" for k in model.leads))  # type: ignore[attr-defined]
        if cls == "Role":
            return model.title, (*refs, f"role:{key}", *(f"board:{s.board}" for s in model.seats))  # type: ignore[attr-defined]
        if cls in ("ReportingDuty", "RecurringMeeting", "SharingRule", "Deadline", "Rung"):
            linked = [getattr(model, f, None) for f in ("from_board", "board")]
            linked += list(getattr(model, "to_boards", []) or []) + list(getattr(model, "boards", []) or [])
            linked += list(getattr(model, "from_boards", []) or [])
            return subject, (*refs, f"{cls.lower()}:{key}", *(f"board:{k}" for k in linked if k))
        if cls in ("Support", "Seat"):
            return subject, (*refs, f"board:{model.board}")  # type: ignore[attr-defined]
        return subject, refs

    def walk(value: Any, subject: str, refs: tuple[str, ...], section: str) -> None:
        if isinstance(value, BaseModel):
            subject, refs = subject_of(value, subject, refs)
            src = getattr(value, "source", None)
            if src is not None and type(src).__name__ == "Source":
                body = " ".join(_strings(value, boards))
                if body:
                    out.append(Passage(_shown(value, boards) or body, subject, src, refs, section, body))
            for name in type(value).model_fields:
                if name == "source":
                    continue
                child = getattr(value, name)
                if isinstance(child, BaseModel | list):
                    walk(child, subject, refs, section)
        elif isinstance(value, list):
            for item in value:
                walk(item, subject, refs, section)

    labels = {"protocol": "The protocol", "challenge": "Mutual challenge", "information_sharing": "Information sharing",
              "meetings": "Meetings", "reports": "Reports", "deadlines": "Deadlines", "new_themes": "New themes",
              "shared_priorities": "Shared priorities"}
    for name in type(protocol).model_fields:
        if name in ("schema_version", "area", "documents"):
            continue
        walk(getattr(protocol, name), labels.get(name, name.replace("_", " ").capitalize()), (f"section:{name}",), name)
    return out


class FactIndex:
    """BM25 over one area's passages (SQLite FTS5, in memory)."""

    def __init__(self, items: list[Passage]) -> None:
        self.passages = items
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute("CREATE VIRTUAL TABLE facts USING fts5(subject, body, tokenize='porter unicode61 remove_diacritics 2')")
        self._db.executemany("INSERT INTO facts(rowid, subject, body) VALUES (?, ?, ?)",
                             [(i, p.subject, p.body or p.text) for i, p in enumerate(items)])

    def search(self, terms: list[str], *, refs: frozenset[str] = frozenset(), limit: int = 5,
               sections: frozenset[str] | None = None) -> list[Hit]:
        """The best passages for ``terms`` (any of them), those about ``refs`` ranked up."""
        clean = sorted({w for term in terms for w in _TERM.findall(term.lower()) if len(w) > 1})
        if not clean:
            return []
        query = " OR ".join(f'"{w}"' for w in clean)
        rows = self._db.execute(
            "SELECT rowid, bm25(facts, 2.0, 1.0) FROM facts WHERE facts MATCH ? ORDER BY bm25(facts, 2.0, 1.0) LIMIT 40",
            (query,),
        ).fetchall()
        hits = []
        for rowid, rank in rows:
            p = self.passages[rowid]
            if sections is not None and p.section not in sections:
                continue
            score = -rank  # FTS5's bm25 is lower-is-better
            if refs:
                score *= 1.0 + 0.6 * len(refs & set(p.refs))
            hits.append(Hit(p, score, rowid))
        hits.sort(key=lambda h: -h.score)
        return hits[:limit]

    def frequency(self, word: str) -> int:
        """How many passages hold ``word``."""
        clean = "".join(_TERM.findall(word.lower()))
        if not clean:
            return 0
        return self._db.execute("SELECT count(*) FROM facts WHERE facts MATCH ?", (f'"{clean}"',)).fetchone()[0]

    def holds(self, hit: Hit, word: str) -> bool:
        clean = "".join(_TERM.findall(word.lower()))
        return bool(clean) and self._db.execute("SELECT 1 FROM facts WHERE facts MATCH ? AND rowid = ?",
                                                (f'"{clean}"', hit.rowid)).fetchone() is not None

    def known(self, word: str) -> bool:
        """Whether any passage holds ``word`` (as the stemmer sees it)."""
        clean = "".join(_TERM.findall(word.lower()))
        if not clean:
            return True
        return self._db.execute("SELECT 1 FROM facts WHERE facts MATCH ? LIMIT 1", (f'"{clean}"',)).fetchone() is not None

    def known_phrase(self, words: list[str]) -> bool:
        """Whether any passage holds ``words`` together, in that order."""
        clean = [w for word in words for w in _TERM.findall(word.lower())]
        if not clean:
            return True
        query = '"' + " ".join(clean) + '"'
        return self._db.execute("SELECT 1 FROM facts WHERE facts MATCH ? LIMIT 1", (query,)).fetchone() is not None

    def coverage(self, hit: Hit, terms: list[str]) -> float:
        """The share of ``terms`` the passage holds, as FTS5's own stemmer sees them."""
        rowid = hit.rowid
        wanted = sorted({w for term in terms for w in _TERM.findall(term.lower()) if len(w) > 1})
        if not wanted:
            return 0.0
        held = 0
        for w in wanted:
            row = self._db.execute("SELECT 1 FROM facts WHERE facts MATCH ? AND rowid = ?", (f'"{w}"', rowid)).fetchone()
            held += row is not None
        return held / len(wanted)

"""Checking the references between the parts of a protocol (board, document and theme keys).

:func:`cross_check_data` runs on the raw data as read from YAML, so an unknown board or
document is reported in the same pass as a misspelt field or a bad date, each with the path
of the offending field so the loader can name the file and line.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from storage.protocol.schema.facts import Source
from storage.protocol.schema.protocol import Protocol


class CrossRefError(Exception):
    """A reference to something the file does not define (path is a pydantic-style loc)."""

    def __init__(self, path: tuple[str | int, ...], message: str, group: tuple[str, str] | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.message = message
        # the same unknown name used in many places is one problem: the loader says it once
        self.group = group


def _walk_sources(value: object, path: tuple[str | int, ...]):
    if isinstance(value, Source):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _walk_sources(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_sources(item, (*path, i))


def _walk_raw_sources(value: object, path: tuple[str | int, ...]):
    """Every ``source:`` mapping of raw (not yet validated) data, with its path."""
    if isinstance(value, dict):
        for name, item in value.items():
            if name == "source" and isinstance(item, dict):
                yield (*path, name), item
            else:
                yield from _walk_raw_sources(item, (*path, str(name)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk_raw_sources(item, (*path, i))


_ALIAS_NORMAL = re.compile(r"[^a-z0-9]+")


def _closest(word: object, options: set[str]) -> str:
    import difflib

    if not isinstance(word, str):
        return ""
    hit = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f": did you mean {hit[0]!r}?" if hit else "."


def cross_check(p: Protocol) -> list[CrossRefError]:
    """Check the references between parts of a protocol; return every problem found."""
    return cross_check_data(p.model_dump())


def _items(data: dict, field: str) -> list[tuple[int, dict]]:
    value = data.get(field)
    if not isinstance(value, list):
        return []
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)]


def _as_list(value: object) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def cross_check_data(data: dict) -> list[CrossRefError]:
    """Check the references between parts of raw protocol data, however broken the rest is.

    It runs on the data as read from YAML (not the validated model) so that an unknown
    board or document is reported in the same pass as a misspelt field or a bad date.
    """
    errors: list[CrossRefError] = []
    docs = {d.get("key") for _, d in _items(data, "documents")} - {None}
    for path, src in _walk_raw_sources(data, ()):
        doc = src.get("doc")
        if isinstance(doc, str) and doc not in docs:
            errors.append(CrossRefError((*path, "doc"), f"unknown document {doc!r}{_closest(doc, docs)} "
                                        f"The documents are: {', '.join(sorted(docs)) or 'none (add them under documents:)'}",
                                        group=("document", doc)))

    def unique(field: str, label: str) -> set[str]:
        seen: set[str] = set()
        for i, item in _items(data, field):
            key = item.get("key")
            if not isinstance(key, str):
                continue
            if key in seen:
                errors.append(CrossRefError((field, i, "key"), f"{label} key {key!r} is used twice: give each {label} its own key"))
            seen.add(key)
        return seen

    boards = unique("boards", "board")
    unique("themes", "theme")
    unique("roles", "role")
    unique("meetings", "meeting")
    unique("reports", "report")
    unique("deadlines", "deadline")
    unique("information_sharing", "sharing rule")
    unique("agreements", "agreement")

    def board_ref(key: object, path: tuple[str | int, ...]) -> None:
        if isinstance(key, str) and key not in boards:
            errors.append(CrossRefError(path, f"unknown board {key!r}{_closest(key, boards)} "
                                        f"The boards are: {', '.join(sorted(boards)) or 'none (add them under boards:)'}",
                                        group=("board", key)))

    def board_list(item: dict, field: str, path: tuple[str | int, ...]) -> None:
        value = item.get(field)
        if isinstance(value, list):
            for j, k in enumerate(value):
                board_ref(k, (*path, field, j))
        else:
            board_ref(value, (*path, field))

    for i, t in _items(data, "themes"):
        board_list(t, "leads", ("themes", i))
        for j, s in enumerate(_as_list(t.get("supporting"))):
            if isinstance(s, dict):
                board_ref(s.get("board"), ("themes", i, "supporting", j, "board"))
    for i, m in _items(data, "meetings"):
        board_list(m, "boards", ("meetings", i))
    for i, r in _items(data, "reports"):
        board_ref(r.get("from_board"), ("reports", i, "from_board"))
        board_list(r, "to_boards", ("reports", i))
    for i, d in _items(data, "deadlines"):
        board_ref(d.get("board"), ("deadlines", i, "board"))
    for i, s in _items(data, "information_sharing"):
        board_list(s, "from_boards", ("information_sharing", i))
    linked = {b.get("key") for _, b in _items(data, "boards") if b.get("party") is False}
    for i, a in _items(data, "agreements"):
        board_list(a, "parties", ("agreements", i))
        for j, k in enumerate(_as_list(a.get("parties"))):
            if k in linked:
                errors.append(CrossRefError(("agreements", i, "parties", j), f"board {k!r} is marked party: false but is "
                                            "listed as a party here: remove one of the two"))
    for i, r in _items(data, "roles"):
        for j, seat in enumerate(_as_list(r.get("seats"))):
            if isinstance(seat, dict):
                board_ref(seat.get("board"), ("roles", i, "seats", j, "board"))
    proto = data.get("protocol")
    if isinstance(proto, dict):
        for i, s in _items(proto, "signatories"):
            board_ref(s.get("board"), ("protocol", "signatories", i, "board"))

    owner: dict[str, str] = {}
    for i, t in _items(data, "themes"):
        names = [t.get("name"), *_as_list(t.get("aliases"))]
        for j, alias in enumerate(names):
            if not isinstance(alias, str) or not isinstance(t.get("key"), str):
                continue
            norm = _ALIAS_NORMAL.sub(" ", alias.lower()).strip()
            if norm in owner and owner[norm] != t["key"]:
                field: tuple[str | int, ...] = ("themes", i, "name") if j == 0 else ("themes", i, "aliases", j - 1)
                errors.append(CrossRefError(field, f"{alias!r} already names theme {owner[norm]!r}: "
                                            "two themes may not share a name or alias"))
            owner.setdefault(norm, t["key"])
    return errors


def pending_review(p: Protocol) -> list[tuple[tuple[str | int, ...], Source]]:
    """Every fact whose source is still marked ``review: pending`` (drafted, not yet checked)."""
    return [(path, src) for path, src in _walk_sources(p, ()) if src.review == "pending"]


"""Assemble the extracted facts of one or more documents into one protocol draft.

Several documents behind one area (a joint protocol and the children's safeguarding
arrangements' terms of reference, say) become one draft: a board party to both is one
board; each fact cites the document it came from. Sections the drafter found nothing for
are marked ``coverage: not_transcribed`` so that answers say they have not been entered,
never that the protocol is silent. Board-level details the drafter does not read
(statutory basis, purpose, functions, sub-groups, member lists) are marked the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from drafting.extract.board_index import BoardEntity, BoardIndex
from drafting.extract.boards import area_name, build_boards
from drafting.extract.chairs import extract_chairs
from drafting.extract.challenge import extract_challenge
from drafting.extract.common import Cite, slug_key
from drafting.extract.meetings import extract_meetings
from drafting.extract.membership import extract_roles
from drafting.extract.names import normal_words
from drafting.extract.protocol_info import extract_protocol_info
from drafting.extract.reports import extract_reports
from drafting.extract.sharing import extract_sharing
from drafting.extract.themes import extract_themes, new_themes_fact
from drafting.model import Document, clean
from storage.protocol import schema

NEVER_DRAFTED = ("functions", "subgroups", "membership", "shared_priorities")


@dataclass
class Draft:
    data: dict
    notes: list[str] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


def _doc_key(path_name: str, n: int, total: int, taken: set[str]) -> str:
    if total == 1:
        return "protocol"
    stem = re.sub(r"^\d+[_-]", "", Path(path_name).stem)
    return slug_key(stem if re.search(r"[a-z]{3}", stem, re.I) else f"doc{n + 1}", taken, 24)


_FRONT_MATTER = re.compile(r"^(?:agreed|approved|adopted|endorsed|signed|version|v\d|date|published|owner|author|contents|next review|review date|this|these|the following)\b"
                           r"|\s[|·]\s|\.{4,}", re.I)


def _title(doc: Document) -> str:
    """The document's title: its opening lines up to the first section, front-matter line
    ("Agreed by … 14 January 2025. Version 3.", "Council | March 2025 | Version 1.0") or table.
    A title broken over lines ("Joint protocol between" / "the SAB and the HWB") is joined."""
    front = []
    first_level = None
    styled = Path(doc.name).suffix.lower() in (".docx", ".html", ".htm", ".md")  # headings styled, not wrapped lines of a title
    for b in doc.blocks[:12]:
        if b.kind == "table" or (b.kind == "heading" and b.number):
            break
        if front and _FRONT_MATTER.search(b.text) and not re.search(r"\b(?:between|and|of|for)\s*:?$", front[-1], re.I):
            break
        if b.kind == "heading":
            if first_level is None:
                first_level = b.level
            elif (front and (b.level > first_level or b.level == first_level and styled) and not re.search(r"\b(?:between|and|of|for)\s*:?$", front[-1], re.I)
                  and not re.match(r"(?:between|and|of|for)\b", b.text, re.I)):
                break  # the first section's heading ("Introduction", "Who this agreement covers")
        if b.kind == "paragraph" and len(b.text) > 250:
            break
        if re.match(r"^(?:appendix|annex)\b\s*\w*$", b.text, re.I):
            continue
        if re.match(r"^[A-Za-z ()/]{2,40}:\s", b.text):
            break
        if front and _similar(" ".join(front), b.text):
            break
        front.append(b.text)
        if len(" ".join(front)) > 200:
            break
    title = clean(" ".join(front)).rstrip(":;")
    title = re.sub(r"\s+and;\s*", " and ", title)
    return title[:300] or Path(doc.name).stem


def _similar(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(a.lower(), b.lower()) >= 85 and len(b) > 20


def _merge_boards(all_boards: list[BoardEntity], new: list[BoardEntity]) -> None:
    for e in new:
        hit = None
        same_kind = [x for x in all_boards if x.kind == e.kind and e.kind != "other"]
        for x in all_boards:
            if (e.abbrs & x.abbrs) or normal_words(e.name) <= x.words or x.words <= normal_words(e.name):
                if x.kind == e.kind:
                    hit = x
                    break
        if hit is None and len(same_kind) == 1:
            hit = same_kind[0]
        if hit is None:
            taken = {x.key for x in all_boards}
            if e.key in taken:
                e.key = slug_key(e.key, taken)
            all_boards.append(e)
        else:
            hit.names |= e.names | {e.name}
            hit.abbrs |= e.abbrs
            hit.terms |= e.terms
            hit.words = hit.words | e.words


def _src(c: Cite | None, doc_key: str) -> dict:
    if c is None:
        return {"doc": doc_key, "clause": "Title", "review": "pending"}
    d = c.source()
    d["doc"] = doc_key
    return d


def draft(docs: list[Document], *, area_slug: str | None = None, area: str | None = None) -> Draft:
    """Draft one protocol from ``docs`` (already read); returns the data and reviewer notes."""
    notes: list[str] = []
    taken_doc: set[str] = set()
    keys = [_doc_key(d.name, i, len(docs), taken_doc) for i, d in enumerate(docs)]
    boards: list[BoardEntity] = []
    for d, k in zip(docs, keys, strict=False):
        found, evidence = build_boards(d, k)
        if not evidence.startswith("title"):
            notes.append(f"{d.name}: no parties in the title, opening or signatures; boards were taken from {evidence}.")
        if not boards:
            boards = found
        else:
            _merge_boards(boards, found)
    index = BoardIndex(boards)
    place = area or area_name([b.name for b in boards]) or "Unnamed area"
    slug = area_slug or re.sub(r"[^a-z0-9]+", "-", place.lower()).strip("-") or "area"
    if not slug[0].isalpha():
        slug = "area-" + slug

    themes, meetings, reports, sharing, roles = [], [], [], [], []
    chairs: dict[str, list[dict]] = {}
    cadences: dict[str, dict] = {}
    challenge = None
    new_themes = None
    info: dict = {}
    for d, k in zip(docs, keys, strict=False):
        for t in extract_themes(d, index, k):
            if not any(x["key"] == t["key"] or x["name"].lower() == t["name"].lower() for x in themes):
                themes.append(t)
        new_themes = new_themes or new_themes_fact(d, k)
        c = extract_challenge(d, k)
        if c and (challenge is None or (c["named"] and not challenge["named"])):
            challenge = c
        ms, cad = extract_meetings(d, index, k)
        meetings += [m for m in ms if not any(x["key"] == m["key"] for x in meetings)]
        for bk, v in cad.items():
            cadences.setdefault(bk, v)
        rs = extract_reports(d, index, k)
        reports += [r for r in rs if not any(x["key"] == r["key"] for x in reports)]
        sharing += [s for s in extract_sharing(d, index, k) if not any(x["key"] == s["key"] for x in sharing)]
        for bk, offices in extract_chairs(d, index, k).items():
            chairs.setdefault(bk, []).extend(o for o in offices if o not in chairs.get(bk, []))
        for r in extract_roles(d, index, k):
            hit = next((x for x in roles if x["key"] == r["key"]), None)
            if hit:
                hit["seats"] += [s for s in r["seats"] if not any(x["board"] == s["board"] for x in hit["seats"])]
            else:
                roles.append(r)
        if not info:
            info = extract_protocol_info(d, _title(d), k)
        elif "review" not in info:
            other = extract_protocol_info(d, _title(d), k)
            if "review" in other:
                info["review"] = other["review"]

    # a post a membership matrix shows chairing a board is that board's chair, where nothing else names one
    for r in roles:
        for seat in r["seats"]:
            if seat["capacity"] == "chairs" and not chairs.get(seat["board"]):
                chairs[seat["board"]] = [{"title": r["title"], "source": dict(seat["source"])}]
    board_fields = schema.Board.model_fields
    out_boards = []
    for b in boards:
        entry: dict = {"key": b.key, "short_name": b.short_name, "name": b.name}
        aliases = [a for a in b.aliases() if a.lower() not in (b.name.lower(), b.short_name.lower())]
        if aliases:
            entry["aliases"] = aliases
        entry["kind"] = b.kind if b.kind in _kinds() else "other"
        if "source" in board_fields:
            entry["source"] = _src(b.cite, b.cite.doc if b.cite else keys[0])
        offices = chairs.get(b.key, [])
        if offices:
            entry.update(_offices(offices, board_fields))
        if b.key in cadences:
            entry["meets"] = cadences[b.key]
        out_boards.append(entry)

    data: dict = {"schema_version": 1}
    coverage: dict[str, str] = {}
    data["area"] = {"slug": slug, "name": place}
    data["documents"] = [{"key": k, "file": Path(d.name).name, "title": _title(d)} for d, k in zip(docs, keys, strict=False)]
    title_cite = next((b.cite for b in boards if b.cite and b.cite.clause == "Title"), None)
    pinfo: dict = {"title": info.get("title") or data["documents"][0]["title"]}
    for f in ("version", "version_date", "created", "agreed", "approved_by", "authors"):
        if info.get(f):
            pinfo[f] = info[f]
    signatories = []
    for b in out_boards:
        for o in _all_offices(b):
            if o.get("name") and o["source"].get("clause") == "Signatures":
                signatories.append({"name": o["name"], "title": f"{o['title']}, {b['name']}", "board": b["key"], "source": dict(o["source"])})
    if signatories:
        pinfo["signatories"] = signatories
    else:
        coverage["signatories"] = "not_transcribed"
    review = info.get("review")
    if review:
        rules = _literal_args(schema.Review.model_fields["rule"].annotation)
        if review["rule"] not in rules:
            notes.append(f"review: the protocol says {review['text']!r}; the schema has no rule for it, so it is drafted as 'unspecified' with that text.")
            review["rule"] = "unspecified"
        pinfo["review"] = review
    else:
        coverage["review"] = "not_transcribed"
    if info.get("history"):
        pinfo["history"] = info["history"]
    else:
        coverage["history"] = "not_transcribed"
    pinfo["source"] = _src(title_cite, keys[0]) if title_cite else {"doc": keys[0], "clause": "Title", "review": "pending",
                                                                    "quote": pinfo["title"][:400]}
    data["protocol"] = pinfo
    if out_boards:
        data["boards"] = out_boards
    else:
        coverage["boards"] = "not_transcribed"
    if themes:
        data["themes"] = themes
    else:
        coverage["themes"] = "not_transcribed"
    if new_themes:
        data["new_themes"] = new_themes
    else:
        coverage["new_themes"] = "not_transcribed"
    if challenge:
        for r in challenge.get("ladder", []):
            w = r.pop("_window", None)
            if w:
                _put_window(r, w)
        data["challenge"] = challenge
    else:
        coverage["challenge"] = "not_transcribed"
    for name, items in (("information_sharing", sharing), ("meetings", meetings), ("reports", reports), ("roles", roles)):
        if items:
            data[name] = items
        else:
            coverage[name] = "not_transcribed"
    coverage["deadlines"] = "not_transcribed"
    for s in NEVER_DRAFTED:
        coverage[s] = "not_transcribed"
    if any(not _all_offices(b) for b in out_boards):
        coverage["offices"] = "not_transcribed"
    sections = set(getattr(schema, "SECTIONS", ()))
    cov = {k: v for k, v in coverage.items() if not sections or k in sections}
    if cov and "coverage" in schema.Protocol.model_fields:
        data = {"schema_version": 1, "coverage": dict(sorted(cov.items())), **{k: v for k, v in data.items() if k != "schema_version"}}
    return Draft(data, notes, docs)


def _kinds() -> tuple[str, ...]:
    return _literal_args(schema.Board.model_fields["kind"].annotation)


def _literal_args(tp) -> tuple[str, ...]:
    from typing import get_args

    out: list[str] = []
    for a in get_args(tp) or ():
        if isinstance(a, str):
            out.append(a)
        else:
            out.extend(_literal_args(a))
    return tuple(out)


def _offices(offices: list[dict], fields) -> dict:
    """The board's chair field(s) in whatever shape the schema has: one chair, or a list."""
    chairs = [o for o in offices if o["title"] != "Vice-Chair"]
    if "chairs" in fields:
        return {"chairs": chairs} if chairs else {}
    if "co_chairs" in fields and len(chairs) > 1:
        return {"co_chairs": chairs}
    if not chairs:
        return {}
    first = dict(chairs[0])
    if len(chairs) > 1:
        others = "; ".join(f"{o['title']}: {o.get('name') or '(not named)'}" for o in chairs[1:])
        first["note"] = (first.get("note", "") + f" Also: {others}.").strip()
    return {"chair": first}


def _all_offices(board: dict) -> list[dict]:
    out = []
    for f in ("chair",):
        if board.get(f):
            out.append(board[f])
    for f in ("chairs", "co_chairs"):
        out.extend(board.get(f) or [])
    return out


def _put_window(rung: dict, w: dict) -> None:
    fields = schema.Rung.model_fields
    for name in ("window", "response_window"):
        if name in fields:
            rung[name] = {k: v for k, v in w.items() if v is not None and k != "text"}
            return
    for name in ("working_days", "response_working_days", "window_working_days"):
        if name in fields and w.get("working_days") is not None:
            rung[name] = w["working_days"]
            return

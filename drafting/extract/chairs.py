"""Chairs and co-chairs: from signature blocks and tables, and from sentences.

"Alan Caton OBE / Chair, Central Bedfordshire Safeguarding Children Board" (a name
above or beside the office), signature tables with one column per board, and sentences
such as "The SAB is chaired by the Director for Adult Social Care", "co-chaired by the
Chief Superintendent and the Cabinet Member for Communities", "Co-Chairs: …", "chaired on a
rotating basis". The record of offices and the reading of names are in :mod:`.offices`; the
passes over running text in :mod:`.chairs_in_prose`.
"""

from __future__ import annotations

import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.chairs_in_prose import (
    from_names_in_brackets,
    from_sentences,
    from_unnamed_mentions,
)
from drafting.extract.common import cite
from drafting.extract.names import find_names
from drafting.extract.offices import ROLE, Offices, is_person, office_of, title_of
from drafting.extract.parties import signature_blocks
from drafting.model import Block, Document, clean


def _parts(text: str, limit: int = 4) -> list[str]:
    """The offices a cell or line names: "Jo Bell and Sam Ode" is two people, but "Independent
    Scrutineer and Chair: Ruth Adeyemi" and "Joe Harker, Lead Member for Children and Families" are
    one, so an "and" splits only where every side names a person or none does."""
    out = []
    for piece in [p for p in re.split(r";\s*", text) if p.strip()]:
        split = [p for p in re.split(r"\s+and\s+(?=(?:the\s+)?[A-Z])", piece) if p.strip()]
        named = [bool((office_of(p) or {}).get("name")) for p in split]
        whole = office_of(piece) or {}
        if len(split) > 1 and whole.get("name") and not all(named):
            split = [piece]
        out += split
    return out[:limit]


def _from_signatures(doc: Document, index: BoardIndex, key: str, offices: Offices, sig: list[Block]) -> None:
    """Signatures: a table of them, or "Jo Bell, Chair, <board>" lines near the end."""
    add = offices.add
    for b in sig:
        if b.kind == "table":
            header = [c.text for c in b.rows[0]]
            col_boards = [index.keys_in(h) for h in header]
            for r, row in enumerate(b.rows):
                for i, c in enumerate(row):
                    m = ROLE.search(c.text)
                    boards = index.keys_in(c.text) or (col_boards[i] if i < len(col_boards) else [])
                    if not boards:
                        boards = index.keys_in(" ".join(x.text for x in row))[:1]
                    if not m or len(boards) != 1:
                        continue
                    rest = clean((c.text[: m.start()] + " " + c.text[m.end():]).strip(" :,-"))
                    for name in [nm.name for nm in find_names(rest)]:
                        rest = rest.replace(name, "")
                    rest = clean(rest.strip(" :,-"))
                    name = rest if is_person(rest) else None
                    if not name:
                        # "Board | Name | Role" rows: the person is in another cell of the same row
                        others = [x.text for j, x in enumerate(row) if j != i and is_person(x.text)]
                        if len(others) == 1:
                            name = clean(others[0])
                    if not name:
                        # the name may sit in the next row of the same column ("Chair" / "Jane Booth")
                        for rr in b.rows[r + 1: r + 3]:
                            if i < len(rr) and is_person(rr[i].text):
                                name = clean(rr[i].text)
                                break
                    title = title_of(m.group(1))
                    whole = clean(c.text.replace(name or "", "")).strip(" ,")
                    if re.fullmatch(r"(?:independent |co-?|vice[- ])?chair\w*", whole, re.I) is None and len(whole) < 60 and m.start() == 0 and not index.keys_in(whole):
                        title = whole[0].upper() + whole[1:] if whole else title
                    office = {"title": title}
                    if name:
                        office["name"] = name
                    office["source"] = cite(doc, b, row=r, key=key).source()
                    office["source"]["clause"] = "Signatures"
                    add(boards[0], office)
            continue
        m = ROLE.match(b.text) or (ROLE.search(b.text) if len(b.text) < 160 else None)
        boards = index.keys_in(b.text)
        if not m or len(boards) != 1:
            continue
        name = None
        before = re.sub(r"^(?:signed|signature|name|agreed)\s*(?:by)?\s*:?\s*", "", b.text[: m.start()], flags=re.I).strip(" ,-–:")
        labelled = re.search(r"\bname\s*:\s*(?P<who>.+?)\s+(?:position|title|role|designation|job title|on behalf of)\s*:", b.text, re.I)
        if labelled and is_person(labelled.group("who").strip(" ,")):
            name = clean(labelled.group("who")).strip(" ,")  # "Signed: …… Name: Jo Bell Position: Chair, …"
        elif is_person(before):
            name = clean(before)
        else:
            for back in (1, 2):
                j = b.index - back
                if j >= 0 and doc.blocks[j].kind != "table" and is_person(doc.blocks[j].text):
                    name = clean(doc.blocks[j].text).strip(" ,")
                    break
                if j >= 0 and doc.blocks[j].kind != "table" and not is_person(doc.blocks[j].text):
                    continue
        office = {"title": title_of(m.group(1))}
        if name:
            office["name"] = name
        quote = (f"{name} — " if name else "") + b.text
        office["source"] = cite(doc, b, quote, key=key).source()
        office["source"]["clause"] = "Signatures"
        add(boards[0], office)


def _from_chair_columns(doc: Document, index: BoardIndex, key: str, offices: Offices, sig: list[Block]) -> None:
    """Tables with a Chair column: "Board | Chair | Vice-chair"."""
    add = offices.add
    # tables with a Chair column: "Board | Chair | Vice-chair"
    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 2 or b in sig:
            continue
        header = [c.text for c in b.rows[0]]
        cols = [(i, h) for i, h in enumerate(header) if re.fullmatch(r"\s*(?:independent\s+)?(?:co-?\s?)?chairs?(?:\s*\(s\))?(?:person)?\s*", h, re.I)]
        if not cols:
            continue
        for r, row in enumerate(b.rows[1:], start=1):
            boards = index.keys_in(" ".join(x.text for j, x in enumerate(row) if j not in [c for c, _ in cols]))
            if len(boards) != 1:
                continue
            for i, h in cols:
                cell = row[i].text if i < len(row) else ""
                for part in _parts(re.split(r"\s*\((?!currently)", cell)[0]):
                    office = office_of(part) or {"title": h.strip() or "Chair"}
                    if office["title"] == "Chair" and h.strip():
                        office["title"] = h.strip()[0].upper() + h.strip()[1:]
                    if "co" in h.lower() and not office["title"].lower().startswith("co"):
                        office["title"] = "Co-Chair"
                    office["source"] = cite(doc, b, row=r, key=key).source()
                    add(boards[0], office)


def _from_two_column_rows(doc: Document, index: BoardIndex, key: str, offices: Offices, sig: list[Block]) -> None:
    """"Chair | Jo Bell" rows of a two-column table in a section headed with one board's name."""
    add = offices.add
    # "Chair | Jo Bell" rows of a two-column table in a section headed with one board's name
    for b in doc.blocks:
        own = index.keys_in(b.heading.text) if b.heading else []
        if b.kind != "table" or len(own) != 1 or b in sig:
            continue
        for r, row in enumerate(b.rows):
            cells = [c.text for c in row if c.text]
            if len(cells) != 2:
                continue
            m = re.fullmatch(r"\s*(?P<ind>independent\s+)?(?P<co>co-?\s?|joint\s+)?chair(?:s|\(s\)|man|person)?\s*:?\s*", cells[0], re.I)
            if not m:
                continue
            co = bool(m.group("co"))
            for part in _parts(cells[1], 4 if co else 1):
                o = office_of(re.sub(r"\s*\(([^)]+)\)\s*$", r", \1", part), co=co)
                if o:
                    add(own[0], {**o, "source": cite(doc, b, row=r, key=key).source()})


def _from_chair_lines(doc: Document, index: BoardIndex, key: str, offices: Offices) -> None:
    """"Chair: …" lines under one board's heading or label."""
    add = offices.add
    # "Chair: …" lines (or a "Chair" label and its value) in a section headed with one board's name,
    # or after a label naming one board (a definition list's term: "Panel" / "Chair: …")
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        own = index.keys_in(b.heading.text) if b.heading else []
        prev = doc.blocks[b.index - 1] if b.index > 0 else None
        if prev is not None and prev.kind == "paragraph" and prev.bold and len(prev.text) < 90 and len(index.keys_in(prev.text)) == 1:
            own = index.keys_in(prev.text)
        if len(own) != 1:
            continue
        m = re.match(r"\s*(?P<ind>independent\s+)?(?P<co>co-?\s?|joint\s+)?chair(?:s|\(s\)|man|person)?\s*(?::\s*(?P<who>.+)|$)", b.text, re.I)
        if not m:
            continue
        who = m.group("who")
        src_block = b
        if who is None:
            nxt = doc.blocks[b.index + 1] if b.index + 1 < len(doc.blocks) else None
            if nxt is None or nxt.kind not in ("paragraph", "item") or nxt.heading is not b.heading or len(nxt.text) > 200:
                continue
            who, src_block = nxt.text, nxt
        co = bool(m.group("co"))
        for part in _parts(who, 4 if co else 1):
            o = office_of(part, co=co)
            if not o:
                continue
            if m.group("ind") and o["title"] == "Chair":
                o["title"] = "Independent Chair"
            quote = b.text if src_block is b else f"{b.text}: {src_block.text}"
            add(own[0], {**o, "source": cite(doc, src_block, quote, key=key).source()})


def _from_board_label_lines(doc: Document, index: BoardIndex, key: str, offices: Offices) -> None:
    """"RSCP: Independent Chair, Dr Priya Nand" lines: a board's name as the label, its chair
    as the value, in a section about chairing or with a chair's office in the value. Only for
    boards no earlier pass found a chair for."""
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item") or len(b.text) > 200:
            continue
        m = re.match(r"\s*(?P<label>[^:–—]{2,90}?)\s*(?::|\s[–—-]\s)\s*(?P<who>.+)$", b.text)
        if not m:
            continue
        label = re.sub(r"^(?:the)\s+", "", m.group("label").strip(" *"), flags=re.I)
        own = index.keys_in(label)
        if len(own) != 1 or len(index.keys_in(m.group("who"))) > 0 or offices.found.get(own[0]):
            continue  # a chair an earlier, more particular pass found stands
        if not (b.heading and re.search(r"\bchair", b.heading.text, re.I)) and not ROLE.search(m.group("who")):
            continue
        # the label must be the board and nothing more ("RSCP", "The Ravensholt ... Partnership")
        rest = label
        for _, start, end in sorted(index.find(label), key=lambda x: -x[1]):
            rest = rest[:start] + rest[end:]
        if re.search(r"[A-Za-z]{3,}", rest):
            continue
        co = bool(re.search(r"\bco-?\s?chair|\bjoint chair", m.group("who"), re.I))
        for part in _parts(m.group("who"), 4 if co else 1):
            o = office_of(part, co=co)
            if o and (o.get("name") or ROLE.search(o["title"])):
                offices.add(own[0], {**o, "source": cite(doc, b, key=key).source()})


def extract_chairs(doc: Document, index: BoardIndex, key: str = "protocol") -> dict[str, list[dict]]:
    """Board key -> offices (chair, co-chairs, vice-chair) in the order found.

    Each kind of place a protocol names a chair is read in turn, signatures first: what an
    earlier pass found decides what a later one adds.
    """
    offices = Offices()
    sig = signature_blocks(doc)
    _from_signatures(doc, index, key, offices, sig)
    _from_chair_columns(doc, index, key, offices, sig)
    _from_two_column_rows(doc, index, key, offices, sig)
    _from_chair_lines(doc, index, key, offices)
    from_sentences(doc, index, key, offices)
    from_names_in_brackets(doc, index, key, offices)
    from_unnamed_mentions(doc, index, key, offices)
    _from_board_label_lines(doc, index, key, offices)
    return offices.found

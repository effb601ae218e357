"""Chairs and co-chairs: from signature blocks and tables, and from sentences.

"Alan Caton OBE / Chair, Central Bedfordshire Safeguarding Children Board" (a name
above or beside the office), signature tables with one column per board, and sentences
such as "The SAB is chaired by the Director for Adult Social Care", "co-chaired by the
Chief Superintendent and the Cabinet Member for Communities", "Co-Chairs: …", "chaired on a
rotating basis".
"""

from __future__ import annotations

import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import cite, sentences
from drafting.extract.names import find_names
from drafting.extract.parties import signature_blocks
from drafting.model import Document, clean

_HONORIFIC = r"(?:(?:County |Borough |District |City )?Councillor|Cllr\.?|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Prof(?:essor)?\.?|Sir|Dame|Lord|Lady|Rev(?:erend)?\.?|(?:Chief |Detective )?(?:Superintendent|Inspector|Constable)|Ch(?:ief)? Supt\.?|Supt\.?)"
_PERSON = re.compile(rf"^(?:{_HONORIFIC}\s+)*(?:[A-Z][a-zA-Z'’\-]+|[A-Z]{{1,3}}\.?)(?:\s+(?:{_HONORIFIC}|[A-Z][a-zA-Z'’\-]+|[A-Z]{{1,3}}\.?|de|van|von|da|le)){{1,5}}(?:,?\s+(?:OBE|MBE|CBE|QPM|DL|KC|QC|JP))*$")
_ROLE = re.compile(r"\b(independent co-?chair|independent chair|co-?\s?chair(?:man|person)?|vice[- ]chair(?:man|person)?|joint chair|chair(?:man|person)?)\b", re.I)
_NOT_PERSON = re.compile(r"\b(?:board|partnership|trust|council|group|committee|panel|signature|signed|date|chair|name|role|services|safeguarding|health|director|officer|manager|executive|police|nhs)\b", re.I)


_POST = re.compile(r"\b(?:chair\w*|scrutineer|director|member|officer|leader|independent|executive|head|cabinet|commissioner|commander|manager|lead|representative|deputy|mayor|portfolio|superintendent|inspector|constable)\b", re.I)


def is_person(text: str) -> bool:
    t = clean(text).strip(" ,.")
    bare = re.sub(_HONORIFIC, "", t)
    return bool(t) and len(t) < 70 and bool(_PERSON.match(t)) and not _NOT_PERSON.search(bare) and not _POST.search(bare)


def office_of(text: str, co: bool = False) -> dict | None:
    """A post as printed: 'Councillor Jo Bell', 'the Leader of the Council, Councillor Jo Bell',
    'Mrs Ann Lee, Independent Chair', 'Independent Chair: Mr Ben Ode', 'Director of Children's
    Services (currently Ms Amy Roe)', 'the Director of Children's Services' -> title and name."""
    t = clean(text).strip(" ,.;:")
    t = re.sub(r"^(?:the|an?|its|their)\s+", "", t, flags=re.I)
    t = re.sub(r"\s*\((?:currently|at present|presently)\s+([^)]+)\)", r", \1", t, flags=re.I)
    br = re.fullmatch(r"(?P<a>[^()]+?)\s*\((?P<b>[^()]+)\)", t)
    if br and (is_person(br.group("a")) or is_person(br.group("b"))):
        t = f"{br.group('a')}, {br.group('b')}"  # "Cllr Jo Bell (Lead Member for Children)"
    if not t or len(t) > 160:
        return None
    head = "Co-Chair: " if co else ""
    if is_person(t):
        return {"title": "Co-Chair" if co else "Chair", "name": t}
    parts = [clean(x) for x in re.split(r"\s*[:,–]\s*|\s+-\s+", t, maxsplit=1)]
    if len(parts) == 2 and parts[0] and parts[1]:
        a, b = parts
        b_name = re.split(r",\s*", b)[0]
        if is_person(b_name) and not is_person(a):
            a = re.sub(r"^(?:the|an?)\s+", "", a, flags=re.I)
            return {"title": head + a[0].upper() + a[1:], "name": b_name}
        if is_person(a) and not is_person(b):
            b = re.sub(r"^(?:the|an?)\s+", "", b, flags=re.I)
            if re.fullmatch(r"independent", b, re.I):
                b = "Independent Chair"
            b = re.split(r"\s*\(", b)[0]
            return {"title": head + b[0].upper() + b[1:] if b else head + "Chair", "name": a}
    if re.search(r"\d", t) or find_names(t) and not _POST.search(t):
        return None
    return {"title": (head + t[0].upper() + t[1:])[:120]}


def _title(role: str) -> str:
    r = role.lower().replace(" ", "")
    if "co" in r and "chair" in r:
        return "Independent Co-Chair" if "independent" in r else "Co-Chair"
    if "vice" in r:
        return "Vice-Chair"
    return "Independent Chair" if "independent" in r else "Chair"


def extract_chairs(doc: Document, index: BoardIndex, key: str = "protocol") -> dict[str, list[dict]]:
    """Board key -> offices (chair, co-chairs, vice-chair) in the order found."""
    found: dict[str, list[dict]] = {}

    def add(board: str, office: dict) -> None:
        lst = found.setdefault(board, [])
        for o in lst:
            if office.get("name") and o.get("name") and office["name"].lower() == o["name"].lower():
                return
            if not office.get("name") and o["title"] == office["title"] and not o.get("name"):
                return
            if not office.get("name") and o.get("name") and office["title"] in (o["title"], "Chair"):
                return
        if not office.get("name") and office["title"] not in ("Co-Chair", "Vice-Chair") and not office["title"].startswith("Co-Chair"):
            named = [o for o in lst if o.get("name")]
            if len(named) == 1 and named[0]["title"] in ("Chair",):
                named[0]["title"] = office["title"]
                return
        if office.get("name"):
            # a titled-only entry for the same office is superseded by a named one
            lst[:] = [o for o in lst if o.get("name") or o["title"] not in (office["title"], "Chair")]
        lst.append(office)

    sig = signature_blocks(doc)
    for b in sig:
        if b.kind == "table":
            header = [c.text for c in b.rows[0]]
            col_boards = [index.keys_in(h) for h in header]
            for r, row in enumerate(b.rows):
                for i, c in enumerate(row):
                    m = _ROLE.search(c.text)
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
                    title = _title(m.group(1))
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
        m = _ROLE.match(b.text) or (_ROLE.search(b.text) if len(b.text) < 160 else None)
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
        office = {"title": _title(m.group(1))}
        if name:
            office["name"] = name
        quote = (f"{name} — " if name else "") + b.text
        office["source"] = cite(doc, b, quote, key=key).source()
        office["source"]["clause"] = "Signatures"
        add(boards[0], office)
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
                for part in [p for p in re.split(r";\s*|\s+and\s+(?=[A-Z])", re.split(r"\s*\((?!currently)", cell)[0]) if p.strip()]:
                    office = office_of(part) or {"title": h.strip() or "Chair"}
                    if office["title"] == "Chair" and h.strip():
                        office["title"] = h.strip()[0].upper() + h.strip()[1:]
                    if "co" in h.lower() and not office["title"].lower().startswith("co"):
                        office["title"] = "Co-Chair"
                    office["source"] = cite(doc, b, row=r, key=key).source()
                    add(boards[0], office)
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
            for part in [p for p in re.split(r";\s*|\s+and\s+(?=(?:the\s+)?[A-Z])", cells[1]) if p.strip()][: 4 if co else 1]:
                o = office_of(re.sub(r"\s*\(([^)]+)\)\s*$", r", \1", part), co=co)
                if o:
                    add(own[0], {**o, "source": cite(doc, b, row=r, key=key).source()})
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
        for part in [p for p in re.split(r";\s*|\s+and\s+(?=(?:the\s+)?[A-Z])", who) if p.strip()][: 4 if co else 1]:
            o = office_of(part, co=co)
            if not o:
                continue
            if m.group("ind") and o["title"] == "Chair":
                o["title"] = "Independent Chair"
            quote = b.text if src_block is b else f"{b.text}: {src_block.text}"
            add(own[0], {**o, "source": cite(doc, src_block, quote, key=key).source()})
    # sentences
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        own = index.keys_in(b.heading.text) if b.heading else []
        for s in sentences(b.text):
            # "It is chaired by …", "Its independent scrutineer is …": the board of the section
            if len(own) == 1 and re.match(r"\s*(?:it|its|the (?:board|partnership|group|panel|committee)(?:'s)?)\b", s, re.I) and not index.keys_in(s[:25]):
                s = re.sub(r"^\s*(?:it|the (?:board|partnership|group|panel|committee))\b", index.by_key(own[0]).short_name, s, count=1, flags=re.I)
                s = re.sub(r"^\s*its\b", index.by_key(own[0]).short_name + "'s", s, count=1, flags=re.I)
            elif len(own) == 1 and re.match(r"\s*(?:co-?)?chaired (?:jointly )?by\b", s, re.I):
                s = f"{index.by_key(own[0]).short_name} is {s.strip()[0].lower()}{s.strip()[1:]}"  # "Chaired by …" under the board's heading
            m = re.search(r"(?P<board>[^.:;]{2,120}?)\s+(?P<co>co-?)?chairs?\s*:\s*(?P<who>[^.;]+)", s, re.I)
            if m and len(index.keys_in(m.group("board"))) == 1 and not re.search(r"vice[- ]?$", m.group("board"), re.I):
                bk = index.keys_in(m.group("board"))[0]
                if m.group("co"):
                    who_text = re.sub(r"\s*\([^)]*\)", "", m.group("who"))  # "Ms Tara Quinn (Council) and …"
                    for p in [clean(x) for x in re.split(r",\s*(?:and\s+)?|\s+and\s+", who_text) if x.strip()][:4]:
                        if is_person(p):
                            add(bk, {"title": "Co-Chair", "name": p, "source": cite(doc, b, s, key=key).source()})
                else:
                    o = office_of(m.group("who"))
                    if o and o.get("name"):
                        add(bk, {**o, "source": cite(doc, b, s, key=key).source()})
            m = re.search(r"(?P<board>[^.;]{2,80}?)\s+has\s+(?:an?\s+)?(?P<title>(?:independent\s+)?(?:co-?)?chair(?:person)?)\s*,\s*(?P<who>[^.;,]+)", s, re.I)
            if m and len(index.keys_in(m.group("board"))) == 1 and is_person(clean(m.group("who"))):
                t = m.group("title")
                add(index.keys_in(m.group("board"))[0], {"title": t[0].upper() + t[1:], "name": clean(m.group("who")),
                                                         "source": cite(doc, b, s, key=key).source()})
            m = re.search(r"(?P<board>[^.;]{2,80}?)['’]s\s+(?P<title>(?:independent\s+)?(?:co-?)?(?:chair|scrutineer|chairperson))\s+(?:is|will be)\s+(?P<who>[^.;]+)", s, re.I)
            if m and len(index.keys_in(m.group("board"))) == 1:
                t = m.group("title")
                o = office_of(m.group("who"))
                if o and o.get("name"):
                    if o["title"] == "Chair":
                        o["title"] = t[0].upper() + t[1:]
                    add(index.keys_in(m.group("board"))[0], {**o, "source": cite(doc, b, s, key=key).source()})
            # "the Independent Chair of the SAB (currently Jo Park)", "the Chair of the HWB, Councillor Mo Khan"
            for m in re.finditer(r"\b(?P<title>(?:independent\s+)?(?:co-?)?(?:chair(?:man|person)?|scrutineer))\s+of\s+(?:the\s+)?(?P<board>[^,;()]{2,80}?)\s*(?:,|\(|\s[-–]\s)\s*(?P<who>[^;]+)", s, re.I):
                ks = index.keys_in(m.group("board"))
                if len(ks) != 1 or index.keys_in(m.group("who")):
                    continue
                who = m.group("who")
                if who.lstrip().startswith("currently") or "(" not in m.group(0)[: m.start("who") - m.start()]:
                    who = re.sub(r"^\s*currently\s+", "", who).split(")")[0]
                o = office_of(who)
                if not o or re.search(r"\b(?:who|will|is|are|must|should|may)\b", who, re.I):
                    continue
                t = m.group("title")
                if o["title"] == "Chair":
                    o["title"] = t[0].upper() + t[1:]
                add(ks[0], {**o, "source": cite(doc, b, s, key=key).source()})
            for m in re.finditer(r"(?P<subj>[^.;]{0,120}?)\b(?P<co>co-?)?chaired\s+(?P<how>by|on a rotating basis|in rotation|jointly by)\s*(?P<who>[^.;]*)", s, re.I):
                ks = index.keys_in(m.group("subj"))
                if len(ks) != 1:
                    continue
                src = cite(doc, b, s, key=key).source()
                how = m.group("how").lower()
                if "rotat" in how or "rotat" in m.group("who").lower()[:40]:
                    add(ks[0], {"title": "Rotating chair", "note": clean(s), "source": src})
                    continue
                who = re.split(r"\s+(?:and (?:is|will|has)|who|which|with|until|for a|for the|from)\b", m.group("who"))[0]
                co = bool(m.group("co")) or "jointly" in how or bool(re.search(r"co-?chair|joint chairs", s, re.I))
                parts = [p for p in re.split(r",\s*(?:and\s+)?|\s+and\s+(?=(?:the|an?|its|[A-Z]))", who) if p.strip()] if co else \
                    [re.split(r"\s+and\s+(?=[A-Z]{2,}|[a-z]+\s+(?:regulations|stipulate|will|is|are|must))", who)[0]]
                for p in parts[:4]:
                    p = clean(p.strip(" ,"))
                    p = re.sub(r"^(?:the|an?)\s+", "", p, flags=re.I)
                    if not p:
                        continue
                    office = {"title": "Co-Chair" if co else ("Independent Chair" if re.search(r"independent", p, re.I) else "Chair")}
                    tn = re.match(r"(?:its |their )?(?P<title>[^,]+?),\s*(?P<name>[^,]+)$", p)
                    nt = re.match(r"(?P<name>[^,]+?),\s*(?:its |their |the )?(?P<title>[^,]+)$", p)
                    if tn and is_person(tn.group("name")) and (not is_person(tn.group("title")) or _POST.search(tn.group("title"))):
                        office["name"] = clean(tn.group("name"))
                        office["title"] = ("Co-Chair: " if co else "") + tn.group("title")[0].upper() + tn.group("title")[1:]
                    elif nt and is_person(nt.group("name")) and not is_person(nt.group("title")) and _POST.search(nt.group("title")):
                        # "Mrs Ann Lee, its Independent Chair"
                        office["name"] = clean(nt.group("name"))
                        t = nt.group("title")
                        office["title"] = ("Co-Chair: " if co and not re.search(r"co-?chair", t, re.I) else "") + t[0].upper() + t[1:]
                    elif is_person(p):
                        office["name"] = p
                    elif not re.fullmatch(r"independent (?:individual|person|chair)", p, re.I):
                        office["title"] = (("Co-Chair: " if co else "") + p[0].upper() + p[1:])[:120]
                    office["source"] = src
                    add(ks[0], office)
            m = re.search(r"\b(?P<co>co-?chairs?|chair(?:man|person)?)\s+of\s+(?:the\s+)?(?P<board>[^,;]+?)\s+(?:is|are|will be)\s+(?P<who>[^.;]+)", s, re.I)
            if m and not re.search(r"\b(?:must|should|independent of|accountable|responsible|appointed)\b", m.group("who")[:30], re.I):
                ks = index.keys_in(m.group("board"))
                if len(ks) == 1:
                    for p in [p for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", m.group("who")) if p.strip()][:4]:
                        p = clean(p)
                        if is_person(p):
                            add(ks[0], {"title": "Co-Chair" if m.group("co").lower().startswith("co") else "Chair", "name": p,
                                        "source": cite(doc, b, s, key=key).source()})
            m = re.search(r"\bthe\s+(?P<ind>independent\s+)?chair of (?:the\s+)?(?P<board>[^,;]+?)\s+(?:must|should|will)\s+be\s+independent", s, re.I)
            if m:
                ks = index.keys_in(m.group("board"))
                if len(ks) == 1:
                    add(ks[0], {"title": "Independent Chair", "source": cite(doc, b, s, key=key).source()})
    # "Both boards have independent chairs: Ms Alison Tate (SAB) and Mr Gareth Lowe (SCP)"
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            if not re.search(r"\bchair", s, re.I):
                continue
            ind = bool(re.search(r"independent (?:co-?)?chairs?\b", s, re.I))
            for m in re.finditer(r"(?P<who>(?:[A-Z][\w'’\-.]*\s+){1,4}[A-Z][\w'’\-]*)\s*\((?:for |of )?(?:the\s+)?(?P<b>[^()]{2,60})\)", s):
                who = re.sub(r"^(?:and|chairs?|co-?chairs?|independent)\s+", "", m.group("who").strip(), flags=re.I)
                ks = index.keys_in(m.group("b"))
                if len(ks) == 1 and is_person(who) and ks[0] not in found:
                    add(ks[0], {"title": "Independent Chair" if ind else "Chair", "name": clean(who), "source": cite(doc, b, s, key=key).source()})
    # last: a board whose chair the protocol mentions but never names ("the CTJCG Chair", "Chair of the CPB")
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            if not re.search(r"\bchair", s, re.I):
                continue
            for k, st, en in index.find(s):
                if k in found:
                    continue
                before, after = s[max(0, st - 40):st], s[en:en + 30]
                m1 = re.search(r"\b(independent\s+)?(co-?)?chairs? of (?:the |both )?(?:[A-Z]\w+ (?:and|&) )?$", before, re.I)
                m2 = re.match(r"['’]?s?\s+(independent\s+)?(co-?)?chairs?\b", after, re.I)
                m = m1 or m2
                if not m or re.search(r"\bvice\b", before[-15:], re.I):
                    continue
                title = ("Independent " if m.group(1) else "") + ("Co-Chair" if m.group(2) else "Chair")
                add(k, {"title": title, "source": cite(doc, b, s, key=key).source()})
    return found

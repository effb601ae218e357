"""Chairs named in running text: "The SAB is chaired by the Director for Adult Social Care",
"co-chaired by …", "independent chairs: Ms Alison Tate (SAB) and Mr Gareth Lowe (SCP)", and
a chair mentioned but never named ("the CTJCG Chair")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import cite, sentences
from drafting.extract.offices import POST, Offices, is_person, office_of
from drafting.model import Block, Document, clean


def from_sentences(doc: Document, index: BoardIndex, key: str, offices: Offices) -> None:
    """Sentences that name a board's chair."""
    add = offices.add
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
                    if tn and is_person(tn.group("name")) and (not is_person(tn.group("title")) or POST.search(tn.group("title"))):
                        office["name"] = clean(tn.group("name"))
                        office["title"] = ("Co-Chair: " if co else "") + tn.group("title")[0].upper() + tn.group("title")[1:]
                    elif nt and is_person(nt.group("name")) and not is_person(nt.group("title")) and POST.search(nt.group("title")):
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


def _chair_sentences(doc: Document) -> Iterator[tuple[Block, str]]:
    """Each sentence of running text (paragraphs and list items) that mentions a chair, with its block."""
    for b in doc.blocks:
        if b.kind in ("paragraph", "item"):
            for s in sentences(b.text):
                if re.search(r"\bchair", s, re.I):
                    yield b, s


def from_names_in_brackets(doc: Document, index: BoardIndex, key: str, offices: Offices) -> None:
    """"Both boards have independent chairs: Ms Alison Tate (SAB) and Mr Gareth Lowe (SCP)"."""
    add = offices.add
    found = offices.found
    for b, s in _chair_sentences(doc):
        ind = bool(re.search(r"independent (?:co-?)?chairs?\b", s, re.I))
        for m in re.finditer(r"(?P<who>(?:[A-Z][\w'’\-.]*\s+){1,4}[A-Z][\w'’\-]*)\s*\((?:for |of )?(?:the\s+)?(?P<b>[^()]{2,60})\)", s):
            who = re.sub(r"^(?:and|chairs?|co-?chairs?|independent)\s+", "", m.group("who").strip(), flags=re.I)
            ks = index.keys_in(m.group("b"))
            if len(ks) == 1 and is_person(who) and ks[0] not in found:
                add(ks[0], {"title": "Independent Chair" if ind else "Chair", "name": clean(who), "source": cite(doc, b, s, key=key).source()})


def from_unnamed_mentions(doc: Document, index: BoardIndex, key: str, offices: Offices) -> None:
    """Last: a board whose chair the protocol mentions but never names ("the CTJCG Chair",
    "Chair of the CPB")."""
    add = offices.add
    found = offices.found
    for b, s in _chair_sentences(doc):
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

"""Themes and who leads on them: from "Theme | Lead | …" tables and from lead sentences.

A lead cell or sentence may name one board, several (a joint lead), none ("no single
lead", "to be agreed"), or describe a change ("transferred from the CSP to the HWB in
2023"): the current lead is drafted and the change is kept as a note. A lead printed as an
abbreviation the document never defines (a misprint) is read from the row's own text
("The BSCB is the lead …") rather than guessed.

Tables are read in :mod:`.theme_tables`, running text in :mod:`.theme_prose`, lead cells and
sentences in :mod:`.theme_leads`, and names in :mod:`.theme_names`; this module puts what
they find together with the shared priorities and the boards' duties (:mod:`.duties`),
once per theme.
"""

from __future__ import annotations

import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import cite, sentences, slug_key
from drafting.extract.duties import duty_themes, shared_themes
from drafting.extract.theme_names import normal_name, same_theme, shared_key
from drafting.extract.theme_prose import from_prose
from drafting.extract.theme_tables import from_board_rows, from_matrices, from_tables
from drafting.model import Document, clean


def extract_themes(doc: Document, index: BoardIndex, key: str = "protocol") -> list[dict]:
    table = from_tables(doc, index, key) + from_matrices(doc, index, key) + from_board_rows(doc, index, key)
    prose = from_prose(doc, index, key)
    stated = table + prose
    listed = []
    for t in shared_themes(doc, key):
        if any(same_theme(t["name"], x["name"]) for x in stated + listed):
            continue
        lst = t.pop("_list")
        t["no_lead"] = clean(f"The protocol lists {t['name'].lower()} among its shared priorities ({lst.rstrip(':')}) but names no lead for it.")[:600]
        listed.append(t)
    duties = [t for t in duty_themes(doc, index, key) if not any(same_theme(t["name"], x["name"]) for x in stated + listed)]
    seen: dict[str, dict] = {}
    out: list[dict] = []
    taken: set[str] = set()
    for t in stated + listed + duties:
        norm = normal_name(t["name"])
        if not norm or norm in seen or any(same_theme(t["name"], x["name"]) for x in out):
            continue
        seen[norm] = t
        k = shared_key(t["name"])
        t["key"] = slug_key(k if k and k not in taken else re.sub(r"\(.*?\)", "", t["name"]), taken, 40)
        if not t.get("aliases"):
            t.pop("aliases", None)
        out.append(t)
    # an alias may not name two themes
    owner: dict[str, str] = {}
    for t in out:
        for n in [t["name"], *t.get("aliases", [])]:
            owner.setdefault(re.sub(r"[^a-z0-9]+", " ", n.lower()).strip(), t["key"])
    for t in out:
        if "aliases" in t:
            t["aliases"] = [a for a in t["aliases"] if owner.get(re.sub(r"[^a-z0-9]+", " ", a.lower()).strip()) == t["key"]]
            if not t["aliases"]:
                del t["aliases"]
    return out


def new_themes_fact(doc: Document, key: str = "protocol") -> dict | None:
    """What the protocol says to do about a theme it names no lead for, where it says it."""
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item"):
            continue
        for s in sentences(b.text):
            if re.search(r"\b(?:new|emerging|further|other|additional) (?:themes?|issues?|areas?|priorit\w+|pieces? of work)\b", s, re.I) and \
                    re.search(r"\b(?:lead|agree|identif|discuss|add|decid)", s, re.I):
                return {"text": clean(s), "source": cite(doc, b, s, key=key).source()}
            if re.search(r"(?:theme|piece of work).{0,60}relevan\w+ (?:across|to) more than one", s, re.I):
                return {"text": clean(s), "source": cite(doc, b, s, key=key).source()}
    return None
